/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Where things live in flash (docs/protocol/image-and-flash.md §8), plus the sector
 * of our power-loss journal and the region of eboot's second stage. All
 * values are flash offsets. */
#ifndef ESPOTA_FW_FLASH_LAYOUT_H
#define ESPOTA_FW_FLASH_LAYOUT_H

#include <stdint.h>

#define FLASH_APP_START 0x1000u /* app image header; 0..0xFFF is eboot */
#define FLASH_STAGE2_SIZE 0x2000u /* eboot's second stage: two sectors */

struct flash_layout {
	uint32_t flash_size; /* chip size in bytes */
	uint32_t fs_start;   /* filesystem start (= fs_end when there is none) */
	uint32_t fs_end;
	uint32_t journal;    /* eboot journal sector (ours, see flash_layout.c) */
	uint32_t eeprom;
	uint32_t rf_cal;
	uint32_t sdk_config; /* 12 KiB to the end of the chip */
	uint32_t stage2;     /* eboot stage 2 image, FLASH_STAGE2_SIZE bytes (docs/eboot.md) */
};

/* The Arduino default layout for a chip of this size: 1 MiB → 1M64,
 * 2 MiB → 2M64, 4 MiB → 4M2M. Returns 0, or -1 for another size. */
int flash_layout_default(struct flash_layout *l, uint32_t flash_size);

#endif
