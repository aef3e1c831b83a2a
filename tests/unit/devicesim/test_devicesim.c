/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The simulator's library: the boot ROM's image check over real flash
 * files, the built-in sample app, the installed-size rule with signature
 * trailers, and the device's configuration file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app_image.h"
#include "crc32.h"
#include "device.h"
#include "device_config.h"
#include "device_status.h"
#include "fwmem.h"
#include "hal_posix.h"
#include "kvfile.h"
#include "sample_app.h"

#define CHIP 0x100000u

struct fixture {
	char dir[64];
	struct device d;
	uint8_t *app;
	size_t app_len;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct hal_posix_config hc = { .power_cut_after = -1 };
	char err[256];

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/devicesim.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(err, sizeof(err), "%s/dev.flash", f->dir);
	if (device_paths_init(&f->d.paths, err) != 0)
		return -1;
	if (hal_posix_create_flash(f->d.paths.flash, CHIP, err, sizeof(err)) != 0)
		return -1;
	hc.flash_path = f->d.paths.flash;
	hc.rtc_path = f->d.paths.rtc;
	if (hal_posix_open(&f->d.hal, &hc, err, sizeof(err)) != 0)
		return -1;
	if (flash_layout_default(&f->d.layout, CHIP) != 0)
		return -1;
	f->app_len = sample_app_build(&f->app, CHIP, 2);
	if (f->app_len == 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	device_close(&f->d);
	free(f->app);
	unlink(f->d.paths.flash);
	unlink(f->d.paths.conf);
	unlink(f->d.paths.state);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* Programs buf at addr (erased flash; length padded to words with 0xFF). */
static void program(struct fixture *f, uint32_t addr, const uint8_t *buf, size_t len)
{
	size_t whole = len & ~(size_t)3u;

	assert_int_equal(hal_flash_write(f->d.hal, addr, buf, whole), HAL_OK);
	if (whole < len) {
		uint8_t tail[4] = { 0xFF, 0xFF, 0xFF, 0xFF };

		memcpy(tail, buf + whole, len - whole);
		assert_int_equal(hal_flash_write(f->d.hal, addr + (uint32_t)whole, tail, 4), HAL_OK);
	}
}

static void test_sample_app_is_elf2bin_shaped(void **state)
{
	struct fixture *f = *state;
	uint8_t *again;
	size_t len2 = sample_app_build(&again, CHIP, 2);
	uint8_t copy[8];
	uint32_t crc;

	assert_int_equal(len2, f->app_len);
	assert_memory_equal(again, f->app, f->app_len); /* deterministic */
	free(again);
	assert_int_equal(f->app_len % 16, 0);
	assert_int_equal(f->app[0], 0xE9);
	assert_int_equal(f->app[0xFFF], 0xAA); /* eboot sector padding */
	assert_int_equal(f->app[0x1000], 0xE9);
	assert_int_equal(f->app[0x1002], 2);    /* dio */
	assert_int_equal(f->app[0x1003], 0x20); /* 1 MB, 40 MHz */
	assert_int_equal(fw_load_le32(f->app + 0x1010), f->app_len);
	/* elf2bin's CRC: over the .bin with the length and CRC words zero. */
	memcpy(copy, f->app + 0x1010, 8);
	memset(f->app + 0x1010, 0, 8);
	crc = crc32_mpeg2(0xFFFFFFFFu, f->app, f->app_len);
	memcpy(f->app + 0x1010, copy, 8);
	assert_int_equal(fw_load_le32(f->app + 0x1014), crc);
}

static void test_check_accepts_sample(void **state)
{
	struct fixture *f = *state;
	struct app_image_info info;

	program(f, 0, f->app, f->app_len);
	assert_int_equal(app_image_check(f->d.hal, 0, &info), APP_IMAGE_OK); /* eboot */
	assert_int_equal(app_image_check(f->d.hal, 0x1000, &info), APP_IMAGE_OK);
	assert_int_equal(info.segments, 3);
	assert_int_equal(info.entry, 0x40100004u);
	assert_int_equal(info.end, f->app_len);
}

static void test_check_finds_a_flipped_byte(void **state)
{
	struct fixture *f = *state;
	struct app_image_info info;

	f->app[0x5000] ^= 0x01;
	program(f, 0, f->app, f->app_len);
	assert_int_equal(app_image_check(f->d.hal, 0x1000, &info), APP_IMAGE_ERR_CHECKSUM);
}

static void test_check_refuses_bad_headers(void **state)
{
	struct fixture *f = *state;
	struct app_image_info info;
	uint8_t blob[16] = { 0xE9, 0, 2, 0x20 };

	assert_int_equal(app_image_check(f->d.hal, 0x1000, &info), APP_IMAGE_ERR_MAGIC);
	program(f, 0x2000, blob, sizeof(blob)); /* no segments */
	assert_int_equal(app_image_check(f->d.hal, 0x2000, &info), APP_IMAGE_ERR_SEGMENTS);
	/* One segment whose length runs past the chip. */
	blob[1] = 1;
	fw_store_le32(blob + 8, 0x40100000u);
	fw_store_le32(blob + 12, CHIP);
	program(f, 0x3000, blob, sizeof(blob));
	assert_int_equal(app_image_check(f->d.hal, 0x3000, &info), APP_IMAGE_ERR_RANGE);
	assert_int_equal(app_image_check(f->d.hal, CHIP - 4, &info), APP_IMAGE_ERR_RANGE);
}

static void test_unaligned_reads(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[5000];

	program(f, 0, f->app, f->app_len);
	for (uint32_t off = 0x1001; off < 0x1008; off++) {
		assert_int_equal(app_flash_read_bytes(f->d.hal, off, buf, 4099), HAL_OK);
		assert_memory_equal(buf, f->app + off, 4099);
	}
}

static void test_installed_size_with_signature(void **state)
{
	struct fixture *f = *state;
	uint8_t trailer[260];
	bool valid;

	program(f, 0, f->app, f->app_len);
	assert_int_equal(device_installed_app_size(&f->d, &valid), f->app_len);
	assert_true(valid);
	memset(trailer, 0x3C, 256);
	fw_store_le32(trailer + 256, 256);
	program(f, (uint32_t)f->app_len, trailer, sizeof(trailer));
	assert_int_equal(device_installed_app_size(&f->d, &valid), f->app_len + 260);
	assert_true(valid);
}

static void test_installed_size_ignores_non_trailer(void **state)
{
	struct fixture *f = *state;
	uint8_t junk[260];
	bool valid;

	program(f, 0, f->app, f->app_len);
	memset(junk, 0x00, sizeof(junk));
	fw_store_le32(junk + 256, 255); /* not a signature length */
	program(f, (uint32_t)f->app_len, junk, sizeof(junk));
	assert_int_equal(device_installed_app_size(&f->d, &valid), f->app_len);
}

static void test_flash_md5(void **state)
{
	struct fixture *f = *state;
	char hex[33], want[33];
	unsigned char ref[16];
	unsigned n = 0;

	/* RFC 1321: MD5 of nothing; and of 4096 erased bytes (md5sum of 4096 0xFF bytes). */
	assert_int_equal(device_flash_md5(&f->d, 0, 0, hex), HAL_OK);
	assert_string_equal(hex, "d41d8cd98f00b204e9800998ecf8427e");
	assert_int_equal(device_flash_md5(&f->d, 0x10000, 4096, hex), HAL_OK);
	assert_string_equal(hex, "6ae59e64850377ee5470c854761551ea");
	/* The app as written, against libcrypto. */
	program(f, 0, f->app, f->app_len);
	assert_int_equal(device_flash_md5(&f->d, 0, (uint32_t)f->app_len, hex), HAL_OK);
	assert_int_equal(EVP_Digest(f->app, f->app_len, ref, &n, EVP_md5(), NULL), 1);
	for (unsigned i = 0; i < n; i++)
		snprintf(want + 2 * i, 3, "%02x", ref[i]);
	assert_string_equal(hex, want);
}

static void test_config_round_trip(void **state)
{
	struct fixture *f = *state;
	struct device_config a = { .flash_size = CHIP, .flash_mode = 3, .chip_id = 0xABCDEF,
				   .signing = true, .atomic_fs = true };
	struct device_config b;
	char err[256];

	snprintf(a.password_md5, sizeof(a.password_md5), "5ebe2294ecd0e0f08eab7690d2a6ee69");
	snprintf(a.hostname, sizeof(a.hostname), "node-7");
	assert_int_equal(device_config_save(&a, &f->d.paths, err, sizeof(err)), 0);
	assert_int_equal(device_config_load(&b, &f->d.paths, err, sizeof(err)), 0);
	assert_int_equal(b.flash_size, CHIP);
	assert_int_equal(b.flash_mode, 3);
	assert_int_equal(b.chip_id, 0xABCDEF);
	assert_string_equal(b.password_md5, a.password_md5);
	assert_string_equal(b.hostname, "node-7");
	assert_true(b.signing);
	assert_false(b.accept_legacy);
	assert_true(b.atomic_fs);
}

static void test_config_refuses_garbage(void **state)
{
	struct fixture *f = *state;
	struct device_config c;
	char err[512];
	FILE *fp;

	assert_int_not_equal(device_config_load(&c, &f->d.paths, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "espota-device init")); /* says what to do */
	fp = fopen(f->d.paths.conf, "w");
	assert_non_null(fp);
	fputs("flash_size=1048576\nflash_mode=fast\n", fp);
	fclose(fp);
	assert_int_not_equal(device_config_load(&c, &f->d.paths, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "bad device configuration"));
}

static void test_kvfile(void **state)
{
	struct fixture *f = *state;
	struct kvfile kv;
	FILE *fp = fopen(f->d.paths.state, "w");

	assert_non_null(fp);
	fputs("# comment\n\nkey=value\nempty=\nwith=equals=sign\n", fp);
	fclose(fp);
	assert_int_equal(kvfile_load(&kv, f->d.paths.state), 0);
	assert_string_equal(kvfile_get(&kv, "key"), "value");
	assert_string_equal(kvfile_get(&kv, "empty"), "");
	assert_string_equal(kvfile_get(&kv, "with"), "equals=sign");
	assert_null(kvfile_get(&kv, "missing"));
	kvfile_free(&kv);
	fp = fopen(f->d.paths.state, "w");
	assert_non_null(fp);
	fputs("no equals sign here\n", fp);
	fclose(fp);
	assert_int_not_equal(kvfile_load(&kv, f->d.paths.state), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sample_app_is_elf2bin_shaped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_accepts_sample, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_finds_a_flipped_byte, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_refuses_bad_headers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unaligned_reads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_installed_size_with_signature, setup, teardown),
		cmocka_unit_test_setup_teardown(test_installed_size_ignores_non_trailer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flash_md5, setup, teardown),
		cmocka_unit_test_setup_teardown(test_config_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_config_refuses_garbage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kvfile, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
