/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The RTC command block against docs/protocol/image-and-flash.md §7.3, and the
 * Updater's hand-off: journal record first, RTC block second. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "boot_command.h"
#include "crc32.h"
#include "eboot_test_dev.h"
#include "journal.h"

static int setup(void **state)
{
	*state = dev_create();
	return 0;
}

static int teardown(void **state)
{
	dev_destroy(*state);
	return 0;
}

static void rtc_bytes(struct dev *d, uint8_t out[128])
{
	assert_int_equal(hal_rtc_read(d->h, 0, out, 128), HAL_OK);
}

static void test_crc_check_values(void **state)
{
	(void)state;
	assert_int_equal(crc32_mpeg2(0xFFFFFFFFu, "123456789", 9), 0x0376E6E7u);
	assert_int_equal(crc32_mpeg2(0xFFFFFFFFu, "", 0), 0xFFFFFFFFu);
}

static void test_copy_raw_vector(void **state)
{
	static const uint8_t head[20] = { 0x00, 0x10, 0x00, 0xeb, 0x01, 0x00, 0x00,
					  0x00, 0x00, 0x60, 0x0b, 0x00, 0x00, 0x00,
					  0x00, 0x00, 0x67, 0x45, 0x03, 0x00 };
	static const uint8_t crc[4] = { 0x4c, 0xa0, 0xc2, 0x26 };
	struct dev *d = *state;
	struct boot_command c, back;
	uint8_t raw[128];

	memset(&c, 0xA5, sizeof(c)); /* boot_command_copy must zero the unused args */
	boot_command_copy(&c, 0xB6000, 0, 0x34567);
	assert_int_equal(boot_command_rtc_write(d->h, &c), HAL_OK);
	assert_int_equal(c.crc32, 0x26C2A04Cu);
	rtc_bytes(d, raw);
	assert_memory_equal(raw, head, sizeof(head));
	assert_memory_equal(raw + 124, crc, sizeof(crc));
	for (int i = 20; i < 124; i++)
		assert_int_equal(raw[i], 0);
	assert_true(boot_command_rtc_read(d->h, &back));
	assert_memory_equal(&back, &c, sizeof(c));
}

static void test_load_app_and_fs_vectors(void **state)
{
	struct dev *d = *state;
	struct boot_command c;

	memset(&c, 0, sizeof(c));
	c.action = BOOT_ACTION_LOAD_APP;
	assert_int_equal(boot_command_rtc_write(d->h, &c), HAL_OK);
	assert_int_equal(c.crc32, 0xE5E8ABB9u);

	boot_command_copy(&c, 0x1C0000, 0x200000, 0x40000);
	assert_int_equal(boot_command_rtc_write(d->h, &c), HAL_OK);
	assert_int_equal(c.crc32, 0x2A2B2C18u);
}

static void test_read_rejects_bad_blocks(void **state)
{
	struct dev *d = *state;
	struct boot_command c, back;
	uint8_t raw[128];

	/* Power-on RTC memory (zeros) holds no command. */
	assert_false(boot_command_rtc_read(d->h, &back));

	boot_command_copy(&c, 0x80000, 0, 1000);
	assert_int_equal(boot_command_rtc_write(d->h, &c), HAL_OK);
	/* Any flipped bit of the 124 covered bytes breaks the CRC. */
	for (unsigned bit = 0; bit < 124 * 8; bit += 37) {
		rtc_bytes(d, raw);
		raw[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		assert_int_equal(hal_rtc_write(d->h, 0, raw, sizeof(raw)), HAL_OK);
		assert_false(boot_command_rtc_read(d->h, &back));
		raw[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		assert_int_equal(hal_rtc_write(d->h, 0, raw, sizeof(raw)), HAL_OK);
		assert_true(boot_command_rtc_read(d->h, &back));
	}

	/* The low 12 bits of the magic are free (the mask is 0xFFFFF000),
	 * the rest are not. */
	c.magic = 0xEB001FFFu;
	c.crc32 = crc32_mpeg2(0xFFFFFFFFu, &c, 124);
	assert_int_equal(hal_rtc_write(d->h, 0, &c, sizeof(c)), HAL_OK);
	assert_true(boot_command_rtc_read(d->h, &back));
	c.magic = 0xEB002000u;
	c.crc32 = crc32_mpeg2(0xFFFFFFFFu, &c, 124);
	assert_int_equal(hal_rtc_write(d->h, 0, &c, sizeof(c)), HAL_OK);
	assert_false(boot_command_rtc_read(d->h, &back));
}

static void test_clear_zeroes_magic_and_crc_only(void **state)
{
	struct dev *d = *state;
	struct boot_command c, back;
	uint8_t before[128], after[128];

	boot_command_copy(&c, 0xB6000, 0, 0x34567);
	assert_int_equal(boot_command_rtc_write(d->h, &c), HAL_OK);
	rtc_bytes(d, before);
	assert_int_equal(boot_command_rtc_clear(d->h), HAL_OK);
	rtc_bytes(d, after);
	assert_false(boot_command_rtc_read(d->h, &back));
	assert_memory_equal(after, "\0\0\0\0", 4);
	assert_memory_equal(after + 124, "\0\0\0\0", 4);
	assert_memory_equal(after + 4, before + 4, 120);
}

/* boot_schedule_copy: the journal holds the command before RTC memory
 * does, and a cut at either flash op leaves no command at all. */
static void test_schedule_writes_journal_then_rtc(void **state)
{
	struct dev *d = *state;
	uint8_t *img = image_random(10000, 1);
	uint8_t *snap;
	struct journal_view v;
	struct boot_command c;

	dev_put(d, 0x80000, img, 10000);
	snap = dev_snapshot(d);

	dev_open(d, -1, false);
	assert_int_equal(boot_schedule_copy(d->h, &d->layout, 0x80000, 0, 10000), 0);
	assert_int_equal(hal_posix_flash_ops(d->h), 2); /* erase + record */
	assert_int_equal(journal_read(d->h, d->layout.journal, &v), HAL_OK);
	assert_int_equal(v.state, JOURNAL_PENDING);
	assert_int_equal(v.cmd.src, 0x80000);
	assert_int_equal(v.cmd.dst, 0);
	assert_int_equal(v.cmd.len, 10000);
	assert_int_equal(v.cmd.out_len, 10000);
	assert_true(boot_command_rtc_read(d->h, &c));
	assert_int_equal(c.action, BOOT_ACTION_COPY_RAW);
	assert_int_equal(c.args[0], 0x80000);
	assert_int_equal(c.args[1], 0);
	assert_int_equal(c.args[2], 10000);
	assert_true(journal_update_pending(d->h, &d->layout));

	/* The HAL carries out the cut op (in full, or half of a torn write):
	 * the erase, a torn record, or a whole record with the RTC lost. */
	for (long cut = 1; cut <= 2; cut++) {
		for (int torn = 0; torn < 2; torn++) {
			bool recorded = cut == 2 && !torn;

			dev_restore(d, snap);
			dev_open(d, cut, torn);
			assert_int_equal(boot_schedule_copy(d->h, &d->layout, 0x80000, 0, 10000),
					 HAL_EPOWER);
			dev_open(d, -1, false);
			assert_int_equal(journal_read(d->h, d->layout.journal, &v), HAL_OK);
			assert_int_equal(v.state, recorded ? JOURNAL_PENDING : JOURNAL_EMPTY);
			assert_false(boot_command_rtc_read(d->h, &c));
			assert_int_equal(journal_update_pending(d->h, &d->layout), recorded);
		}
	}
	free(snap);
	free(img);
}

static void test_schedule_refuses_overlap(void **state)
{
	struct dev *d = *state;
	uint8_t *img = image_random(0x3000, 2);
	struct boot_command c;
	struct journal_view v;

	/* Staged at 0x2000: installing 0x3000 bytes at 0 would overwrite it. */
	dev_put(d, 0x2000, img, 0x3000);
	assert_int_equal(boot_schedule_copy(d->h, &d->layout, 0x2000, 0, 0x3000), JOURNAL_EOVERLAP);
	assert_int_equal(boot_schedule_copy(d->h, &d->layout, 0x3000, 0, 0x3000), 0);
	assert_int_equal(journal_read(d->h, d->layout.journal, &v), HAL_OK);
	assert_int_equal(v.state, JOURNAL_PENDING);
	assert_int_equal(boot_command_rtc_clear(d->h), HAL_OK);
	assert_false(boot_command_rtc_read(d->h, &c));
	free(img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc_check_values),
		cmocka_unit_test_setup_teardown(test_copy_raw_vector, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_app_and_fs_vectors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_rejects_bad_blocks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clear_zeroes_magic_and_crc_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schedule_writes_journal_then_rtc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schedule_refuses_overlap, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
