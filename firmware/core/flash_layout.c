/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "flash_layout.h"

/*
 * The journal and eboot's second stage need three sectors that neither the
 * sketch, the staging area nor the filesystem ever writes: the stage 2
 * image (two sectors, written once over serial) sits right below the
 * journal sector, and the filesystem gives up the space.
 *
 *   4M2M:  FS 0x200000..0x3F8000, stage 2 0x3F8000, journal 0x3FA000
 *          (the Arduino FS ends at 0x3FA000 on an 8 KiB block boundary,
 *          below EEPROM: one 8 KiB block less, and 0x3FA000 was unused)
 *   2M64:  FS 0x1EB000..0x1F8000, stage 2 0x1F8000, journal 0x1FA000
 *   1M64:  FS 0x0EB000..0x0F8000, stage 2 0x0F8000, journal 0x0FA000
 *          (these filesystems run up to EEPROM in 4 KiB blocks: three
 *          sectors fewer than the Arduino layout's)
 */
int flash_layout_default(struct flash_layout *l, uint32_t flash_size)
{
	uint32_t tail = flash_size - 0x5000u; /* EEPROM: size - 20 KiB */

	l->flash_size = flash_size;
	l->eeprom = tail;
	l->rf_cal = flash_size - 0x4000u;
	l->sdk_config = flash_size - 0x3000u;
	switch (flash_size) {
	case 0x100000u: /* 1M64 */
	case 0x200000u: /* 2M64 */
		l->fs_start = tail - 0x10000u;
		l->journal = tail - 0x1000u;
		break;
	case 0x400000u: /* 4M2M */
		l->fs_start = 0x200000u;
		l->journal = 0x3FA000u;
		break;
	default:
		return -1;
	}
	l->stage2 = l->journal - FLASH_STAGE2_SIZE;
	l->fs_end = l->stage2;
	return 0;
}
