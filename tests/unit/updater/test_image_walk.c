/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* image_walk.c: the ROM's walk over one image, fed whole, byte by byte and
 * split at every offset; every way an image fails to boot; elf2bin's
 * .irom0.text words; a loader's placement rule; and the walk over flash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "image_walk.h"
#include "updater_fixture.h"

struct seg {
	uint32_t load, len;
};

static void put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* A ROM image into out: header, segments of a byte pattern, zero padding,
 * checksum ending a 16-byte block. Returns its length. */
static uint32_t rom_image(uint8_t *out, const struct seg *s, unsigned n)
{
	uint32_t pos = 8;
	uint8_t sum = 0xEF;

	out[0] = 0xE9;
	out[1] = (uint8_t)n;
	out[2] = 2;
	out[3] = 0x20;
	put_le32(out + 4, 0x40100004u);
	for (unsigned i = 0; i < n; i++) {
		put_le32(out + pos, s[i].load);
		put_le32(out + pos + 4, s[i].len);
		pos += 8;
		for (uint32_t k = 0; k < s[i].len; k++) {
			out[pos + k] = (uint8_t)(k * 7u + i * 31u + 1u);
			sum ^= out[pos + k];
		}
		pos += s[i].len;
	}
	while ((pos + 1) % 16 != 0)
		out[pos++] = 0;
	out[pos++] = sum;
	return pos;
}

static enum image_status walk(const uint8_t *p, uint32_t len, uint32_t limit)
{
	struct image_walk w;

	image_walk_init(&w, limit, NULL, NULL);
	image_walk_feed(&w, p, len);
	return image_walk_end(&w);
}

static void test_whole_bytewise_and_split(void **state)
{
	uint8_t img[512];

	(void)state;
	/* The last segment's length takes the end through every residue
	 * mod 16, so the checksum is found wherever it falls. */
	for (uint32_t extra = 0; extra < 16; extra++) {
		struct seg s[3] = { { 0x40100000u, 40 }, { 0x3FFE8000u, 3 }, { 0x40101000u, 20 + extra } };
		uint32_t len = rom_image(img, s, 3);
		struct image_walk w;

		assert_int_equal(len % 16, 0);
		assert_int_equal(walk(img, len, len), IMAGE_OK);
		/* byte by byte */
		image_walk_init(&w, len, NULL, NULL);
		for (uint32_t i = 0; i < len; i++) {
			assert_false(image_walk_done(&w));
			assert_int_equal(image_walk_feed(&w, img + i, 1), IMAGE_OK);
		}
		assert_true(image_walk_done(&w));
		assert_int_equal(image_walk_end(&w), IMAGE_OK);
		assert_int_equal(image_walk_length(&w), len);
		assert_int_equal(w.hdr.segments, 3);
		assert_int_equal(w.hdr.entry, 0x40100004u);
		/* split in two at every offset */
		for (uint32_t cut = 0; cut <= len; cut++) {
			image_walk_init(&w, len, NULL, NULL);
			image_walk_feed(&w, img, cut);
			image_walk_feed(&w, img + cut, len - cut);
			assert_int_equal(image_walk_end(&w), IMAGE_OK);
		}
	}
}

static void test_bytes_after_the_checksum_are_ignored(void **state)
{
	uint8_t img[256];
	struct seg s[1] = { { 0x40100000u, 50 } };
	uint32_t len = rom_image(img, s, 1);
	struct image_walk w;

	(void)state;
	memset(img + len, 0x5A, sizeof(img) - len); /* a signature, a next image */
	image_walk_init(&w, sizeof(img), NULL, NULL);
	assert_int_equal(image_walk_feed(&w, img, sizeof(img)), IMAGE_OK);
	assert_int_equal(image_walk_end(&w), IMAGE_OK);
	assert_int_equal(image_walk_length(&w), len);
}

/* What the Updater used to accept after checking only the magic. */
static void test_images_that_cannot_boot(void **state)
{
	uint8_t img[512], bad[512];
	struct seg s[2] = { { 0x40100000u, 64 }, { 0x3FFE8000u, 32 } };
	uint32_t len = rom_image(img, s, 2);
	const uint8_t e9 = 0xE9;

	(void)state;
	/* the single byte E9 */
	assert_int_equal(walk(&e9, 1, 1), IMAGE_ERR_TRUNCATED);
	/* 0, 17 and 255 segments */
	memcpy(bad, img, len);
	bad[1] = 0;
	assert_int_equal(walk(bad, len, len), IMAGE_ERR_SEGMENTS);
	bad[1] = 17;
	assert_int_equal(walk(bad, len, len), IMAGE_ERR_SEGMENTS);
	bad[1] = 255;
	assert_int_equal(walk(bad, len, len), IMAGE_ERR_SEGMENTS);
	/* more segments than the image holds: the next "header" is data */
	bad[1] = 3;
	assert_int_not_equal(walk(bad, len, len), IMAGE_OK);
	/* a segment length past the image, with the image's bytes all there */
	memcpy(bad, img, len);
	put_le32(bad + 12, 0x10000);
	assert_int_equal(walk(bad, len, len), IMAGE_ERR_TRUNCATED);
	/* cut short anywhere: the limit is the upload */
	for (uint32_t cut = 0; cut < len; cut++)
		assert_int_equal(walk(img, cut, cut), IMAGE_ERR_TRUNCATED);
	/* the same bytes with room left: the walk waits, end() says short */
	assert_int_equal(walk(img, len - 1, len + 100), IMAGE_ERR_TRUNCATED);
	/* one bad data byte in either segment, or in the checksum */
	for (uint32_t at = 16; at < len; at++) {
		if (at >= 16 + 64 && at < 16 + 64 + 8)
			continue; /* the second segment's header */
		if (at > 16 + 64 + 8 + 32 - 1 && at < len - 1)
			continue; /* padding: the ROM does not read it */
		memcpy(bad, img, len);
		bad[at] ^= 0x10;
		assert_int_equal(walk(bad, len, len), IMAGE_ERR_CHECKSUM);
	}
	/* no magic */
	memcpy(bad, img, len);
	bad[0] = 0xEA;
	assert_int_equal(walk(bad, len, len), IMAGE_ERR_MAGIC);
	for (int st = IMAGE_ERR_SEGMENTS; st <= IMAGE_ERR_PLACEMENT; st++)
		assert_true(strlen(image_strerror((enum image_status)st)) > 20);
}

/* elf2bin takes the checksum with the .bin length and CRC words of the
 * first .irom0.text segment still 0, then fills them in. */
static void test_elf2bin_irom_words(void **state)
{
	uint8_t img[256];
	struct seg s[2] = { { IMAGE_IROM0_ADDR, 32 }, { 0x40100000u, 16 } };
	uint32_t len;

	(void)state;
	len = rom_image(img, s, 2);
	/* the checksum as elf2bin takes it: over the words while they are 0 */
	for (int i = 16; i < 24; i++) {
		img[len - 1] ^= img[i];
		img[i] = 0;
	}
	assert_int_equal(walk(img, len, len), IMAGE_OK);
	/* the words filled in after the checksum: still boots */
	put_le32(img + 16, len);
	put_le32(img + 20, 0x89ABCDEFu);
	assert_int_equal(walk(img, len, len), IMAGE_OK);
	/* a byte after the two words is covered as any other */
	img[24] ^= 0x01;
	assert_int_equal(walk(img, len, len), IMAGE_ERR_CHECKSUM);
	/* only for .irom0.text, the first segment */
	s[0].load = 0x40100000u;
	len = rom_image(img, s, 2);
	img[16] ^= 0x12;
	assert_int_equal(walk(img, len, len), IMAGE_ERR_CHECKSUM);
}

static bool only_low(void *ctx, uint32_t load, uint32_t len)
{
	(*(int *)ctx)++;
	return load < 0x40000000u && len < 100;
}

static void test_placement_rule(void **state)
{
	uint8_t img[512];
	struct seg s[2] = { { 0x3FFE8000u, 64 }, { 0x40100000u, 32 } };
	uint32_t len = rom_image(img, s, 2);
	struct image_walk w;
	int calls = 0;

	(void)state;
	image_walk_init(&w, len, only_low, &calls);
	image_walk_feed(&w, img, len);
	assert_int_equal(image_walk_end(&w), IMAGE_ERR_PLACEMENT);
	assert_int_equal(calls, 2);
	s[1].load = 0x3FFF0000u;
	len = rom_image(img, s, 2);
	calls = 0;
	image_walk_init(&w, len, only_low, &calls);
	image_walk_feed(&w, img, len);
	assert_int_equal(image_walk_end(&w), IMAGE_OK);
	assert_int_equal(calls, 2);
}

static void test_walk_over_flash(void **state)
{
	struct device d;
	uint8_t *bin = malloc(0x9000), buf[100];
	struct image_walk w;

	(void)state;
	assert_non_null(bin);
	make_bin(bin, 0x9000, 2, 0x20, 9);
	device_open(&d, 0x100000, 0x9000, 2, 2);
	/* the eboot and the app image of an elf2bin .bin, any buffer size */
	image_walk_init(&w, 0x1000, NULL, NULL);
	assert_int_equal(image_walk_flash(d.hal, 0, &w, buf, sizeof(buf)), IMAGE_OK);
	assert_int_equal(image_walk_length(&w), 0x120);
	image_walk_init(&w, 0x100000 - 0x1000, NULL, NULL);
	assert_int_equal(image_walk_flash(d.hal, 0x1000, &w, buf, 7), IMAGE_OK);
	assert_int_equal(image_walk_length(&w), 0x8000);
	/* erased flash is no image; a read past the chip is a read error */
	image_walk_init(&w, 0x1000, NULL, NULL);
	assert_int_equal(image_walk_flash(d.hal, 0x80000, &w, buf, sizeof(buf)), IMAGE_ERR_MAGIC);
	image_walk_init(&w, 0x2000, NULL, NULL);
	assert_int_equal(image_walk_flash(d.hal, 0x100000 - 0x1000, &w, buf, sizeof(buf)),
			 IMAGE_ERR_MAGIC);
	image_walk_init(&w, 0x2000, NULL, NULL);
	assert_int_equal(image_walk_flash(d.hal, 0x100000, &w, buf, sizeof(buf)), IMAGE_ERR_READ);
	assert_int_not_equal(w.hal_rc, 0);
	device_close(&d);
	free(bin);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_bytewise_and_split),
		cmocka_unit_test(test_bytes_after_the_checksum_are_ignored),
		cmocka_unit_test(test_images_that_cannot_boot),
		cmocka_unit_test(test_elf2bin_irom_words),
		cmocka_unit_test(test_placement_rule),
		cmocka_unit_test(test_walk_over_flash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
