/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "stage2_image.h"

#include "flash_layout.h"
#include "hal.h"
#include "image_header.h"
#include "image_walk.h"

static bool in_window(uint32_t addr, uint32_t len, uint32_t start, uint32_t end)
{
	return addr >= start && addr <= end && len <= end - addr;
}

static bool in_stage2_ram(void *ctx, uint32_t load, uint32_t len)
{
	(void)ctx;
	return (load | len) % 4u == 0 &&
	       (in_window(load, len, STAGE2_IRAM_START, STAGE2_IRAM_END) ||
		in_window(load, len, STAGE2_DRAM_START, STAGE2_DRAM_END));
}

enum stage2_error stage2_image_check(struct hal *h, uint32_t addr)
{
	uint8_t raw[IMAGE_HEADER_SIZE], buf[256];
	struct image_header hdr;
	struct image_walk w;

	/* The loader's order: magic, then the entry, then the segments. */
	if (image_flash_read(h, addr, raw, sizeof(raw)) != HAL_OK)
		return STAGE2_ERR_READ;
	image_header_parse(&hdr, raw);
	if (hdr.magic != IMAGE_MAGIC)
		return STAGE2_ERR_MAGIC;
	if (!in_window(hdr.entry, 4, STAGE2_IRAM_START, STAGE2_IRAM_END))
		return STAGE2_ERR_ENTRY;
	image_walk_init(&w, FLASH_STAGE2_SIZE, in_stage2_ram, NULL);
	switch (image_walk_flash(h, addr, &w, buf, sizeof(buf))) {
	case IMAGE_OK:
		return STAGE2_OK;
	case IMAGE_ERR_READ:
		return STAGE2_ERR_READ;
	case IMAGE_ERR_MAGIC:
		return STAGE2_ERR_MAGIC;
	case IMAGE_ERR_CHECKSUM:
		return STAGE2_ERR_CHECKSUM;
	case IMAGE_ERR_RANGE:
	case IMAGE_ERR_SEGMENTS:
	case IMAGE_ERR_TRUNCATED:
	case IMAGE_ERR_PLACEMENT:
		return STAGE2_ERR_SEGMENT;
	}
	return STAGE2_ERR_SEGMENT;
}

const char *stage2_strerror(enum stage2_error err)
{
	switch (err) {
	case STAGE2_OK:
		return "valid";
	case STAGE2_ERR_READ:
		return "cannot read its flash region";
	case STAGE2_ERR_MAGIC:
		return "no image header (0xE9): stage 2 was never flashed";
	case STAGE2_ERR_SEGMENT:
		return "a segment lies outside stage 2's RAM or flash region, or is not whole words";
	case STAGE2_ERR_CHECKSUM:
		return "checksum does not match the segments: the image is damaged";
	case STAGE2_ERR_ENTRY:
		return "entry point outside stage 2's IRAM";
	case STAGE2_ERR_RETURNED:
		return "stage 2 returned to stage 1";
	}
	return "unknown stage 2 error";
}
