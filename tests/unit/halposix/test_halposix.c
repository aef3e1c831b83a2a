/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The POSIX HAL's NOR flash rules, RTC memory and power-cut semantics,
 * checked against the bytes of the real files underneath. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hal_posix.h"

#define FLASH_SIZE (16u * HAL_FLASH_SECTOR)

struct fixture {
	char dir[64];
	char flash[96];
	char rtc[96];
	struct hal *h;
};

static int open_dev(struct fixture *f, long cut, bool torn)
{
	struct hal_posix_config cfg = { .flash_path = f->flash,
					.rtc_path = f->rtc,
					.power_cut_after = cut,
					.power_cut_torn = torn };
	char err[256];

	if (f->h)
		hal_posix_close(f->h);
	f->h = NULL;
	if (hal_posix_open(&f->h, &cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[256];

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "%s", "/tmp/halposix.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->flash, sizeof(f->flash), "%s/flash.bin", f->dir);
	snprintf(f->rtc, sizeof(f->rtc), "%s/flash.rtc", f->dir);
	if (hal_posix_create_flash(f->flash, FLASH_SIZE, err, sizeof(err)) != 0)
		return -1;
	if (open_dev(f, -1, false) != 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	hal_posix_close(f->h);
	unlink(f->flash);
	unlink(f->rtc);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* The bytes of the flash file itself, not through the HAL. */
static void file_bytes(const struct fixture *f, uint32_t off, uint8_t *buf, size_t len)
{
	FILE *fp = fopen(f->flash, "rb");

	assert_non_null(fp);
	assert_int_equal(fseek(fp, (long)off, SEEK_SET), 0);
	assert_int_equal(fread(buf, 1, len, fp), len);
	fclose(fp);
}

static bool all_equal(const uint8_t *p, size_t len, uint8_t v)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != v)
			return false;
	return true;
}

static void test_blank_chip(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[HAL_FLASH_SECTOR];
	struct stat st;

	assert_int_equal(stat(f->flash, &st), 0);
	assert_int_equal(st.st_size, FLASH_SIZE);
	assert_int_equal(hal_flash_size(f->h), FLASH_SIZE);
	for (uint32_t a = 0; a < FLASH_SIZE; a += sizeof(buf)) {
		assert_int_equal(hal_flash_read(f->h, a, buf, sizeof(buf)), HAL_OK);
		assert_true(all_equal(buf, sizeof(buf), 0xFF));
	}
	assert_int_equal(hal_posix_flash_ops(f->h), 0);
}

static void test_create_rejects_bad_size(void **state)
{
	struct fixture *f = *state;
	char path[128], err[256] = "";

	snprintf(path, sizeof(path), "%s/odd.bin", f->dir);
	assert_int_not_equal(hal_posix_create_flash(path, 4097, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "4097"));
	assert_int_not_equal(hal_posix_create_flash(path, 0, err, sizeof(err)), 0);
}

static void test_open_rejects_missing_file(void **state)
{
	struct fixture *f = *state;
	struct hal *h = NULL;
	char path[128], err[256] = "";
	struct hal_posix_config cfg = { .rtc_path = f->rtc, .power_cut_after = -1 };

	snprintf(path, sizeof(path), "%s/none.bin", f->dir);
	cfg.flash_path = path;
	assert_int_not_equal(hal_posix_open(&h, &cfg, err, sizeof(err)), 0);
	assert_null(h);
	assert_non_null(strstr(err, "none.bin"));
}

static void test_write_lands_in_file(void **state)
{
	struct fixture *f = *state;
	uint8_t data[64], back[64];

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 37u);
	assert_int_equal(hal_flash_write(f->h, 0x2000, data, sizeof(data)), HAL_OK);
	file_bytes(f, 0x2000, back, sizeof(back));
	assert_memory_equal(back, data, sizeof(data));
	assert_int_equal(hal_flash_read(f->h, 0x2000, back, sizeof(back)), HAL_OK);
	assert_memory_equal(back, data, sizeof(data));
	assert_int_equal(hal_posix_flash_ops(f->h), 1);
}

static void test_write_only_clears_bits(void **state)
{
	struct fixture *f = *state;
	uint8_t a[4] = { 0xF0, 0xFF, 0x0F, 0xAA };
	uint8_t b[4] = { 0xF0, 0x7F, 0x0F, 0x00 }; /* clears more bits only: fine */
	uint8_t c[4] = { 0xF1, 0x7F, 0x0F, 0x00 }; /* sets bit 0 of byte 0: refused */
	uint8_t back[4];

	assert_int_equal(hal_flash_write(f->h, 0x100, a, 4), HAL_OK);
	assert_int_equal(hal_flash_write(f->h, 0x100, b, 4), HAL_OK);
	assert_int_equal(hal_flash_write(f->h, 0x100, c, 4), HAL_EIO);
	file_bytes(f, 0x100, back, 4);
	assert_memory_equal(back, b, 4); /* the refused write changed nothing */
	assert_int_equal(hal_posix_flash_ops(f->h), 2);
}

static void test_refused_write_changes_nothing(void **state)
{
	struct fixture *f = *state;
	uint8_t zero[8] = { 0 }, mixed[8] = { 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF };
	uint8_t back[16];

	assert_int_equal(hal_flash_write(f->h, 0x204, zero, 4), HAL_OK);
	/* First word programmable, second would set bits over the zeros. */
	assert_int_equal(hal_flash_write(f->h, 0x200, mixed, 8), HAL_EIO);
	file_bytes(f, 0x200, back, 16);
	assert_true(all_equal(back, 4, 0xFF));
	assert_true(all_equal(back + 4, 4, 0x00));
	assert_true(all_equal(back + 8, 8, 0xFF));
}

static void test_erase_sets_sector_to_ff(void **state)
{
	struct fixture *f = *state;
	uint8_t zero[HAL_FLASH_SECTOR] = { 0 }, back[3 * HAL_FLASH_SECTOR];

	for (uint32_t s = 1; s <= 3; s++)
		assert_int_equal(hal_flash_write(f->h, s * HAL_FLASH_SECTOR, zero, sizeof(zero)),
				 HAL_OK);
	assert_int_equal(hal_flash_erase_sector(f->h, 2 * HAL_FLASH_SECTOR), HAL_OK);
	file_bytes(f, HAL_FLASH_SECTOR, back, sizeof(back));
	assert_true(all_equal(back, HAL_FLASH_SECTOR, 0x00));
	assert_true(all_equal(back + HAL_FLASH_SECTOR, HAL_FLASH_SECTOR, 0xFF));
	assert_true(all_equal(back + 2 * HAL_FLASH_SECTOR, HAL_FLASH_SECTOR, 0x00));
	/* Erased, the sector takes any data again. */
	assert_int_equal(hal_flash_write(f->h, 2 * HAL_FLASH_SECTOR, zero, 4), HAL_OK);
	assert_int_equal(hal_posix_flash_ops(f->h), 5);
}

static void test_alignment(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[8] = { 0 };

	assert_int_equal(hal_flash_erase_sector(f->h, 0x1004), HAL_EALIGN);
	assert_int_equal(hal_flash_erase_sector(f->h, 0x800), HAL_EALIGN);
	assert_int_equal(hal_flash_write(f->h, 0x102, buf, 4), HAL_EALIGN);
	assert_int_equal(hal_flash_write(f->h, 0x100, buf, 6), HAL_EALIGN);
	assert_int_equal(hal_flash_read(f->h, 0x101, buf, 4), HAL_EALIGN);
	assert_int_equal(hal_flash_read(f->h, 0x100, buf, 3), HAL_EALIGN);
	file_bytes(f, 0x100, buf, 8);
	assert_true(all_equal(buf, 8, 0xFF));
	assert_int_equal(hal_posix_flash_ops(f->h), 0); /* refused ops are not ops */
}

static void test_range(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[8] = { 0 };

	assert_int_equal(hal_flash_erase_sector(f->h, FLASH_SIZE), HAL_ERANGE);
	assert_int_equal(hal_flash_erase_sector(f->h, 0xFFFFF000u), HAL_ERANGE);
	assert_int_equal(hal_flash_write(f->h, FLASH_SIZE - 4, buf, 8), HAL_ERANGE);
	assert_int_equal(hal_flash_read(f->h, FLASH_SIZE - 4, buf, 8), HAL_ERANGE);
	assert_int_equal(hal_flash_read(f->h, 0xFFFFFFFCu, buf, 8), HAL_ERANGE);
	assert_int_equal(hal_flash_read(f->h, FLASH_SIZE - 8, buf, 8), HAL_OK);
	assert_int_equal(hal_flash_write(f->h, FLASH_SIZE - 8, buf, 8), HAL_OK);
	assert_int_equal(hal_flash_read(f->h, FLASH_SIZE, buf, 0), HAL_OK);
}

static void test_rtc_survives_reset(void **state)
{
	struct fixture *f = *state;
	uint8_t cmd[128], back[128];

	assert_int_equal(hal_rtc_read(f->h, 0, back, sizeof(back)), HAL_OK);
	assert_true(all_equal(back, sizeof(back), 0)); /* power-on state */
	for (size_t i = 0; i < sizeof(cmd); i++)
		cmd[i] = (uint8_t)(i + 1);
	assert_int_equal(hal_rtc_write(f->h, 0, cmd, sizeof(cmd)), HAL_OK);
	assert_int_equal(open_dev(f, -1, false), 0); /* a reset: a new process */
	assert_int_equal(hal_rtc_read(f->h, 0, back, sizeof(back)), HAL_OK);
	assert_memory_equal(back, cmd, sizeof(cmd));
	assert_int_equal(hal_rtc_write(f->h, 2, cmd, 4), HAL_EALIGN);
	assert_int_equal(hal_rtc_write(f->h, HAL_RTC_USER_SIZE - 4, cmd, 8), HAL_ERANGE);
	assert_int_equal(hal_rtc_read(f->h, HAL_RTC_USER_SIZE - 4, back, 4), HAL_OK);
}

static void test_power_cut_after_op(void **state)
{
	struct fixture *f = *state;
	uint8_t data[16], back[16], rtc[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

	memset(data, 0x5A, sizeof(data));
	assert_int_equal(open_dev(f, 3, false), 0);
	assert_int_equal(hal_rtc_write(f->h, 0, rtc, sizeof(rtc)), HAL_OK);
	assert_true(access(f->rtc, F_OK) == 0);
	assert_int_equal(hal_flash_erase_sector(f->h, 0), HAL_OK);           /* op 1 */
	assert_int_equal(hal_flash_write(f->h, 0, data, 4), HAL_OK);         /* op 2 */
	assert_false(hal_posix_power_lost(f->h));
	assert_int_equal(hal_flash_write(f->h, 16, data, 16), HAL_EPOWER);  /* op 3: cut */
	assert_true(hal_posix_power_lost(f->h));
	assert_int_equal(hal_posix_flash_ops(f->h), 3);
	/* The cut write was carried out in full before the power went. */
	file_bytes(f, 16, back, 16);
	assert_memory_equal(back, data, 16);
	/* Nothing works any more, and nothing more is counted. */
	assert_int_equal(hal_flash_write(f->h, 64, data, 4), HAL_EPOWER);
	assert_int_equal(hal_flash_erase_sector(f->h, 0x1000), HAL_EPOWER);
	assert_int_equal(hal_flash_read(f->h, 0, back, 4), HAL_EPOWER);
	assert_int_equal(hal_rtc_read(f->h, 0, back, 4), HAL_EPOWER);
	assert_int_equal(hal_rtc_write(f->h, 0, rtc, 4), HAL_EPOWER);
	assert_int_equal(hal_posix_flash_ops(f->h), 3);
	file_bytes(f, 64, back, 4);
	assert_true(all_equal(back, 4, 0xFF));
	/* RTC memory is gone: the next power-on finds zeros. */
	assert_true(access(f->rtc, F_OK) != 0);
	assert_int_equal(open_dev(f, -1, false), 0);
	assert_int_equal(hal_rtc_read(f->h, 0, back, 8), HAL_OK);
	assert_true(all_equal(back, 8, 0));
	assert_false(hal_posix_power_lost(f->h));
}

static void test_power_cut_on_erase(void **state)
{
	struct fixture *f = *state;
	uint8_t zero[16] = { 0 }, back[16];

	assert_int_equal(hal_flash_write(f->h, 0x3000, zero, 16), HAL_OK);
	assert_int_equal(open_dev(f, 1, false), 0);
	assert_int_equal(hal_flash_erase_sector(f->h, 0x3000), HAL_EPOWER);
	file_bytes(f, 0x3000, back, 16);
	assert_true(all_equal(back, 16, 0xFF)); /* the erase itself completed */
}

static void test_torn_write(void **state)
{
	struct fixture *f = *state;
	uint8_t zero[32] = { 0 }, back[32];

	assert_int_equal(open_dev(f, 1, true), 0);
	assert_int_equal(hal_flash_write(f->h, 0x400, zero, 32), HAL_EPOWER);
	file_bytes(f, 0x400, back, 32);
	assert_true(all_equal(back, 16, 0x00)); /* the first half landed */
	assert_true(all_equal(back + 16, 16, 0xFF));
}

static void test_refused_op_is_not_the_cut(void **state)
{
	struct fixture *f = *state;
	uint8_t zero[4] = { 0 }, ones[4] = { 0xFF, 0xFF, 0xFF, 0xFE };

	assert_int_equal(open_dev(f, 2, false), 0);
	assert_int_equal(hal_flash_write(f->h, 0, zero, 4), HAL_OK);
	assert_int_equal(hal_flash_write(f->h, 0, ones, 4), HAL_EIO);
	assert_int_equal(hal_flash_erase_sector(f->h, 2), HAL_EALIGN);
	assert_false(hal_posix_power_lost(f->h));
	assert_int_equal(hal_flash_erase_sector(f->h, 0), HAL_EPOWER);
}

static void test_reset_request_and_misc(void **state)
{
	struct fixture *f = *state;
	uint8_t a[32] = { 0 }, b[32] = { 0 };
	uint32_t t0;

	assert_false(hal_posix_reset_requested(f->h));
	hal_request_reset(f->h);
	assert_true(hal_posix_reset_requested(f->h));
	hal_posix_clear_reset(f->h);
	assert_false(hal_posix_reset_requested(f->h));
	assert_int_equal(hal_random(f->h, a, sizeof(a)), HAL_OK);
	assert_int_equal(hal_random(f->h, b, sizeof(b)), HAL_OK);
	assert_memory_not_equal(a, b, sizeof(a));
	t0 = hal_millis(f->h);
	hal_delay_ms(f->h, 20);
	assert_true(hal_millis(f->h) - t0 >= 20);
	assert_true(hal_micros(f->h) >= 20000);
}

static void test_esp8266_timing(void **state)
{
	struct fixture *f = *state;
	struct hal_posix_config cfg = { .flash_path = f->flash,
					.rtc_path = f->rtc,
					.power_cut_after = -1,
					.flash_timing_esp8266 = true };
	char err[256];
	uint32_t t0;

	hal_posix_close(f->h);
	f->h = NULL;
	assert_int_equal(hal_posix_open(&f->h, &cfg, err, sizeof(err)), 0);
	t0 = hal_millis(f->h);
	assert_int_equal(hal_flash_erase_sector(f->h, 0), HAL_OK);
	assert_int_equal(hal_flash_erase_sector(f->h, 0x1000), HAL_OK);
	assert_true(hal_millis(f->h) - t0 >= 90);
}

/* Every HAL code has its own words, so no message needs the number. */
static void test_hal_strerror(void **state)
{
	(void)state;
	for (int a = HAL_EPOWER; a <= HAL_OK; a++) {
		const char *ta = hal_strerror(a);

		assert_true(strlen(ta) > 0);
		assert_string_not_equal(ta, "unknown HAL error");
		for (int b = a + 1; b <= HAL_OK; b++)
			assert_string_not_equal(ta, hal_strerror(b));
	}
	assert_string_equal(hal_strerror(-99), "unknown HAL error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hal_strerror),
		cmocka_unit_test_setup_teardown(test_blank_chip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_rejects_bad_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_rejects_missing_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_lands_in_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_only_clears_bits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_write_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_erase_sets_sector_to_ff, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alignment, setup, teardown),
		cmocka_unit_test_setup_teardown(test_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rtc_survives_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_power_cut_after_op, setup, teardown),
		cmocka_unit_test_setup_teardown(test_power_cut_on_erase, setup, teardown),
		cmocka_unit_test_setup_teardown(test_torn_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_op_is_not_the_cut, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset_request_and_misc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_esp8266_timing, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
