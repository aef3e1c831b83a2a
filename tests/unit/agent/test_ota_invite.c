/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The invitation and auth-reply parsers against docs/protocol/ota-protocol.md
 * §3.1 and §5: exactly what ArduinoOTA accepts, ignores and refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "ota_invite.h"

#define MD5 "0123456789abcdef0123456789abcdef"

static enum ota_parse invite(const char *text, struct ota_invite *inv)
{
	memset(inv, 0x5a, sizeof(*inv));
	return ota_parse_invite((const uint8_t *)text, strlen(text), inv);
}

static int32_t read_int(const char *text, size_t *consumed)
{
	struct ota_cursor c = { (const uint8_t *)text, strlen(text), 0 };
	int32_t v = ota_read_int(&c);

	*consumed = c.pos;
	return v;
}

static void test_espota_format(void **state)
{
	struct ota_invite inv;

	(void)state;
	assert_int_equal(invite("0 48266 265760 " MD5 "\n", &inv), OTA_PARSE_OK);
	assert_int_equal(inv.command, 0);
	assert_int_equal(inv.host_port, 48266);
	assert_int_equal(inv.size, 265760);
	assert_string_equal(inv.md5, MD5);
	assert_int_equal(invite("100 1 2 " MD5 "\n", &inv), OTA_PARSE_OK);
	assert_int_equal(inv.command, 100);
	assert_int_equal(inv.host_port, 1);
	assert_int_equal(inv.size, 2);
}

static void test_spaces_and_terminators(void **state)
{
	struct ota_invite inv;

	(void)state;
	/* Leading spaces before every number, no line end, CR LF, NUL. */
	assert_int_equal(invite("   0    5000     77 " MD5, &inv), OTA_PARSE_OK);
	assert_int_equal(inv.host_port, 5000);
	assert_int_equal(inv.size, 77);
	assert_int_equal(invite("0 5000 77 " MD5 "\r\n", &inv), OTA_PARSE_OK);
	assert_int_equal(invite("0 5000 77 \t " MD5 " \t\n", &inv), OTA_PARSE_OK);
	assert_string_equal(inv.md5, MD5);
	{
		static const char with_nul[] = "0 5000 77 " MD5 "\0garbage after the NUL";

		assert_int_equal(ota_parse_invite((const uint8_t *)with_nul, sizeof(with_nul) - 1,
						  &inv),
				 OTA_PARSE_OK);
	}
	/* Text after the line end is never looked at. */
	assert_int_equal(invite("0 5000 77 " MD5 "\nmore text", &inv), OTA_PARSE_OK);
	/* Only one character separates the size from the md5: any one. */
	assert_int_equal(invite("0 5000 77x" MD5, &inv), OTA_PARSE_OK);
	/* Tabs are not skipped by the number reader: port and size read as 0,
	 * the tab is the separator, and the md5 field is then too long. */
	assert_int_equal(invite("0\t5000 77 " MD5, &inv), OTA_PARSE_LENGTH);
}

static void test_numbers(void **state)
{
	size_t used;

	(void)state;
	assert_int_equal(read_int("", &used), 0);
	assert_int_equal(used, 0);
	assert_int_equal(read_int("   ", &used), 0);
	assert_int_equal(used, 3);
	assert_int_equal(read_int("12ab", &used), 12);
	assert_int_equal(used, 2);
	assert_int_equal(read_int("-5", &used), 0); /* no sign: stops at '-' */
	assert_int_equal(used, 0);
	assert_int_equal(read_int("000000000000042 ", &used), 42); /* 15 digits */
	assert_int_equal(used, 15);
	/* 16 digits: the device's buffer is full before a terminator. */
	assert_int_equal(read_int("0000000000000042 ", &used), 0);
	assert_int_equal(used, 16);
	/* atoi on the chip saturates at INT32_MAX. */
	assert_int_equal(read_int("99999999999", &used), INT32_MAX);
	assert_int_equal(read_int("2147483647", &used), INT32_MAX);
	assert_int_equal(read_int("2147483646", &used), 2147483646);
}

static void test_port_truncated_to_16_bits(void **state)
{
	struct ota_invite inv;

	(void)state;
	assert_int_equal(invite("0 70000 5 " MD5, &inv), OTA_PARSE_OK);
	assert_int_equal(inv.host_port, 70000 - 65536);
}

static void test_missing_fields(void **state)
{
	struct ota_invite inv;

	(void)state;
	/* The md5 length decides: missing numbers read as 0 and are accepted
	 * as long as 32 characters remain for the md5. */
	assert_int_equal(invite("0", &inv), OTA_PARSE_LENGTH);
	assert_int_equal(invite("0 5000", &inv), OTA_PARSE_LENGTH);
	assert_int_equal(invite("0 5000 77", &inv), OTA_PARSE_LENGTH);
	assert_int_equal(invite("0 5000 77 \n", &inv), OTA_PARSE_LENGTH);
	/* (the separator is consumed whatever it is: x here) */
	assert_int_equal(invite("  x" MD5, &inv), OTA_PARSE_OK);
	assert_int_equal(inv.command, 0);
	assert_int_equal(inv.host_port, 0);
	assert_int_equal(inv.size, 0);
	assert_int_equal(invite("", &inv), OTA_PARSE_LENGTH);
}

static void test_md5_length(void **state)
{
	struct ota_invite inv;

	(void)state;
	assert_int_equal(invite("0 5000 77 0123456789abcdef0123456789abcde\n", &inv),
			 OTA_PARSE_LENGTH);
	assert_int_equal(invite("0 5000 77 0123456789abcdef0123456789abcdef0\n", &inv),
			 OTA_PARSE_LENGTH);
	/* Not checked for hex, as on the device. */
	assert_int_equal(invite("0 5000 77 zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz\n", &inv),
			 OTA_PARSE_OK);
	/* Upper case kept as sent. */
	assert_int_equal(invite("0 5000 77 0123456789ABCDEF0123456789ABCDEF\n", &inv),
			 OTA_PARSE_OK);
	assert_string_equal(inv.md5, "0123456789ABCDEF0123456789ABCDEF");
	/* Inner spaces count. */
	assert_int_equal(invite("0 5000 77 0123456789abcdef 0123456789abcdef\n", &inv),
			 OTA_PARSE_LENGTH);
}

static void test_wrong_command_ignored(void **state)
{
	struct ota_invite inv;

	(void)state;
	assert_int_equal(invite("1 5000 77 " MD5 "\n", &inv), OTA_PARSE_COMMAND);
	assert_int_equal(invite("200 5000 77 " MD5 "\n", &inv), OTA_PARSE_COMMAND);
	/* No digits read as command 0: the rest then shifts into the md5. */
	assert_int_equal(invite("x0 5000 77 " MD5 "\n", &inv), OTA_PARSE_LENGTH);
	/* 16 digits read as 0 = U_FLASH, and parsing goes on after them. */
	assert_int_equal(invite("0000000000000100 5 77 " MD5 "\n", &inv), OTA_PARSE_OK);
	assert_int_equal(inv.command, 0);
	assert_int_equal(inv.host_port, 5);
	assert_int_equal(invite("00100 5000 77 " MD5 "\n", &inv), OTA_PARSE_OK);
	assert_int_equal(inv.command, 100);
}

#define CN "4c4a44b157313b69923103490ec1ef5b"
#define RS "3dd7e387c37ad26a0abae3f2a7ba1d78"

static enum ota_parse auth(const char *text, size_t hex_len, struct ota_auth_reply *r)
{
	return ota_parse_auth((const uint8_t *)text, strlen(text), hex_len, r);
}

static void test_auth_reply(void **state)
{
	struct ota_auth_reply r;

	(void)state;
	assert_int_equal(auth("200 " CN " " RS "\n", 32, &r), OTA_PARSE_OK);
	assert_string_equal(r.cnonce, CN);
	assert_string_equal(r.response, RS);
	assert_int_equal(r.response_len, 32);
	assert_int_equal(auth("  200 " CN " " RS, 32, &r), OTA_PARSE_OK);
	/* Wrong command: refused before anything else is read. */
	assert_int_equal(auth("0 5000 77 " MD5 "\n", 32, &r), OTA_PARSE_COMMAND);
	assert_int_equal(auth("201 " CN " " RS "\n", 32, &r), OTA_PARSE_COMMAND);
	/* No trimming: CR LF makes the response 33 characters. */
	assert_int_equal(auth("200 " CN " " RS "\r\n", 32, &r), OTA_PARSE_LENGTH);
	/* Two spaces: the cnonce is empty. */
	assert_int_equal(auth("200  " CN " " RS "\n", 32, &r), OTA_PARSE_LENGTH);
	assert_int_equal(auth("200 " CN "\n", 32, &r), OTA_PARSE_LENGTH);
	/* The SHA-256 scheme wants 64 characters each. */
	assert_int_equal(auth("200 " CN " " RS "\n", 64, &r), OTA_PARSE_LENGTH);
	assert_int_equal(auth("200 " CN CN " " RS RS "\n", 64, &r), OTA_PARSE_OK);
	assert_string_equal(r.cnonce, CN CN);
	assert_int_equal(r.response_len, 64);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_espota_format),
		cmocka_unit_test(test_spaces_and_terminators),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_port_truncated_to_16_bits),
		cmocka_unit_test(test_missing_fields),
		cmocka_unit_test(test_md5_length),
		cmocka_unit_test(test_wrong_command_ignored),
		cmocka_unit_test(test_auth_reply),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
