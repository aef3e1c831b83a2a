/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The key property, MCUboot-simulator style: count the flash erases and
 * writes of a clean update (the Updater's hand-off plus eboot), then rerun
 * it cutting the power at op 1, 2, ... N (whole or torn writes), power on
 * again (RTC memory lost) and check that the destination holds exactly the
 * new image, or, when the cut came before the journal record was whole,
 * exactly the old one. Never a mix. Some runs cut a second time during the
 * recovery boot.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot_command.h"
#include "eboot_test_dev.h"
#include "journal.h"

#define SRC 0x80000u

struct scenario {
	const char *name;
	uint32_t dst;
	const uint8_t *old; /* at dst before the update */
	size_t old_len;
	const uint8_t *new; /* at dst after it */
	size_t new_len;
	const uint8_t *staged; /* the upload, at SRC */
	size_t staged_len;
	uint32_t tail;
	bool rtc_only; /* the core's Updater: RTC command, no journal */
};

/* The Updater's last step. Returns false when the power failed in it. */
static bool schedule(struct dev *d, const struct scenario *s)
{
	if (s->rtc_only) {
		struct boot_command c;

		boot_command_copy(&c, SRC, s->dst, (uint32_t)s->staged_len);
		return boot_command_rtc_write(d->h, &c) == HAL_OK;
	}
	return boot_schedule_install(d->h, &d->layout, SRC, s->dst,
				     (uint32_t)(s->staged_len - s->tail), s->tail) == 0;
}

/* Power-ons without cuts until eboot says what to boot. */
static void recover(struct dev *d)
{
	uint32_t at = 1;

	dev_open(d, -1, false);
	assert_int_equal(dev_boot(d, &at), EBOOT_OK);
	assert_int_equal(at, 0);
}

/* The destination holds the old or the new image, entirely. Returns
 * true for the new one. */
static bool old_or_new(struct dev *d, const struct scenario *s)
{
	bool is_new = dev_equals(d, s->dst, s->new, s->new_len);
	bool is_old = dev_equals(d, s->dst, s->old, s->old_len);

	assert_true(is_new || is_old);
	return is_new;
}

static void every_cut(const struct scenario *s, bool torn, long second_cut_stride)
{
	struct dev *d = dev_create();
	unsigned long total, record_ops;
	uint8_t *snap;
	uint32_t at;

	dev_put(d, s->dst, s->old, s->old_len);
	dev_put(d, SRC, s->staged, s->staged_len);
	snap = dev_snapshot(d);

	/* The clean run, counted. */
	dev_open(d, -1, false);
	assert_true(schedule(d, s));
	record_ops = s->rtc_only ? 0 : hal_posix_flash_ops(d->h);
	assert_int_equal(dev_boot(d, &at), EBOOT_OK);
	total = hal_posix_flash_ops(d->h);
	if (s->rtc_only)
		record_ops = 2; /* eboot journals the RTC command itself: erase + record */
	assert_true(old_or_new(d, s));
	assert_true(total > record_ops + 2);
	fprintf(stderr, "%s: %lu flash ops in a clean update, power cut at each (%s writes)\n",
		s->name, total, torn ? "torn" : "whole");

	for (unsigned long k = 1; k <= total; k++) {
		/* The journal record is whole once its write is carried out whole. */
		bool recorded = k > record_ops || (k == record_ops && !torn);

		dev_restore(d, snap);
		dev_open(d, (long)k, torn);
		if (schedule(d, s))
			assert_int_equal(dev_boot(d, &at), EBOOT_EPOWER);
		assert_true(hal_posix_power_lost(d->h));

		if (second_cut_stride > 0 && k % (unsigned long)second_cut_stride == 0) {
			/* Power fails again, j ops into the recovery. */
			for (long j = 1; j < 40; j += 3) {
				dev_open(d, j, torn);
				if (dev_boot(d, &at) != EBOOT_EPOWER)
					break;
			}
		}
		recover(d);
		assert_int_equal(old_or_new(d, s), recorded);
		if (!recorded)
			assert_true(dev_equals(d, SRC, s->staged, s->staged_len));
		/* And it stays so: the next power-on writes nothing. */
		dev_open(d, -1, false);
		assert_int_equal(dev_boot(d, &at), EBOOT_OK);
		assert_int_equal(hal_posix_flash_ops(d->h), 0);
	}
	free(snap);
	dev_destroy(d);
}

static void test_plain(void **state)
{
	uint8_t *old = image_random(40000, 1);
	uint8_t *new = image_random(30001, 2);
	struct scenario s = { __func__, 0, old, 40000, new, 30001, new, 30001, 0, false };

	(void)state;
	every_cut(&s, false, 3);
	every_cut(&s, true, 0);
	free(new);
	free(old);
}

static void test_gzip(void **state)
{
	uint8_t *old = image_random(40000, 3);
	uint8_t *new = image_sketch(70000, 4);
	size_t gzlen;
	uint8_t *gz = gzip_bytes(new, 70000, &gzlen);
	struct scenario s = { __func__, 0, old, 40000, new, 70000, gz, gzlen, 0, false };

	(void)state;
	every_cut(&s, false, 4);
	every_cut(&s, true, 0);
	free(gz);
	free(new);
	free(old);
}

/* A signed gzip upload: the signature block is installed after the
 * inflated image. */
static void test_gzip_with_tail(void **state)
{
	uint8_t *old = image_random(40000, 5);
	uint8_t *img = image_sketch(20480, 6);
	size_t gzlen;
	uint8_t *gz = gzip_bytes(img, 20480, &gzlen);
	uint8_t *up = malloc(gzlen + 260);
	uint8_t *new = malloc(20480 + 260);
	struct scenario s = { __func__, 0, old, 40000, new, 20480 + 260, up, gzlen + 260, 260, false };

	(void)state;
	memcpy(up, gz, gzlen);
	memset(up + gzlen, 0x3C, 260);
	memcpy(new, img, 20480);
	memset(new + 20480, 0x3C, 260);
	every_cut(&s, false, 0);
	free(new);
	free(up);
	free(gz);
	free(img);
	free(old);
}

/* The core's Updater writes only the RTC command, which a power cut
 * wipes; eboot journals it before touching anything. */
static void test_rtc_only(void **state)
{
	uint8_t *old = image_random(40000, 7);
	uint8_t *new = image_random(24000, 8);
	struct scenario s = { __func__, 0, old, 40000, new, 24000, new, 24000, 0, true };

	(void)state;
	every_cut(&s, false, 5);
	free(new);
	free(old);
}

static void test_atomic_fs_gzip(void **state)
{
	uint32_t fs = 0xEB000; /* 1M64 */
	uint8_t *old = image_random(0xE000, 9);
	uint8_t *new = image_sketch(0xD000, 10);
	size_t gzlen;
	uint8_t *gz = gzip_bytes(new, 0xD000, &gzlen);
	struct scenario s = { __func__, fs, old, 0xE000, new, 0xD000, gz, gzlen, 0, false };

	(void)state;
	every_cut(&s, true, 3);
	free(gz);
	free(new);
	free(old);
}

/* Power fails again and again: at a random op of the update, then at
 * random ops of up to three recovery boots, torn or whole, before a boot
 * finally completes. */
static void test_random_cut_sequences(void **state)
{
	uint8_t *old = image_random(40000, 11);
	uint8_t *new = image_sketch(45000, 12);
	size_t gzlen;
	uint8_t *gz = gzip_bytes(new, 45000, &gzlen);
	struct scenario plain = { "plain", 0, old, 40000, new, 45000, new, 45000, 0, false };
	struct scenario gzip = { "gzip", 0, old, 40000, new, 45000, gz, gzlen, 0, false };
	struct dev *d = dev_create();
	uint32_t x = 2024, at;
	uint8_t *snap[2];

	(void)state;
	dev_put(d, 0, old, 40000);
	dev_put(d, SRC, new, 45000);
	snap[0] = dev_snapshot(d);
	dev_put(d, SRC, gz, gzlen);
	snap[1] = dev_snapshot(d);
	for (int run = 0; run < 150; run++) {
		const struct scenario *s = run % 2 ? &gzip : &plain;

		x = x * 1103515245u + 12345u;
		dev_restore(d, snap[run % 2]);
		dev_open(d, (long)(x >> 16) % 60 + 1, (x & 1) != 0);
		if (schedule(d, s))
			dev_boot(d, &at);
		for (int cut = 0; cut < 3; cut++) {
			x = x * 1103515245u + 12345u;
			dev_open(d, (long)(x >> 16) % 40 + 1, (x & 2) != 0);
			if (dev_boot(d, &at) != EBOOT_EPOWER)
				break;
		}
		recover(d);
		(void)old_or_new(d, s); /* asserts old or new, whole */
		dev_open(d, -1, false);
		assert_int_equal(dev_boot(d, &at), EBOOT_OK);
		assert_int_equal(hal_posix_flash_ops(d->h), 0);
	}
	free(snap[0]);
	free(snap[1]);
	dev_destroy(d);
	free(gz);
	free(new);
	free(old);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_gzip),
		cmocka_unit_test(test_gzip_with_tail),
		cmocka_unit_test(test_rtc_only),
		cmocka_unit_test(test_atomic_fs_gzip),
		cmocka_unit_test(test_random_cut_sequences),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
