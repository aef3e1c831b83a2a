/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "sample_app.h"

#include <stdlib.h>
#include <string.h>

#include "crc32.h"
#include "fwmem.h"

#define SAMPLE_CAP (96u * 1024u)
#define SAMPLE_IROM0 0x40201010u /* .irom0.text: the first 8 bytes are length and CRC */

struct bin {
	uint8_t *p;
	size_t len;
};

static void put(struct bin *b, const void *data, size_t len)
{
	memcpy(b->p + b->len, data, len);
	b->len += len;
}

static void put_le32(struct bin *b, uint32_t v)
{
	fw_store_le32(b->p + b->len, v);
	b->len += 4;
}

/* Code-like filler: a message the app would print, between words from a
 * fixed linear congruential sequence, so the image compresses as code does. */
static void fill(uint8_t *p, size_t len, uint32_t seed)
{
	static const char msg[] = "espota-device sample app: hello from the simulator\n";

	for (size_t i = 0; i < len; i++) {
		seed = seed * 1664525u + 1013904223u;
		p[i] = (i / 64) % 3 == 0 ? (uint8_t)msg[i % (sizeof(msg) - 1)] : (uint8_t)(seed >> 24);
	}
}

struct segment {
	uint32_t load;
	uint32_t len;
	uint32_t seed;
};

/* One ROM-format image (header, segments, padding, checksum) at b->len. */
static size_t put_image(struct bin *b, uint8_t mode, uint8_t size_freq, uint32_t entry,
			const struct segment *seg, unsigned nseg)
{
	size_t start = b->len;
	uint8_t hdr[4] = { 0xE9, (uint8_t)nseg, mode, size_freq };
	uint8_t sum = 0xEF;

	put(b, hdr, 4);
	put_le32(b, entry);
	for (unsigned s = 0; s < nseg; s++) {
		put_le32(b, seg[s].load);
		put_le32(b, seg[s].len);
		fill(b->p + b->len, seg[s].len, seg[s].seed);
		if (seg[s].load == SAMPLE_IROM0)
			fw_memset(b->p + b->len, 0, 8); /* .bin length and CRC, filled in last */
		for (uint32_t i = 0; i < seg[s].len; i++)
			sum ^= b->p[b->len + i];
		b->len += seg[s].len;
	}
	while ((b->len - start) % 16 != 15)
		b->p[b->len++] = 0;
	b->p[b->len++] = sum;
	return b->len - start;
}

static uint8_t size_nibble(uint32_t flash_size)
{
	switch (flash_size) {
	case 0x40000u:
		return 1;
	case 0x100000u:
		return 2;
	case 0x200000u:
		return 3;
	case 0x400000u:
		return 4;
	default:
		return 0;
	}
}

size_t sample_app_build(uint8_t **out, uint32_t flash_size, uint8_t flash_mode)
{
	static const struct segment eboot_seg[] = { { 0x4010F000u, 0x6A0u, 1 } };
	static const struct segment app_seg[] = {
		{ SAMPLE_IROM0, 0xC000u, 2 }, /* .irom0.text, runs from flash */
		{ 0x40100000u, 0x3A40u, 3 }, /* .text, loaded to IRAM */
		{ 0x3FFE8000u, 0x0520u, 4 }, /* .data */
	};
	uint8_t size_freq = (uint8_t)(size_nibble(flash_size) << 4); /* 40 MHz */
	struct bin b = { calloc(1, SAMPLE_CAP), 0 };
	uint32_t crc;

	*out = NULL;
	if (!b.p)
		return 0;
	put_image(&b, flash_mode, size_freq, 0x4010F000u, eboot_seg, 1);
	memset(b.p + b.len, 0xAA, 0x1000u - b.len);
	b.len = 0x1000u;
	put_image(&b, flash_mode, size_freq, 0x40100004u, app_seg, 3);
	/* elf2bin: .bin length and CRC in the first words of .irom0.text
	 * (0x1010, 0x1014); the CRC covers the .bin with both words zero, and
	 * the checksum, computed before, saw them as zero too. */
	crc = crc32_mpeg2(0xFFFFFFFFu, b.p, b.len);
	fw_store_le32(b.p + 0x1010u, (uint32_t)b.len);
	fw_store_le32(b.p + 0x1014u, crc);
	*out = b.p;
	return b.len;
}
