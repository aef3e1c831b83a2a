/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* image_header.c: header fields, the nibble tables of
 * docs/protocol/image-and-flash.md §3, the magic tests, unaligned flash
 * reads, and the sketch-size walk on a real flash file (a .bin laid out as
 * elf2bin writes it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "image_header.h"
#include "updater_fixture.h"

static void test_parse_and_tables(void **state)
{
	const uint8_t raw[8] = { 0xE9, 3, 2, 0x4F, 0x78, 0x56, 0x34, 0x12 };
	struct image_header h;

	(void)state;
	image_header_parse(&h, raw);
	assert_int_equal(h.magic, 0xE9);
	assert_int_equal(h.segments, 3);
	assert_int_equal(h.flash_mode, 2);
	assert_int_equal(h.size_freq, 0x4F);
	assert_int_equal(h.entry, 0x12345678u);

	assert_int_equal(image_flash_size(0x00), 512 * 1024);
	assert_int_equal(image_flash_size(0x10), 256 * 1024);
	assert_int_equal(image_flash_size(0x20), 1024 * 1024);
	assert_int_equal(image_flash_size(0x3F), 2 * 1024 * 1024);
	assert_int_equal(image_flash_size(0x40), 4 * 1024 * 1024);
	assert_int_equal(image_flash_size(0x80), 8 * 1024 * 1024);
	assert_int_equal(image_flash_size(0x90), 16 * 1024 * 1024);
	for (unsigned n = 5; n < 16; n++)
		if (n != 8 && n != 9)
			assert_int_equal(image_flash_size((uint8_t)(n << 4)), 0);

	assert_int_equal(image_flash_freq(0x40), 40000000);
	assert_int_equal(image_flash_freq(0x41), 26000000);
	assert_int_equal(image_flash_freq(0x42), 20000000);
	assert_int_equal(image_flash_freq(0x4F), 80000000);
	assert_int_equal(image_flash_freq(0x43), 0);

	for (unsigned m = 0; m < 4; m++)
		assert_int_equal(image_flash_mode((uint8_t)m), m);
	assert_int_equal(image_flash_mode(4), IMAGE_FLASH_MODE_UNKNOWN);
	assert_int_equal(image_flash_mode(0xFF), IMAGE_FLASH_MODE_UNKNOWN);
}

static void test_magics(void **state)
{
	const uint8_t app[] = { 0xE9 }, gz[] = { 0x1F, 0x8B }, half[] = { 0x1F, 0x00 };

	(void)state;
	assert_true(image_is_app(app, 1));
	assert_false(image_is_app(app, 0));
	assert_true(image_is_gzip(gz, 2));
	assert_false(image_is_gzip(gz, 1));
	assert_false(image_is_gzip(half, 2));
	assert_false(image_is_app(gz, 2));
}

static void test_sketch_size_and_reads(void **state)
{
	struct device d;
	uint32_t size = 0;
	uint8_t *bin = malloc(280000);
	uint8_t got[13];

	(void)state;
	assert_non_null(bin);
	make_bin(bin, 280000, 2, 0x20, 7);
	device_open(&d, 0x100000, 280000, 2, 2);
	assert_int_equal(image_sketch_size(d.hal, &size), IMAGE_OK);
	assert_int_equal(size, 280000);
	/* Reads at every misalignment and odd length. */
	for (uint32_t a = 0x0FFD; a < 0x1012; a++) {
		for (size_t n = 1; n <= sizeof(got); n++) {
			assert_int_equal(image_flash_read(d.hal, a, got, n), 0);
			assert_memory_equal(got, bin + a, n);
		}
	}
	/* A blank chip has no app header; a segment length pointing off the
	 * chip is caught instead of wrapping around. */
	assert_int_equal(image_end(d.hal, 0x200000 - 0x1000, &size), IMAGE_ERR_READ);
	assert_int_equal(image_end(d.hal, 0x80000, &size), IMAGE_ERR_MAGIC);
	device_close(&d);

	bin[0x100C] = 0xF0; /* segment length 0x...F0: beyond 1 MB */
	bin[0x100D] = 0xFF;
	bin[0x100E] = 0x7F;
	device_open(&d, 0x100000, 0, 2, 2);
	{
		uint32_t off;
		/* write the damaged .bin through the HAL (erase + program) */
		for (off = 0; off < 0x2000; off += 0x1000)
			assert_int_equal(hal_flash_erase_sector(d.hal, off), 0);
		assert_int_equal(hal_flash_write(d.hal, 0, bin, 0x2000), 0);
	}
	assert_int_equal(image_sketch_size(d.hal, &size), IMAGE_ERR_RANGE);
	assert_non_null(image_strerror(IMAGE_ERR_RANGE));
	device_close(&d);
	free(bin);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_and_tables),
		cmocka_unit_test(test_magics),
		cmocka_unit_test(test_sketch_size_and_reads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
