/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Stage 1's way into eboot's second stage (docs/eboot.md, "Two stages"). */
#ifndef ESPOTA_TARGET_STAGE2_LOAD_H
#define ESPOTA_TARGET_STAGE2_LOAD_H

#include <stdint.h>

/* The RAM stage 2 may be loaded into: clear of stage 1 (IRAM 0x4010F000..,
 * DRAM 0x3FFE8000..0x3FFE8FFF) and of the app loader's IRAM range
 * [0x40100000, 0x4010C000). eboot-stage2.ld links stage 2 inside them. */
#define STAGE2_IRAM_START 0x4010C000u
#define STAGE2_IRAM_END 0x4010F000u
#define STAGE2_DRAM_START 0x3FFE9000u
#define STAGE2_DRAM_END 0x3FFFC000u

/* The codes stage 1 prints as "s2:<n>" before it boots the app instead. */
enum stage2_load_error {
	STAGE2_ERR_READ = 1,     /* a flash read failed */
	STAGE2_ERR_MAGIC = 2,    /* no ROM image header (0xE9) at the region: not flashed */
	STAGE2_ERR_SEGMENT = 3,  /* a segment outside stage 2's RAM, or not whole words */
	STAGE2_ERR_CHECKSUM = 4, /* the segments do not match the image's checksum byte */
	STAGE2_ERR_ENTRY = 5,    /* the entry (not covered by the checksum) is outside stage 2's IRAM */
	STAGE2_ERR_RETURNED = 6, /* stage 2 came back, which it never does */
};

/* Loads the ROM-format image at flash offset addr (header, segments,
 * checksum) into stage 2's RAM, checks it and calls its entry. Returns
 * only when the image is missing or bad, with a STAGE2_ERR_* code; stage
 * 1's own code and data are untouched then, whatever the image held. */
int stage2_load_and_jump(uint32_t addr);

#endif
