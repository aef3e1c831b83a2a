/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "image_header.h"

#include "flash_layout.h"
#include "fwmem.h"
#include "hal.h"

void image_header_parse(struct image_header *h, const uint8_t raw[IMAGE_HEADER_SIZE])
{
	h->magic = raw[0];
	h->segments = raw[1];
	h->flash_mode = raw[IMAGE_FLASH_MODE_OFFSET];
	h->size_freq = raw[IMAGE_SIZE_FREQ_OFFSET];
	h->entry = fw_load_le32(raw + 4);
}

bool image_is_app(const uint8_t *p, size_t len)
{
	return len >= 1 && p[0] == IMAGE_MAGIC;
}

bool image_is_gzip(const uint8_t *p, size_t len)
{
	return len >= 2 && p[0] == IMAGE_GZIP_MAGIC0 && p[1] == IMAGE_GZIP_MAGIC1;
}

uint8_t image_flash_mode(uint8_t raw)
{
	return raw <= IMAGE_FLASH_MODE_DOUT ? raw : IMAGE_FLASH_MODE_UNKNOWN;
}

uint32_t image_flash_size(uint8_t size_freq)
{
	switch (size_freq >> 4) {
	case 0x0:
		return 0x80000u;
	case 0x1:
		return 0x40000u;
	case 0x2:
		return 0x100000u;
	case 0x3:
		return 0x200000u;
	case 0x4:
		return 0x400000u;
	case 0x8:
		return 0x800000u;
	case 0x9:
		return 0x1000000u;
	default:
		return 0;
	}
}

uint32_t image_flash_freq(uint8_t size_freq)
{
	switch (size_freq & 0x0Fu) {
	case 0x0:
		return 40000000u;
	case 0x1:
		return 26000000u;
	case 0x2:
		return 20000000u;
	case 0xF:
		return 80000000u;
	default:
		return 0;
	}
}

int image_flash_read(struct hal *h, uint32_t addr, void *buf, size_t len)
{
	/* Word-aligned bounce buffer: the target's ROM reads into aligned RAM. */
	uint32_t bounce[16];
	uint8_t *out = buf;

	while (len > 0) {
		uint32_t base = addr & ~3u;
		uint32_t skip = addr - base;
		size_t want = skip + len;
		size_t chunk;
		int rc;

		if (want > sizeof(bounce))
			want = sizeof(bounce);
		want = (want + 3u) & ~(size_t)3u;
		rc = hal_flash_read(h, base, bounce, want);
		if (rc != HAL_OK)
			return rc;
		chunk = want - skip;
		if (chunk > len)
			chunk = len;
		fw_memcpy(out, (const uint8_t *)bounce + skip, chunk);
		out += chunk;
		addr += (uint32_t)chunk;
		len -= chunk;
	}
	return HAL_OK;
}

enum image_status image_end(struct hal *h, uint32_t header_addr, uint32_t *end)
{
	uint8_t raw[IMAGE_HEADER_SIZE];
	struct image_header hdr;
	uint64_t pos = header_addr;
	uint64_t limit = hal_flash_size(h);

	if (image_flash_read(h, header_addr, raw, sizeof(raw)) != HAL_OK)
		return IMAGE_ERR_READ;
	image_header_parse(&hdr, raw);
	if (hdr.magic != IMAGE_MAGIC)
		return IMAGE_ERR_MAGIC;
	pos += IMAGE_HEADER_SIZE;
	for (unsigned i = 0; i < hdr.segments; i++) {
		uint8_t seg[IMAGE_SEGMENT_HEADER_SIZE];

		/* Checked before each read so a garbage length cannot send the
		 * walk off the chip (the core would wrap around). */
		if (pos + IMAGE_SEGMENT_HEADER_SIZE > limit)
			return IMAGE_ERR_RANGE;
		if (image_flash_read(h, (uint32_t)pos, seg, sizeof(seg)) != HAL_OK)
			return IMAGE_ERR_READ;
		pos += IMAGE_SEGMENT_HEADER_SIZE + (uint64_t)fw_load_le32(seg + 4);
		if (pos > limit)
			return IMAGE_ERR_RANGE;
	}
	*end = (uint32_t)((pos + 16u) & ~(uint64_t)15u);
	return IMAGE_OK;
}

enum image_status image_sketch_size(struct hal *h, uint32_t *size)
{
	return image_end(h, FLASH_APP_START, size);
}

const char *image_strerror(enum image_status st)
{
	switch (st) {
	case IMAGE_OK:
		return "success";
	case IMAGE_ERR_READ:
		return "cannot read the image from flash; check the flash driver";
	case IMAGE_ERR_MAGIC:
		return "no image header (0xE9) at this offset; flash a valid .bin";
	case IMAGE_ERR_RANGE:
		return "image segments run past the end of the flash; the image is damaged, reflash it";
	case IMAGE_ERR_SEGMENTS:
		return "bad segment count (an image has 1 to 16); the image is damaged, rebuild it";
	case IMAGE_ERR_TRUNCATED:
		return "image ends before its segments and checksum do; it is cut short, send it whole";
	case IMAGE_ERR_CHECKSUM:
		return "image checksum does not match its segments; the image is damaged, rebuild it";
	case IMAGE_ERR_PLACEMENT:
		return "a segment lies outside the RAM its loader allows; rebuild the image";
	}
	return "unknown image status";
}
