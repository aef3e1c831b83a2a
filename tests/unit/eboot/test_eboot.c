/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* eboot over the simulated flash: plain copies, gzip inflation, the
 * signature tail, refusals that keep the old app, verify failures, the
 * sector-0 rule, atomic filesystem updates and the core's RTC commands. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "boot_command.h"
#include "eboot_test_dev.h"
#include "journal.h"

#define SRC 0x80000u
#define OLD_LEN 40000u

struct fixture {
	struct dev *d;
	uint8_t *old;
};

/* A device running a 40000-byte app. */
static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->d = dev_create();
	f->old = image_random(OLD_LEN, 100);
	dev_put(f->d, 0, f->old, OLD_LEN);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	dev_destroy(f->d);
	free(f->old);
	free(f);
	return 0;
}

static struct journal_view view(struct dev *d)
{
	struct journal_view v;

	assert_int_equal(journal_read(d->h, d->layout.journal, &v), HAL_OK);
	return v;
}

/* The step log as it is on flash (journal_read skips it once closed). */
static struct journal_view steps_on_flash(struct dev *d)
{
	struct journal_view v = { 0 };
	uint32_t w;

	for (uint32_t off = JOURNAL_LOG_START; off < JOURNAL_CLOSE_START; off += 4) {
		dev_get(d, d->layout.journal + off, (uint8_t *)&w, 4);
		if (w == 0xFFFFFFFFu)
			break;
		if (w == journal_mark(w & 0xFFFFu)) {
			v.steps++;
			v.last_step = w & 0xFFFFu;
		}
	}
	return v;
}

static void boot_ok(struct dev *d)
{
	uint32_t at = 99;

	assert_int_equal(dev_boot(d, &at), EBOOT_OK);
	assert_int_equal(at, 0);
}

static void test_no_command_boots_app(void **state)
{
	struct fixture *f = *state;
	char expect[32];

	boot_ok(f->d);
	/* v<word at 0x1010>, no command, load. */
	snprintf(expect, sizeof(expect), "v%02x%02x%02x%02x\n~ld\n", f->old[0x1013], f->old[0x1012],
		 f->old[0x1011], f->old[0x1010]);
	assert_string_equal(dev_console(f->d), expect);
	assert_true(dev_equals(f->d, 0, f->old, OLD_LEN));
}

static void test_plain_copy(void **state)
{
	struct fixture *f = *state;
	struct dev *d = f->d;
	uint8_t *img = image_random(30001, 1);
	struct journal_installed info;
	struct boot_command c;

	dev_put(d, SRC, img, 30001);
	assert_int_equal(boot_schedule_copy(d->h, &d->layout, SRC, 0, 30001), 0);
	dev_open(d, -1, false);
	boot_ok(d);
	assert_non_null(strstr(dev_console(d), "\n@cp:0\nld\n"));
	assert_true(dev_equals(d, 0, img, 30001));
	assert_int_equal(view(d).state, JOURNAL_DONE);
	assert_false(boot_command_rtc_read(d->h, &c));
	assert_int_equal(journal_installed_info(d->h, &d->layout, 0, &info), 0);
	assert_int_equal(info.len, 30001);
	/* The staged copy is left as it was. */
	assert_true(dev_equals(d, SRC, img, 30001));

	/* A second power-on has nothing to do. */
	dev_open(d, -1, false);
	boot_ok(d);
	assert_int_equal(hal_posix_flash_ops(d->h), 0);
	assert_non_null(strstr(dev_console(d), "~ld\n"));
	free(img);
}

static void test_gzip_copy(void **state)
{
	struct fixture *f = *state;
	struct dev *d = f->d;
	size_t len = 150000, gzlen;
	uint8_t *img = image_sketch(len, 2);
	uint8_t *gz = gzip_bytes(img, len, &gzlen);
	struct journal_installed info;

	assert_true(gzlen < len * 3 / 4);
	dev_put(d, SRC, gz, gzlen);
	assert_int_equal(boot_schedule_copy(d->h, &d->layout, SRC, 0, (uint32_t)gzlen), 0);
	dev_open(d, -1, false);
	boot_ok(d);
	assert_true(dev_equals(d, 0, img, len));
	assert_int_equal(journal_installed_info(d->h, &d->layout, 0, &info), 0);
	assert_int_equal(info.len, len);
	free(gz);
	free(img);
}

/* Output that ends exactly on a sector boundary, with and without a
 * signature block after the gzip stream. */
static void test_gzip_sector_multiple_and_tail(void **state)
{
	struct fixture *f = *state;
	struct dev *d = f->d;
	size_t len = 8 * 4096, gzlen;
	uint8_t *img = image_sketch(len, 3);
	uint8_t *gz = gzip_bytes(img, len, &gzlen);
	uint8_t *up = malloc(gzlen + 260);
	uint8_t *want = malloc(len + 260);

	dev_put(d, SRC, gz, gzlen);
	assert_int_equal(boot_schedule_copy(d->h, &d->layout, SRC, 0, (uint32_t)gzlen), 0);
	boot_ok(d);
	assert_true(dev_equals(d, 0, img, len));

	memcpy(up, gz, gzlen);
	memset(up + gzlen, 0x5A, 256);
	memcpy(up + gzlen + 256, "\x00\x01\x00\x00", 4);
	memcpy(want, img, len);
	memcpy(want + len, up + gzlen, 260);
	dev_put(d, 0, f->old, OLD_LEN);
	dev_put(d, SRC, up, gzlen + 260);
	assert_int_equal(boot_schedule_install(d->h, &d->layout, SRC, 0, (uint32_t)gzlen, 260), 0);
	boot_ok(d);
	assert_true(dev_equals(d, 0, want, len + 260));
	free(want);
	free(up);
	free(gz);
	free(img);
}

/* Staged bytes that fail their check are refused before any destination
 * sector is touched: the old app stays and boots. */
static void test_corrupt_source_refused(void **state)
{
	struct fixture *f = *state;
	struct dev *d = f->d;
	size_t len = 50000, gzlen;
	uint8_t *img = image_sketch(len, 4);
	uint8_t *gz = gzip_bytes(img, len, &gzlen);
	uint32_t at;

	/* gzip: a byte changed in the deflate data after scheduling. */
	dev_put(d, SRC, gz, gzlen);
	assert_int_equal(boot_schedule_copy(d->h, &d->layout, SRC, 0, (uint32_t)gzlen), 0);
	gz[gzlen / 2] ^= 0x10;
	dev_put(d, SRC, gz, gzlen);
	dev_open(d, -1, false);
	{
		enum eboot_status st = dev_boot(d, &at);

		assert_true(st == EBOOT_EINFLATE || st == EBOOT_EVERIFY);
	}
	assert_int_equal(view(d).state, JOURNAL_REFUSED);
	assert_true(dev_equals(d, 0, f->old, OLD_LEN));
	dev_open(d, -1, false); /* the port's reset */
	boot_ok(d);
	assert_non_null(strstr(dev_console(d), "~ld\n"));
	assert_true(dev_equals(d, 0, f->old, OLD_LEN));

	/* Plain: a staged byte changed after its CRC was recorded. */
	dev_put(d, SRC, img, len);
	assert_int_equal(boot_schedule_copy(d->h, &d->layout, SRC, 0, (uint32_t)len), 0);
	img[len - 1] ^= 1;
	dev_put(d, SRC, img, len);
	assert_int_equal(dev_boot(d, &at), EBOOT_EVERIFY);
	assert_int_equal(view(d).state, JOURNAL_REFUSED);
	assert_true(dev_equals(d, 0, f->old, OLD_LEN));

	/* gzip with a bad header (FLG reserved bits). */
	gz[3] = 0xE0;
	dev_put(d, SRC, gz, gzlen);
	assert_int_equal(boot_schedule_copy(d->h, &d->layout, SRC, 0, (uint32_t)gzlen), 0);
	assert_int_equal(dev_boot(d, &at), EBOOT_EHEADER);
	assert_true(dev_equals(d, 0, f->old, OLD_LEN));
	free(gz);
	free(img);
}

/* A copy that does not read back right is not closed and sector 0 is not
 * touched; the next boot tries again and succeeds. */
static void test_verify_failure_keeps_sector0(void **state)
{
	struct fixture *f = *state;
	struct dev *d = f->d;
	uint8_t *img = image_random(20000, 5);
	uint8_t sector0[4096];
	struct journal_command c;
	struct journal_view v;
	uint8_t buf[64];
	uint32_t at;

	dev_put(d, SRC, img, 20000);
	assert_int_equal(journal_prepare(d->h, &d->layout, SRC, 0, 20000, 0, &c, buf, 64), 0);
	c.crc_image ^= 1; /* what a flash that reads back wrong looks like */
	assert_int_equal(journal_begin(d->h, d->layout.journal, &c, &v), HAL_OK);
	assert_int_equal(journal_log_step(d->h, &v, 1), HAL_OK); /* old app already damaged */
	dev_get(d, 0, sector0, sizeof(sector0));
	assert_int_equal(dev_boot(d, &at), EBOOT_EVERIFY);
	assert_non_null(strstr(dev_console(d), "@cp:8\n"));
	assert_true(dev_equals(d, 0, sector0, sizeof(sector0)));
	assert_true(dev_equals(d, 4096, img + 4096, 20000 - 4096));
	assert_int_equal(view(d).state, JOURNAL_IN_PROGRESS);
	assert_int_not_equal(view(d).last_step, 0);
	free(img);
}

/* Sector 0 is written only when it differs, and then last. */
static void test_sector0_rule(void **state)
{
	struct fixture *f = *state;
	struct dev *d = f->d;
	uint8_t *img = image_random(30000, 6);
	struct journal_view v;

	/* Same eboot sector as the running app: never erased. */
	memcpy(img, f->old, 4096);
	dev_put(d, SRC, img, 30000);
	assert_int_equal(boot_schedule_copy(d->h, &d->layout, SRC, 0, 30000), 0);
	dev_open(d, -1, false);
	boot_ok(d);
	v = steps_on_flash(d);
	assert_int_equal(v.steps, 1 + 7); /* START, sectors 1..7 of 8 */
	/* START, 7 erases, 7 writes, 7 step words, DONE: nothing for sector 0 */
	assert_int_equal(hal_posix_flash_ops(d->h), 23);
	assert_true(dev_equals(d, 0, img, 30000));

	/* A different eboot sector: rewritten, as the last step. */
	img[100] ^= 0xFF;
	dev_put(d, SRC, img, 30000);
	assert_int_equal(boot_schedule_copy(d->h, &d->layout, SRC, 0, 30000), 0);
	dev_open(d, -1, false);
	boot_ok(d);
	v = steps_on_flash(d);
	assert_int_equal(v.steps, 2); /* START; only sector 0 differed */
	assert_int_equal(v.last_step, 0);
	assert_true(dev_equals(d, 0, img, 30000));

	dev_put(d, 0, f->old, OLD_LEN);
	dev_put(d, SRC, img, 30000);
	assert_int_equal(boot_schedule_copy(d->h, &d->layout, SRC, 0, 30000), 0);
	boot_ok(d);
	v = steps_on_flash(d);
	assert_int_equal(v.steps, 1 + 8);
	assert_int_equal(v.last_step, 0);
	free(img);
}

/* Commands whose install would overwrite the staged bytes (or the
 * journal, or run off the chip) are refused by eboot too, whoever wrote
 * them: the core's RTC command or a journal record. */
static void test_overlap_refused(void **state)
{
	struct fixture *f = *state;
	struct dev *d = f->d;
	uint8_t *img = image_random(0x6000, 7);
	struct boot_command rc;
	struct journal_command c;
	struct journal_view v;
	uint8_t buf[64];
	uint32_t at;

	dev_put(d, 0x5000, img, 0x6000); /* staged at 0x5000, installs to 0..0x6000 */
	boot_command_copy(&rc, 0x5000, 0, 0x6000);
	assert_int_equal(boot_command_rtc_write(d->h, &rc), HAL_OK);
	assert_int_equal(dev_boot(d, &at), EBOOT_ERANGE);
	assert_non_null(strstr(dev_console(d), "@cp:7\n"));
	assert_false(boot_command_rtc_read(d->h, &rc));
	assert_true(dev_equals(d, 0, f->old, 0x5000));

	/* A journal record that skipped journal_prepare's check. */
	assert_int_equal(journal_prepare(d->h, &d->layout, 0x5000, 0, 0x1000, 0, &c, buf, 64), 0);
	c.len = c.out_len = 0x6000;
	assert_int_equal(journal_begin(d->h, d->layout.journal, &c, &v), HAL_OK);
	assert_int_equal(dev_boot(d, &at), EBOOT_ERANGE);
	assert_int_equal(view(d).state, JOURNAL_REFUSED);
	assert_true(dev_equals(d, 0, f->old, 0x5000));

	/* Past the end of the chip, plain and gzip (ISIZE unreadable). */
	boot_command_copy(&rc, 0xFF000, 0, 0x2000);
	assert_int_equal(boot_command_rtc_write(d->h, &rc), HAL_OK);
	assert_int_equal(dev_boot(d, &at), EBOOT_ERANGE);
	assert_false(boot_command_rtc_read(d->h, &rc));
	dev_put(d, 0xFF000, (const uint8_t *)"\x1f\x8b\x08\x00", 4);
	boot_command_copy(&rc, 0xFF000, 0, 0x2000);
	assert_int_equal(boot_command_rtc_write(d->h, &rc), HAL_OK);
	assert_int_equal(dev_boot(d, &at), EBOOT_ERANGE);
	assert_false(boot_command_rtc_read(d->h, &rc));

	boot_command_copy(&rc, 0x5800, 0, 0x100); /* unaligned source */
	assert_int_equal(boot_command_rtc_write(d->h, &rc), HAL_OK);
	assert_int_equal(dev_boot(d, &at), EBOOT_EALIGN);
	boot_ok(d);
	assert_true(dev_equals(d, 0, f->old,  0x5000));
	free(img);
}

/* ATOMIC_FS_UPDATE: the staged filesystem image goes to fs_start, the app
 * is untouched and boots from 0. */
static void test_atomic_fs(void **state)
{
	struct fixture *f = *state;
	struct dev *d = f->d;
	uint32_t fs = d->layout.fs_start;
	size_t len = 0xC000, gzlen; /* fits the 52 KiB filesystem of 1M64 */
	uint8_t *img = image_sketch(len, 8);
	uint8_t *gz;
	struct journal_installed info;

	dev_put(d, SRC, img, len);
	assert_int_equal(boot_schedule_copy(d->h, &d->layout, SRC, fs, (uint32_t)len), 0);
	boot_ok(d);
	assert_true(dev_equals(d, fs, img, len));
	assert_true(dev_equals(d, 0, f->old, OLD_LEN));

	img[5] ^= 0x55;
	gz = gzip_bytes(img, len, &gzlen);
	dev_put(d, SRC, gz, gzlen);
	assert_int_equal(boot_schedule_copy(d->h, &d->layout, SRC, fs, (uint32_t)gzlen), 0);
	boot_ok(d);
	assert_true(dev_equals(d, fs, img, len));
	assert_true(dev_equals(d, 0, f->old, OLD_LEN));
	assert_int_equal(journal_installed_info(d->h, &d->layout, fs, &info), 0);
	assert_int_equal(info.len, len);
	free(gz);
	free(img);
}

/* The core's own RTC commands, from an Updater that writes no journal. */
static void test_rtc_only_commands(void **state)
{
	struct fixture *f = *state;
	struct dev *d = f->d;
	uint8_t *img = image_random(25000, 9);
	struct boot_command rc;
	uint32_t at = 0;

	memset(&rc, 0, sizeof(rc));
	rc.action = BOOT_ACTION_LOAD_APP;
	rc.args[0] = 0x40000;
	assert_int_equal(boot_command_rtc_write(d->h, &rc), HAL_OK);
	assert_int_equal(dev_boot(d, &at), EBOOT_OK);
	assert_int_equal(at, 0x40000);
	assert_false(boot_command_rtc_read(d->h, &rc));

	rc.action = 7;
	assert_int_equal(boot_command_rtc_write(d->h, &rc), HAL_OK);
	assert_int_equal(dev_boot(d, &at), EBOOT_EACTION);
	assert_false(boot_command_rtc_read(d->h, &rc));

	dev_put(d, SRC, img, 25000);
	boot_command_copy(&rc, SRC, 0, 25000);
	assert_int_equal(boot_command_rtc_write(d->h, &rc), HAL_OK);
	boot_ok(d);
	assert_non_null(strstr(dev_console(d), "@cp:0\nld\n"));
	assert_true(dev_equals(d, 0, img, 25000));
	assert_int_equal(view(d).state, JOURNAL_DONE);
	assert_false(boot_command_rtc_read(d->h, &rc));
	/* The same command again with new staged bytes, over a DONE
	 * journal: installed, not mistaken for the finished one. */
	img[7] ^= 0x42;
	dev_put(d, SRC, img, 25000);
	assert_int_equal(boot_command_rtc_write(d->h, &rc), HAL_OK);
	boot_ok(d);
	assert_true(dev_equals(d, 0, img, 25000));
	for (int st = 0; st <= EBOOT_EACTION; st++)
		assert_non_null(eboot_strerror((enum eboot_status)st));
	free(img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_no_command_boots_app, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plain_copy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gzip_copy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gzip_sector_multiple_and_tail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_source_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_failure_keeps_sector0, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sector0_rule, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overlap_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_atomic_fs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rtc_only_commands, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
