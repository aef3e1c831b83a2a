/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What updater_end() refuses before anything is scheduled, so that the
 * uploader hears it while the running app is intact: an app image that
 * the ROM or eboot would not boot (segments, checksum, length), a gzip
 * stream that does not inflate to one (CRC-32, ISIZE, truncation), a
 * device whose eboot stage 2 is missing or damaged; and the uploader's
 * expected MD5 escaped in the error text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "boot_command.h"
#include "journal.h"
#include "updater_fixture.h"

#define MB1 0x100000u
#define LEN 0x8000u

static const char trunc_why[] =
	"image ends before its segments and checksum do; it is cut short, send it whole";
static const char segs_why[] =
	"bad segment count (an image has 1 to 16); the image is damaged, rebuild it";
static const char sum_why[] =
	"image checksum does not match its segments; the image is damaged, rebuild it";

static uint8_t *good_bin(void)
{
	uint8_t *p = malloc(LEN);

	assert_non_null(p);
	make_bin(p, LEN, 2, (uint8_t)(size_nibble(MB1) << 4), 31);
	return p;
}

static void expect_text(struct device *d, const char *want)
{
	char buf[320];
	size_t n = updater_error_text(&d->u, buf, sizeof(buf));

	assert_string_equal(buf, want);
	assert_int_equal(n, strlen(want));
}

static void expect_nothing_scheduled(struct device *d)
{
	struct boot_command c;

	assert_false(boot_command_rtc_read(d->hal, &c));
	assert_false(journal_update_pending(d->hal, &d->cfg.layout));
}

/* Uploads img (len bytes) and expects end() to refuse it with want,
 * leaving the running app and the boot command as they were. */
static void refused(const uint8_t *img, uint32_t len, const char *want)
{
	struct device d;
	uint8_t *before, *after;

	device_open(&d, MB1, 0x10000, 2, 2);
	before = flash_dump(&d, 0, 0x10000);
	assert_false(upload(&d, img, len, UPDATE_CMD_FLASH, 1460, NULL));
	expect_text(&d, want);
	expect_nothing_scheduled(&d);
	after = flash_dump(&d, 0, 0x10000);
	assert_memory_equal(before, after, 0x10000);
	free(before);
	free(after);
	device_close(&d);
}

static void refused_bin(const uint8_t *img, uint32_t len, const char *where, const char *why)
{
	char want[320];

	snprintf(want, sizeof(want), "ERROR[10]: Magic byte is not 0xE9, %s: %s\n", where, why);
	refused(img, len, want);
}

static void test_good_bin_and_gzip_installed(void **state)
{
	uint8_t *img = good_bin();
	size_t zlen;
	uint8_t *gz = gzip_bytes(img, LEN, &zlen);
	struct device d;

	(void)state;
	device_open(&d, MB1, 0x10000, 2, 2);
	assert_true(upload(&d, img, LEN, UPDATE_CMD_FLASH, 1460, NULL));
	assert_true(journal_update_pending(d.hal, &d.cfg.layout));
	device_close(&d);
	device_open(&d, MB1, 0x10000, 2, 2);
	assert_true(upload(&d, gz, (uint32_t)zlen, UPDATE_CMD_FLASH, 1460, NULL));
	assert_true(journal_update_pending(d.hal, &d.cfg.layout));
	device_close(&d);
	free(gz);
	free(img);
}

static void test_segment_counts(void **state)
{
	uint8_t *img = good_bin();

	(void)state;
	img[0x1001] = 0;
	refused_bin(img, LEN, "app image at 0x1000", segs_why);
	img[0x1001] = 255;
	refused_bin(img, LEN, "app image at 0x1000", segs_why);
	img[0x1001] = 1;
	img[1] = 0;
	refused_bin(img, LEN, "eboot image at 0", segs_why);
	free(img);
}

static void test_segment_past_image(void **state)
{
	uint8_t *img = good_bin();

	(void)state;
	img[0x100F] ^= 0x01; /* the app's first segment 16 MiB longer */
	refused_bin(img, LEN, "app image at 0x1000", trunc_why);
	free(img);
}

static void test_bad_checksum(void **state)
{
	uint8_t *img = good_bin();

	(void)state;
	img[0x3000] ^= 0xFF;
	refused_bin(img, LEN, "app image at 0x1000", sum_why);
	img[0x3000] ^= 0xFF;
	img[0x40] ^= 0xFF; /* eboot's segment data */
	refused_bin(img, LEN, "eboot image at 0", sum_why);
	free(img);
}

static void test_truncated_and_single_byte(void **state)
{
	uint8_t *img = good_bin();
	static const uint8_t e9[1] = { 0xE9 };

	(void)state;
	refused_bin(img, LEN - 0x1000, "app image at 0x1000", trunc_why);
	refused_bin(img, 0x1000, "app image at 0x1000", trunc_why);
	refused_bin(e9, 1, "eboot image at 0", trunc_why);
	free(img);
}

static void test_gzip_corrupt(void **state)
{
	uint8_t *img = good_bin();
	size_t zlen;
	uint8_t *gz = gzip_bytes(img, LEN, &zlen);
	uint8_t *cut = malloc(zlen);
	uint8_t *tail = malloc(zlen + 8);

	(void)state;
	assert_non_null(cut);
	assert_non_null(tail);
	/* ISIZE smaller than the output: fits the room check, fails inflate */
	gz[zlen - 4] ^= 0x10;
	refused_bin(gz, (uint32_t)zlen, "gzip stream",
		    "gzip length check failed: the image is corrupt, upload it again");
	gz[zlen - 4] ^= 0x10;
	gz[zlen - 8] ^= 0xFF;
	refused_bin(gz, (uint32_t)zlen, "gzip stream",
		    "gzip CRC-32 check failed: the image is corrupt, upload it again");
	gz[zlen - 8] ^= 0xFF;
	/* the first half of the stream and its trailer */
	memcpy(cut, gz, zlen / 2);
	memcpy(cut + zlen / 2, gz + zlen - 8, 8);
	{
		struct device d;

		device_open(&d, MB1, 0x10000, 2, 2);
		assert_false(upload(&d, cut, (uint32_t)(zlen / 2 + 8), UPDATE_CMD_FLASH, 1460, NULL));
		assert_int_equal(updater_error(&d.u), UPDATE_ERROR_MAGIC_BYTE);
		expect_nothing_scheduled(&d);
		device_close(&d);
	}
	/* bytes after the trailer, where eboot would read ISIZE */
	memcpy(tail, gz, zlen);
	memset(tail + zlen, 0, 8);
	refused_bin(tail, (uint32_t)zlen + 8, "gzip stream",
		    "bytes follow the gzip trailer where eboot reads its length; send the .bin.gz as gzip made it");
	free(tail);
	free(cut);
	free(gz);
	free(img);
}

static void test_gzip_of_unbootable_bin(void **state)
{
	uint8_t *img = good_bin();
	size_t zlen;
	uint8_t *gz;

	(void)state;
	img[0x3000] ^= 0xFF;
	gz = gzip_bytes(img, LEN, &zlen);
	refused_bin(gz, (uint32_t)zlen, "inflated app image at 0x1000", sum_why);
	free(gz);
	free(img);
}

static void stage2_refused(uint32_t flip_at, bool erase, const char *why)
{
	uint8_t *img = good_bin();
	struct device d;
	char want[320];

	device_open(&d, MB1, 0x10000, 2, 2);
	if (erase) {
		assert_int_equal(hal_flash_erase_sector(d.hal, d.cfg.layout.stage2), HAL_OK);
	} else {
		uint8_t *s2 = flash_dump(&d, d.cfg.layout.stage2, HAL_FLASH_SECTOR);

		/* NOR flash: a write only clears bits, so rewrite the sector */
		s2[flip_at] ^= 0xFF;
		assert_int_equal(hal_flash_erase_sector(d.hal, d.cfg.layout.stage2), HAL_OK);
		assert_int_equal(hal_flash_write(d.hal, d.cfg.layout.stage2, s2, HAL_FLASH_SECTOR),
				 HAL_OK);
		free(s2);
	}
	assert_false(upload(&d, img, LEN, UPDATE_CMD_FLASH, 1460, NULL));
	snprintf(want, sizeof(want),
		 "ERROR[17]: eboot stage 2 is missing or damaged at 0x%08lx: %s; flash "
		 "eboot-stage2.bin there over serial\n",
		 (unsigned long)d.cfg.layout.stage2, why);
	expect_text(&d, want);
	expect_nothing_scheduled(&d);
	device_close(&d);
	free(img);
}

static void test_stage2_missing(void **state)
{
	(void)state;
	stage2_refused(0, true, "no image header (0xE9): stage 2 was never flashed");
}

static void test_stage2_damaged(void **state)
{
	(void)state;
	stage2_refused(40, false, "checksum does not match the segments: the image is damaged");
}

static void md5_hex(const uint8_t *p, size_t len, char hex[33])
{
	uint8_t dg[16];
	unsigned n = 0;

	assert_int_equal(EVP_Digest(p, len, dg, &n, EVP_md5(), NULL), 1);
	for (int i = 0; i < 16; i++)
		snprintf(hex + 2 * i, 3, "%02x", dg[i]);
}

/* The expected MD5 is the uploader's text: any byte of it that is no hex
 * digit is repeated as \xNN, and the longest such text arrives whole. */
static void test_md5_text_escaped(void **state)
{
	uint8_t *img = good_bin();
	struct device d;
	char calc[33], want[320], all[32 * 4 + 1];

	(void)state;
	md5_hex(img, LEN, calc);
	device_open(&d, MB1, 0x10000, 2, 2);
	assert_false(upload(&d, img, LEN, UPDATE_CMD_FLASH, 1460,
			    "0123\033[2J\r56789abcdef0123456789ab"));
	assert_int_equal(updater_error(&d.u), UPDATE_ERROR_MD5);
	snprintf(want, sizeof(want),
		 "ERROR[7]: MD5 verification failed: expected: "
		 "0123\\x1b\\x5b2\\x4a\\x0d56789abcdef0123456789ab, calculated: %s\n",
		 calc);
	expect_text(&d, want);
	expect_nothing_scheduled(&d);
	device_close(&d);

	device_open(&d, MB1, 0x10000, 2, 2);
	assert_false(upload(&d, img, LEN, UPDATE_CMD_FLASH, 1460,
			    "\x7f\x80\xffzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"));
	strcpy(all, "\\x7f\\x80\\xff");
	for (int i = 3; i < 32; i++)
		strcat(all, "\\x7a");
	snprintf(want, sizeof(want),
		 "ERROR[7]: MD5 verification failed: expected: %s, calculated: %s\n", all, calc);
	expect_text(&d, want);
	device_close(&d);
	free(img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_bin_and_gzip_installed),
		cmocka_unit_test(test_segment_counts),
		cmocka_unit_test(test_segment_past_image),
		cmocka_unit_test(test_bad_checksum),
		cmocka_unit_test(test_truncated_and_single_byte),
		cmocka_unit_test(test_gzip_corrupt),
		cmocka_unit_test(test_gzip_of_unbootable_bin),
		cmocka_unit_test(test_stage2_missing),
		cmocka_unit_test(test_stage2_damaged),
		cmocka_unit_test(test_md5_text_escaped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
