/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* firmware/core crc32.c: the check values, the eboot command-block vectors
 * of docs/protocol/image-and-flash.md §7.3, and crc32_gzip against zlib's crc32(). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <zlib.h>

#include "crc32.h"

static void test_check_values(void **state)
{
	(void)state;
	assert_int_equal(crc32_mpeg2(0xFFFFFFFFu, "123456789", 9), 0x0376E6E7u);
	assert_int_equal(crc32_mpeg2(0xFFFFFFFFu, "", 0), 0xFFFFFFFFu);
	assert_int_equal(crc32_gzip(0, "123456789", 9), 0xCBF43926u);
	assert_int_equal(crc32_gzip(0, "", 0), 0);
	/* chaining: same result whatever the split */
	for (size_t cut = 0; cut <= 9; cut++) {
		static const char check[] = "123456789";
		uint32_t m = crc32_mpeg2(0xFFFFFFFFu, check, cut);
		uint32_t g = crc32_gzip(0, check, cut);

		assert_int_equal(crc32_mpeg2(m, &check[cut], 9 - cut), 0x0376E6E7u);
		assert_int_equal(crc32_gzip(g, &check[cut], 9 - cut), 0xCBF43926u);
	}
}

/* Builds the 128-byte RTC command block (magic, action, 29 args) as the
 * Updater writes it, and returns the CRC over bytes 0..123. */
static uint32_t command_crc(uint32_t action, uint32_t a0, uint32_t a1, uint32_t a2, uint8_t blk[128])
{
	uint32_t words[32] = { 0xEB001000u, action, a0, a1, a2 };

	for (int i = 0; i < 32; i++)
		for (int b = 0; b < 4; b++)
			blk[4 * i + b] = (uint8_t)(words[i] >> (8 * b));
	return crc32_mpeg2(0xFFFFFFFFu, blk, 124);
}

static void test_eboot_command_vectors(void **state)
{
	static const uint8_t first20[20] = { 0x00, 0x10, 0x00, 0xeb, 0x01, 0x00, 0x00, 0x00, 0x00, 0x60,
					     0x0b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x67, 0x45, 0x03, 0x00 };
	uint8_t blk[128];

	(void)state;
	assert_int_equal(command_crc(1, 0xB6000, 0, 0x34567, blk), 0x26C2A04Cu);
	assert_memory_equal(blk, first20, 20);
	assert_int_equal(command_crc(0xFFFFFFFFu, 0, 0, 0, blk), 0xE5E8ABB9u);
	assert_int_equal(command_crc(1, 0x1C0000, 0x200000, 0x40000, blk), 0x2A2B2C18u);
}

static void test_gzip_matches_zlib(void **state)
{
	static uint8_t buf[70000];
	uint32_t seed = 3;

	(void)state;
	for (size_t i = 0; i < sizeof(buf); i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (uint8_t)(seed >> 16);
	}
	for (size_t len = 0; len < 300; len++)
		assert_int_equal(crc32_gzip(0, buf, len), (uint32_t)crc32(0, buf, (uInt)len));
	/* chained in uneven pieces, starting from a non-zero value as zlib allows */
	uint32_t mine = 0x12345678u;
	uLong ref = 0x12345678u;
	for (size_t off = 0, n = 1; off < sizeof(buf); off += n, n = n * 3 + 1) {
		if (n > sizeof(buf) - off)
			n = sizeof(buf) - off;
		mine = crc32_gzip(mine, buf + off, n);
		ref = crc32(ref, buf + off, (uInt)n);
		assert_int_equal(mine, (uint32_t)ref);
	}
}

/* crc32_mpeg2 against a plain MSB-first definition, for all lengths and
 * starting values, so nothing in the fast path can drift from the spec. */
static uint32_t mpeg2_by_definition(uint32_t crc, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		for (int bit = 7; bit >= 0; bit--) {
			uint32_t in = (p[i] >> bit) & 1u;
			uint32_t top = crc >> 31;

			crc <<= 1;
			if (top ^ in)
				crc ^= 0x04C11DB7u;
		}
	return crc;
}

static void test_mpeg2_definition(void **state)
{
	uint8_t buf[600];
	uint32_t seed = 9;

	(void)state;
	for (size_t i = 0; i < sizeof(buf); i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (uint8_t)(seed >> 16);
	}
	for (size_t len = 0; len <= sizeof(buf); len += 7)
		assert_int_equal(crc32_mpeg2(0xFFFFFFFFu, buf, len), mpeg2_by_definition(0xFFFFFFFFu, buf, len));
	assert_int_equal(crc32_mpeg2(0, buf, 100), mpeg2_by_definition(0, buf, 100));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_values),
		cmocka_unit_test(test_eboot_command_vectors),
		cmocka_unit_test(test_gzip_matches_zlib),
		cmocka_unit_test(test_mpeg2_definition),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
