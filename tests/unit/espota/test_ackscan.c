/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The ack/result scanner fed whole, byte by byte and split at every
 * offset (docs/protocol/ota-protocol.md §8 pitfalls 1-3: acks and results
 * however TCP cuts them). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ackscan.h"

struct scan_case {
	const char *wire;
	enum ackscan_verdict at_end;   /* verdict once the stream ended */
	const char *text;              /* the device text kept */
	uint64_t ack_digits;
};

static const struct scan_case cases[] = {
	{ "1460146014601460OK", ACKSCAN_OK, "OK", 16 },
	{ "14601460\r\nOK", ACKSCAN_OK, "OK", 8 },
	{ "1024", ACKSCAN_PENDING, "", 4 },
	{ "", ACKSCAN_PENDING, "", 0 },
	{ "1460ERROR[7]: MD5 verification failed: expected: a, calculated: b\n", ACKSCAN_ERROR,
	  "ERROR[7]: MD5 verification failed: expected: a, calculated: b", 4 },
	{ "1024MD5 Check Failed\r\n", ACKSCAN_ERROR, "MD5 Check Failed", 4 },
	{ "ERROR[0]: No Error\n", ACKSCAN_ERROR, "ERROR[0]: No Error", 0 },
	{ "146O", ACKSCAN_ERROR, "O", 3 },
	{ "29201460Oops", ACKSCAN_ERROR, "Oops", 8 },
};

static void check_end(const struct scan_case *c, struct ackscan *s)
{
	assert_int_equal(ackscan_end(s), c->at_end);
	assert_string_equal(ackscan_text(s), c->text);
	assert_int_equal(s->ack_digits, c->ack_digits);
}

static void whole(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ackscan s;

		ackscan_init(&s);
		ackscan_feed(&s, cases[i].wire, strlen(cases[i].wire));
		check_end(&cases[i], &s);
	}
}

static void byte_by_byte(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ackscan s;
		size_t len = strlen(cases[i].wire);

		ackscan_init(&s);
		for (size_t k = 0; k < len; k++)
			ackscan_feed(&s, cases[i].wire + k, 1);
		check_end(&cases[i], &s);
	}
}

static void every_split(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len = strlen(cases[i].wire);

		for (size_t cut = 0; cut <= len; cut++) {
			struct ackscan s;

			ackscan_init(&s);
			ackscan_feed(&s, cases[i].wire, cut);
			ackscan_feed(&s, cases[i].wire + cut, len - cut);
			check_end(&cases[i], &s);
		}
	}
}

static void verdict_while_streaming(void **state)
{
	struct ackscan s;

	(void)state;
	ackscan_init(&s);
	/* "O" alone may still become OK */
	assert_int_equal(ackscan_feed(&s, "1460O", 5), ACKSCAN_PENDING);
	assert_int_equal(ackscan_feed(&s, "K", 1), ACKSCAN_OK);

	ackscan_init(&s);
	/* an error text is complete only at its newline (or at the end) */
	assert_int_equal(ackscan_feed(&s, "1460ERROR[4]: Not Eno", 21), ACKSCAN_PENDING);
	assert_int_equal(ackscan_feed(&s, "ugh Space\n", 10), ACKSCAN_ERROR);
	assert_string_equal(ackscan_text(&s), "ERROR[4]: Not Enough Space");
}

static void long_text_is_cut_not_overflowed(void **state)
{
	char wire[1000];
	struct ackscan s;

	(void)state;
	memset(wire, 'E', sizeof(wire));
	ackscan_init(&s);
	ackscan_feed(&s, wire, sizeof(wire));
	assert_int_equal(ackscan_end(&s), ACKSCAN_ERROR);
	assert_int_equal(strlen(ackscan_text(&s)), sizeof(s.text) - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(whole),
		cmocka_unit_test(byte_by_byte),
		cmocka_unit_test(every_split),
		cmocka_unit_test(verdict_while_streaming),
		cmocka_unit_test(long_text_is_cut_not_overflowed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
