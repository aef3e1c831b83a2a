/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Image inspection: ROM headers, segments, checksum, the .bin length and
 * CRC words, signing trailer and gzip detection; path helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "image_info.h"
#include "sign_io.h"

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* A ROM image at buf+at with two segments of n1 and n2 bytes; returns its end. */
static size_t rom(uint8_t *buf, size_t at, uint8_t mode, uint8_t sf, size_t n1, size_t n2)
{
	size_t p = at;
	uint8_t sum = 0xEF;
	const size_t n[2] = {n1, n2};
	const uint32_t addr[2] = {0x40201010u, 0x3FFE8000u};

	buf[p++] = 0xE9;
	buf[p++] = 2;
	buf[p++] = mode;
	buf[p++] = sf;
	put32(buf + p, 0x40100004u);
	p += 4;
	for (int s = 0; s < 2; s++) {
		put32(buf + p, addr[s]);
		put32(buf + p + 4, (uint32_t)n[s]);
		p += 8;
		for (size_t i = 0; i < n[s]; i++) {
			/* at 0x1000 the first 8 bytes are elf2bin's zero placeholders */
			buf[p] =
			    at == 0x1000 && s == 0 && i < 8 ? 0 : (uint8_t)(i * 13 + (size_t)s);
			sum ^= buf[p++];
		}
	}
	while ((p - at + 1) % 16)
		buf[p++] = 0;
	buf[p++] = sum;
	return p;
}

static void test_crc_mpeg2(void **state)
{
	(void)state;
	assert_int_equal(crc32_mpeg2(0xFFFFFFFFu, (const uint8_t *)"123456789", 9), 0x0376E6E7u);
	assert_int_equal(crc32_mpeg2(0xFFFFFFFFu, NULL, 0), 0xFFFFFFFFu);
	/* split anywhere: same result */
	for (size_t k = 0; k <= 9; k++)
		assert_int_equal(
		    crc32_mpeg2(crc32_mpeg2(0xFFFFFFFFu, (const uint8_t *)"123456789", k),
		                (const uint8_t *)"123456789" + k, 9 - k),
		    0x0376E6E7u);
}

static void test_rom_parse(void **state)
{
	static uint8_t buf[512];
	struct rom_image r;
	size_t end;

	(void)state;
	memset(buf, 0, sizeof(buf));
	end = rom(buf, 0, 2, 0x40, 100, 21);
	assert_int_equal(end % 16, 0);
	rom_image_parse(buf, end, 0, &r);
	assert_true(r.present);
	assert_true(r.complete);
	assert_int_equal(r.nsegs, 2);
	assert_int_equal(r.nparsed, 2);
	assert_string_equal(flash_mode_name(r.flash_mode), "DIO");
	assert_int_equal(flash_size_bytes(r.flash_size_freq), 4u << 20);
	assert_int_equal(flash_freq_hz(r.flash_size_freq), 40000000u);
	assert_int_equal(r.entry, 0x40100004u);
	assert_int_equal(r.seg[0].addr, 0x40201010u);
	assert_int_equal(r.seg[0].size, 100);
	assert_int_equal(r.seg[0].offset, 16);
	assert_int_equal(r.seg[1].offset, 16 + 100 + 8);
	assert_int_equal(r.end, end);
	assert_int_equal(r.checksum_stored, r.checksum_computed);
	assert_true(r.checksum_ok);
	/* one flipped data byte: checksum no longer matches */
	buf[20] ^= 0x10;
	rom_image_parse(buf, end, 0, &r);
	assert_int_not_equal(r.checksum_stored, r.checksum_computed);
	buf[20] ^= 0x10;
	/* cut anywhere inside: never complete, never reads past the end */
	for (size_t cut = 8; cut < end; cut++) {
		rom_image_parse(buf, cut, 0, &r);
		assert_true(r.present);
		assert_false(r.complete);
	}
	rom_image_parse(buf, 7, 0, &r);
	assert_false(r.present);
	buf[0] = 0xEA;
	rom_image_parse(buf, end, 0, &r);
	assert_false(r.present);
}

static void test_flash_names(void **state)
{
	(void)state;
	assert_string_equal(flash_mode_name(0), "QIO");
	assert_string_equal(flash_mode_name(3), "DOUT");
	assert_string_equal(flash_mode_name(4), "unknown");
	assert_string_equal(flash_size_name(0x20), "1MB");
	assert_string_equal(flash_size_name(0x90), "16MB");
	assert_string_equal(flash_size_name(0x50), "unknown");
	assert_int_equal(flash_size_bytes(0x10), 256u * 1024);
	assert_int_equal(flash_freq_hz(0x0F), 80000000u);
	assert_int_equal(flash_freq_hz(0x01), 26000000u);
	assert_int_equal(flash_freq_hz(0x03), 0);
}

static void test_arduino_bin(void **state)
{
	static uint8_t buf[0x1400 + 1024 + 4];
	struct image_info info;
	size_t end;
	uint32_t crc;

	(void)state;
	memset(buf, 0xAA, sizeof(buf));
	rom(buf, 0, 3, 0x20, 200, 40);
	end = rom(buf, 0x1000, 3, 0x20, 300, 64);
	/* elf2bin: length and CRC words at 0x1010, CRC taken with both zero */
	memset(buf + 0x1010, 0, 8);
	crc = crc32_mpeg2(0xFFFFFFFFu, buf, end);
	put32(buf + 0x1010, (uint32_t)end);
	put32(buf + 0x1014, crc);
	image_inspect(buf, end, &info);
	assert_true(info.arduino_bin);
	assert_false(info.signed_trailer);
	assert_false(info.gzip);
	assert_int_equal(info.payload_len, end);
	assert_true(info.eboot.complete);
	assert_true(info.app.complete);
	assert_true(info.eboot.checksum_ok);
	assert_false(info.eboot.checksum_words_zeroed);
	assert_true(info.app.checksum_ok); /* with the words as zero */
	assert_true(info.app.checksum_words_zeroed);
	assert_int_equal(info.app.end, end);
	assert_int_equal(info.bin_length, end);
	assert_true(info.bin_crc_checked);
	assert_int_equal(info.bin_crc_computed, crc);
	/* one flipped segment byte breaks both the app checksum and the CRC */
	buf[0x1100] ^= 1;
	image_inspect(buf, end, &info);
	assert_int_not_equal(info.bin_crc_computed, info.bin_crc);
	assert_int_not_equal(info.app.checksum_stored, info.app.checksum_computed);
	assert_false(info.app.checksum_ok);
	buf[0x1100] ^= 1;

	/* signed: 256 bytes of signature and the trailer */
	memset(buf + end, 0x5A, 256);
	put32(buf + end + 256, 256);
	image_inspect(buf, end + 260, &info);
	assert_true(info.signed_trailer);
	assert_int_equal(info.sig_len, 256);
	assert_int_equal(info.payload_len, end);
	assert_true(info.arduino_bin);
	assert_int_equal(info.bin_crc_computed, crc);
	/* an odd length field is not taken for a signature */
	put32(buf + end + 256, 255);
	image_inspect(buf, end + 260, &info);
	assert_false(info.signed_trailer);
}

static void test_gzip_detect(void **state)
{
	uint8_t gz[40] = {0x1f, 0x8b, 8, 0};
	struct image_info info;

	(void)state;
	put32(gz + 36, 123456);
	image_inspect(gz, sizeof(gz), &info);
	assert_true(info.gzip);
	assert_int_equal(info.gzip_isize, 123456);
	assert_false(info.arduino_bin);
	assert_false(info.eboot.present);
}

static void test_dirname(void **state)
{
	char d[64];

	(void)state;
	sign_dirname("a/b/c.h", d, sizeof(d));
	assert_string_equal(d, "a/b");
	sign_dirname("c.h", d, sizeof(d));
	assert_string_equal(d, ".");
	sign_dirname("/c.h", d, sizeof(d));
	assert_string_equal(d, "/");
	sign_dirname("./c.h", d, sizeof(d));
	assert_string_equal(d, ".");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_crc_mpeg2),   cmocka_unit_test(test_rom_parse),
	    cmocka_unit_test(test_flash_names), cmocka_unit_test(test_arduino_bin),
	    cmocka_unit_test(test_gzip_detect), cmocka_unit_test(test_dirname),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
