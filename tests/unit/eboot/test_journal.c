/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The flash journal: record encoding and CRC, the state table, torn
 * records and torn marks, the checks of journal_prepare, and what it
 * remembers of installed images. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "crc32.h"
#include "eboot_test_dev.h"
#include "journal.h"

#define SRC 0x80000u

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

static struct journal_view read_view(struct dev *d)
{
	struct journal_view v;

	assert_int_equal(journal_read(d->h, d->layout.journal, &v), HAL_OK);
	return v;
}

static void put_word(struct dev *d, uint32_t off, uint32_t w)
{
	assert_int_equal(hal_flash_write(d->h, d->layout.journal + off, &w, 4), HAL_OK);
}

/* A PENDING journal for a plain 10000-byte copy. */
static struct journal_view begin_plain(struct dev *d)
{
	uint8_t *img = image_random(10000, 3);
	struct journal_command c;
	struct journal_view v;
	uint8_t buf[64];

	dev_put(d, SRC, img, 10000);
	assert_int_equal(journal_prepare(d->h, &d->layout, SRC, 0, 10000, 0, &c, buf, sizeof(buf)),
			 0);
	assert_int_equal(journal_begin(d->h, d->layout.journal, &c, &v), HAL_OK);
	free(img);
	return v;
}

static void test_record_encoding(void **state)
{
	struct dev *d = *state;
	struct journal_view v = begin_plain(d);
	uint8_t raw[64];
	uint32_t w;

	dev_get(d, d->layout.journal, raw, sizeof(raw));
	memcpy(&w, raw, 4);
	assert_int_equal(w, JOURNAL_MAGIC);
	memcpy(&w, raw + 60, 4);
	assert_int_equal(w, crc32_mpeg2(0xFFFFFFFFu, raw, 60));
	memcpy(&w, raw + 4, 4);
	assert_int_equal(w, SRC);
	/* Everything after the record is erased. */
	for (uint32_t off = 64; off < JOURNAL_SECTOR; off += 4) {
		dev_get(d, d->layout.journal + off, (uint8_t *)&w, 4);
		assert_int_equal(w, 0xFFFFFFFFu);
	}
	assert_int_equal(v.state, JOURNAL_PENDING);
	assert_int_equal(read_view(d).state, JOURNAL_PENDING);
}

static void test_state_table(void **state)
{
	struct dev *d = *state;
	struct journal_view v;

	assert_int_equal(read_view(d).state, JOURNAL_EMPTY); /* blank chip */
	v = begin_plain(d);
	assert_int_equal(read_view(d).state, JOURNAL_PENDING);
	assert_int_equal(journal_log_step(d->h, &v, 1), HAL_OK);
	assert_int_equal(journal_log_step(d->h, &v, 2), HAL_OK);
	v = read_view(d);
	assert_int_equal(v.state, JOURNAL_IN_PROGRESS);
	assert_int_equal(v.steps, 2);
	assert_int_equal(v.last_step, 2);
	assert_int_equal(v.log_next, JOURNAL_LOG_START + 8);
	assert_int_equal(journal_log_step(d->h, &v, 0), HAL_OK);
	assert_int_equal(journal_close(d->h, &v, JOURNAL_CODE_DONE), HAL_OK);
	v = read_view(d);
	assert_int_equal(v.state, JOURNAL_DONE);
	assert_int_equal(v.steps, 0); /* a closed journal's log is not scanned */

	/* REFUSED is its own state; a record whose CRC fails is no command
	 * whatever follows it. */
	v = begin_plain(d);
	assert_int_equal(journal_close(d->h, &v, JOURNAL_CODE_REFUSED), HAL_OK);
	assert_int_equal(read_view(d).state, JOURNAL_REFUSED);
	put_word(d, 24, 0); /* bits cleared in the record: out_len */
	assert_int_equal(read_view(d).state, JOURNAL_EMPTY);
}

/* A record cut off after any number of its 16 words is no command. */
static void test_torn_record_at_every_word(void **state)
{
	struct dev *d = *state;
	struct journal_view v = begin_plain(d);
	struct journal_command c = v.cmd;

	for (unsigned words = 0; words <= 16; words++) {
		assert_int_equal(hal_flash_erase_sector(d->h, d->layout.journal), HAL_OK);
		if (words)
			assert_int_equal(hal_flash_write(d->h, d->layout.journal, &c, 4u * words),
					 HAL_OK);
		assert_int_equal(read_view(d).state, words == 16 ? JOURNAL_PENDING : JOURNAL_EMPTY);
	}
	/* And the HAL's own torn write (first half of the record) too. */
	assert_int_equal(hal_flash_erase_sector(d->h, d->layout.journal), HAL_OK);
	dev_open(d, 1, true);
	assert_int_equal(hal_flash_write(d->h, d->layout.journal, &c, sizeof(c)), HAL_EPOWER);
	dev_open(d, -1, false);
	assert_int_equal(read_view(d).state, JOURNAL_EMPTY);
}

/* A mark programmed part way (some of its 0 bits still 1) is never read
 * as any mark: the step is "not done" and the log goes on after it. */
static void test_torn_marks(void **state)
{
	struct dev *d = *state;
	struct journal_view v = begin_plain(d);
	uint32_t m = journal_mark(5);
	uint32_t off = JOURNAL_LOG_START;
	uint32_t x = 12345;

	for (unsigned bit = 0; bit < 32; bit++) {
		uint32_t partial = m | (1u << bit);

		if (partial == m)
			continue;
		assert_int_not_equal(partial >> 16, ~partial & 0xFFFFu);
	}
	for (int i = 0; i < 100000; i++) {
		uint32_t partial;

		x = x * 1103515245u + 12345u;
		partial = m | x;
		if (partial != m)
			assert_int_not_equal(partial >> 16, ~partial & 0xFFFFu);
		partial = journal_mark(JOURNAL_CODE_DONE) | x;
		if (partial != journal_mark(JOURNAL_CODE_DONE))
			assert_int_not_equal(partial, journal_mark(JOURNAL_CODE_REFUSED));
	}

	/* On flash: torn step, valid step, torn step, then a log_step call. */
	put_word(d, off, m | 0x00FF0000u);
	put_word(d, off + 4, journal_mark(7));
	put_word(d, off + 8, m | 0x2u);
	v = read_view(d);
	assert_int_equal(v.state, JOURNAL_IN_PROGRESS);
	assert_int_equal(v.steps, 1);
	assert_int_equal(v.last_step, 7);
	assert_int_equal(v.log_next, off + 12);
	assert_int_equal(journal_log_step(d->h, &v, 9), HAL_OK);
	v = read_view(d);
	assert_int_equal(v.steps, 2);
	assert_int_equal(v.last_step, 9);

	/* A torn DONE mark is not DONE; the next slot takes the real one. */
	put_word(d, JOURNAL_CLOSE_START, journal_mark(JOURNAL_CODE_DONE) | 0x0F000000u);
	v = read_view(d);
	assert_int_equal(v.state, JOURNAL_IN_PROGRESS);
	assert_int_equal(v.close_next, JOURNAL_CLOSE_START + 4);
	assert_int_equal(journal_close(d->h, &v, JOURNAL_CODE_DONE), HAL_OK);
	assert_int_equal(read_view(d).state, JOURNAL_DONE);
}

static void test_full_log_and_close_slots(void **state)
{
	struct dev *d = *state;
	struct journal_view v = begin_plain(d);

	for (uint32_t i = 0; i < JOURNAL_LOG_SLOTS + 5; i++)
		assert_int_equal(journal_log_step(d->h, &v, i & 0xFFFFu), HAL_OK);
	v = read_view(d);
	assert_int_equal(v.steps, JOURNAL_LOG_SLOTS);
	assert_int_equal(v.log_next, JOURNAL_CLOSE_START);
	for (int i = 0; i < 8; i++)
		put_word(d, JOURNAL_CLOSE_START + 4u * (uint32_t)i, 0x12345678u);
	v = read_view(d);
	assert_int_equal(v.state, JOURNAL_IN_PROGRESS);
	assert_int_equal(journal_close(d->h, &v, JOURNAL_CODE_DONE), JOURNAL_EFULL);
}

static void test_prepare_plain_and_gzip(void **state)
{
	struct dev *d = *state;
	uint8_t buf[64];
	struct journal_command c;

	/* Every length mod 4, so trailers and tails sit at every alignment. */
	for (size_t len = 9997; len <= 10004; len++) {
		uint8_t *img = image_sketch(len, (unsigned)len);
		size_t gzlen;
		uint8_t *gz = gzip_bytes(img, len, &gzlen);
		uint8_t *up = malloc(gzlen + 260);

		memcpy(up, gz, gzlen);
		memcpy(up + gzlen, img, 260); /* stands for a signature block */

		dev_put(d, SRC, img, len);
		assert_int_equal(journal_prepare(d->h, &d->layout, SRC, 0, (uint32_t)len, 0, &c, buf,
						 sizeof(buf)),
				 0);
		assert_int_equal(c.flags, 0);
		assert_int_equal(c.out_len, len);
		assert_int_equal(c.crc_image, crc32(0, img, (uInt)len));
		assert_int_equal(c.crc_tail, 0);

		dev_put(d, SRC, up, gzlen + 260);
		assert_int_equal(journal_prepare(d->h, &d->layout, SRC, 0, (uint32_t)gzlen, 260, &c,
						 buf, sizeof(buf)),
				 0);
		assert_int_equal(c.flags, JOURNAL_FLAG_GZIP);
		assert_int_equal(c.len, gzlen);
		assert_int_equal(c.tail, 260);
		assert_int_equal(c.out_len, len + 260);
		assert_int_equal(c.crc_image, crc32(0, img, (uInt)len));
		assert_int_equal(c.crc_tail, crc32(0, img, 260));
		free(up);
		free(gz);
		free(img);
	}
}

static void test_prepare_refusals(void **state)
{
	struct dev *d = *state;
	const struct flash_layout *l = &d->layout;
	uint8_t *img = image_random(0x5000, 4);
	uint8_t buf[64];
	struct journal_command c;

	dev_put(d, SRC, img, 0x5000);
	assert_int_equal(journal_prepare(d->h, l, SRC + 4, 0, 100, 0, &c, buf, 64), JOURNAL_EALIGN);
	assert_int_equal(journal_prepare(d->h, l, SRC, 0x800, 100, 0, &c, buf, 64), JOURNAL_EALIGN);
	assert_int_equal(journal_prepare(d->h, l, SRC, 0, 0, 0, &c, buf, 64), JOURNAL_ESIZE);
	/* Past the end of the chip, staged or installed. */
	assert_int_equal(journal_prepare(d->h, l, 0xFF000, 0, 0x2000, 0, &c, buf, 64),
			 JOURNAL_ERANGE);
	assert_int_equal(journal_prepare(d->h, l, SRC, 0xFF000, 0x2000, 0, &c, buf, 64),
			 JOURNAL_ERANGE);
	/* The installed image would reach the staged one (sector granular),
	 * or cover the journal. */
	assert_int_equal(journal_prepare(d->h, l, SRC, SRC - 0x4000, 0x4001, 0, &c, buf, 64),
			 JOURNAL_EOVERLAP);
	assert_int_equal(journal_prepare(d->h, l, SRC, SRC - 0x4000, 0x4000, 0, &c, buf, 64), 0);
	assert_int_equal(journal_prepare(d->h, l, SRC, SRC + 0x4000, 0x4001, 0, &c, buf, 64),
			 JOURNAL_EOVERLAP);
	assert_int_equal(journal_prepare(d->h, l, SRC, l->journal - 0x1000, 0x1001, 0, &c, buf, 64),
			 JOURNAL_EOVERLAP);
	/* Nor may it touch eboot's stage 2 sectors below the journal. */
	assert_int_equal(journal_prepare(d->h, l, SRC, l->stage2, 0x1000, 0, &c, buf, 64),
			 JOURNAL_EOVERLAP);
	assert_int_equal(journal_prepare(d->h, l, SRC, l->stage2 - 0x1000, 0x1001, 0, &c, buf, 64),
			 JOURNAL_EOVERLAP);
	assert_int_equal(journal_prepare(d->h, l, SRC, l->stage2 - 0x1000, 0x1000, 0, &c, buf, 64),
			 0);
	assert_int_equal(journal_prepare(d->h, l, l->stage2, 0, 0x1000, 0, &c, buf, 64),
			 JOURNAL_EOVERLAP);
	/* A gzip upload too short for header and trailer. */
	dev_put(d, SRC, (const uint8_t *)"\x1f\x8b\x08\x00", 4);
	assert_int_equal(journal_prepare(d->h, l, SRC, 0, 17, 0, &c, buf, 64), JOURNAL_ESIZE);
	for (int st = -24; st <= 0; st++)
		assert_non_null(journal_strerror(st));
	free(img);
}

/* The installed image's length survives the journal's next command. */
static void test_installed_info(void **state)
{
	struct dev *d = *state;
	const struct flash_layout *l = &d->layout;
	struct journal_installed info;
	struct journal_view v;
	struct journal_command c;
	uint8_t buf[64];

	assert_int_equal(journal_installed_info(d->h, l, 0, &info), 1); /* serial-flashed */
	v = begin_plain(d);
	assert_int_equal(journal_installed_info(d->h, l, 0, &info), 1); /* old app: unknown */
	assert_int_equal(journal_close(d->h, &v, JOURNAL_CODE_DONE), HAL_OK);
	assert_int_equal(journal_installed_info(d->h, l, 0, &info), 0);
	assert_int_equal(info.dst, 0);
	assert_int_equal(info.len, 10000);
	assert_int_equal(journal_installed_info(d->h, l, l->fs_start, &info), 1);

	/* An atomic FS update keeps the app's length and adds the FS's. */
	assert_int_equal(journal_prepare(d->h, l, SRC, l->fs_start, 6000, 0, &c, buf, 64), 0);
	assert_int_equal(journal_begin(d->h, l->journal, &c, &v), HAL_OK);
	assert_int_equal(journal_installed_info(d->h, l, 0, &info), 0);
	assert_int_equal(info.len, 10000);
	assert_int_equal(journal_installed_info(d->h, l, l->fs_start, &info), 1);
	assert_int_equal(journal_close(d->h, &v, JOURNAL_CODE_DONE), HAL_OK);
	assert_int_equal(journal_installed_info(d->h, l, l->fs_start, &info), 0);
	assert_int_equal(info.len, 6000);

	/* A refused app update changes nothing installed. */
	assert_int_equal(journal_prepare(d->h, l, SRC, 0, 8000, 0, &c, buf, 64), 0);
	assert_int_equal(journal_begin(d->h, l->journal, &c, &v), HAL_OK);
	assert_int_equal(journal_close(d->h, &v, JOURNAL_CODE_REFUSED), HAL_OK);
	assert_int_equal(journal_installed_info(d->h, l, 0, &info), 0);
	assert_int_equal(info.len, 10000);
	assert_int_equal(journal_installed_info(d->h, l, l->fs_start, &info), 0);
	assert_int_equal(info.len, 6000);
	assert_false(journal_update_pending(d->h, l));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_record_encoding, setup, teardown),
		cmocka_unit_test_setup_teardown(test_state_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_torn_record_at_every_word, setup, teardown),
		cmocka_unit_test_setup_teardown(test_torn_marks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full_log_and_close_slots, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prepare_plain_and_gzip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prepare_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_installed_info, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
