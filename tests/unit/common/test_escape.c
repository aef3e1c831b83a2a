/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* escape_text: bytes from the network made safe to print on one line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "escape.h"

static void test_printable_ascii_is_kept(void **state)
{
	char out[ESCAPE_TEXT_SIZE(95)], in[95];

	(void)state;
	for (int i = 0; i < 95; i++)
		in[i] = (char)(0x20 + i);
	escape_text(out, sizeof(out), in, sizeof(in));
	/* all but the backslash unchanged, which doubles */
	assert_int_equal(strlen(out), 96);
	assert_memory_equal(out, in, 0x5C - 0x20);
	assert_memory_equal(out + (0x5C - 0x20), "\\\\", 2);
	assert_memory_equal(out + (0x5C - 0x20) + 2, in + (0x5C - 0x20) + 1, 0x7E - 0x5C);
}

static void test_control_and_high_bytes_are_escaped(void **state)
{
	static const uint8_t in[] = { 0x1B, ']', '0', ';', 0x07, '\t', '\n', '\r', 0x00, 0x7F,
				      0x80, 0x9B, 0xFF };
	char out[ESCAPE_TEXT_SIZE(sizeof(in))];

	(void)state;
	escape_text(out, sizeof(out), in, sizeof(in));
	assert_string_equal(out, "\\x1b]0;\\x07\\t\\n\\r\\x00\\x7f\\x80\\x9b\\xff");
}

static void test_worst_case_fits_the_macro(void **state)
{
	uint8_t in[32];
	char out[ESCAPE_TEXT_SIZE(sizeof(in))];

	(void)state;
	memset(in, 0x01, sizeof(in));
	escape_text(out, sizeof(out), in, sizeof(in));
	assert_int_equal(strlen(out), 4 * sizeof(in));
}

static void test_truncates_at_whole_escapes(void **state)
{
	char out[8];

	(void)state;
	memset(out, 'X', sizeof(out));
	/* "ab" fits, "\x01" (4) fits in 7 chars: "ab\x01" is 6, then "\x02" would be 10 */
	escape_text(out, sizeof(out), "ab\x01\x02", 4);
	assert_string_equal(out, "ab\\x01");
	escape_text(out, 1, "abc", 3);
	assert_string_equal(out, "");
	escape_text(out, sizeof(out), "", 0);
	assert_string_equal(out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_printable_ascii_is_kept),
		cmocka_unit_test(test_control_and_high_bytes_are_escaped),
		cmocka_unit_test(test_worst_case_fits_the_macro),
		cmocka_unit_test(test_truncates_at_whole_escapes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
