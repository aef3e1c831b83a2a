/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * eboot's second stage as it sits in flash (docs/eboot.md, "Two stages"):
 * a ROM-format image at flash_layout.stage2 whose segments load into stage
 * 2's own RAM. Stage 1's loader (firmware/target/stage2_load.c) and the
 * portable check below share these windows and codes, so what the Updater
 * and the simulator call valid is what stage 1 will start.
 */
#ifndef ESPOTA_FW_STAGE2_IMAGE_H
#define ESPOTA_FW_STAGE2_IMAGE_H

#include <stdint.h>

struct hal;

/* The RAM stage 2 may be loaded into: clear of stage 1 (IRAM 0x4010F000..,
 * DRAM 0x3FFE8000..0x3FFE8FFF) and of the app loader's IRAM range
 * [0x40100000, 0x4010C000). eboot-stage2.ld links stage 2 inside them. */
#define STAGE2_IRAM_START 0x4010C000u
#define STAGE2_IRAM_END 0x4010F000u
#define STAGE2_DRAM_START 0x3FFE9000u
#define STAGE2_DRAM_END 0x3FFFC000u

/* Stage 1 prints the codes as "s2:<n>" before it boots the app instead.
 * Only ever grows. */
enum stage2_error {
	STAGE2_OK = 0,
	STAGE2_ERR_READ = 1,     /* a flash read failed */
	STAGE2_ERR_MAGIC = 2,    /* no ROM image header (0xE9) at the region: not flashed */
	STAGE2_ERR_SEGMENT = 3,  /* a segment outside stage 2's RAM, or not whole words */
	STAGE2_ERR_CHECKSUM = 4, /* the segments do not match the image's checksum byte */
	STAGE2_ERR_ENTRY = 5,    /* the entry (not covered by the checksum) is outside stage 2's IRAM */
	STAGE2_ERR_RETURNED = 6, /* stage 2 came back, which it never does */
};

/* Checks the stage 2 image at flash offset addr as stage 1's loader will,
 * reading it through the HAL: the magic, the entry inside stage 2's IRAM,
 * every segment whole words inside stage 2's IRAM or DRAM, the checksum.
 * Stricter than the loader in two ways that no real stage 2 meets: the
 * image must fit its FLASH_STAGE2_SIZE region and have 1 to 16 segments
 * (both are STAGE2_ERR_SEGMENT). Returns STAGE2_OK or why not. */
enum stage2_error stage2_image_check(struct hal *h, uint32_t addr);

const char *stage2_strerror(enum stage2_error err);

#endif
