/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "flash_layout.h"

/*
 * The journal needs one sector that neither the sketch, the staging area
 * nor the filesystem uses. 4 MiB layouts leave 0x3FA000 unused (the FS ends
 * on an 8 KiB block boundary below EEPROM). The 1M64 and 2M64 filesystems
 * run right up to EEPROM, so there the journal takes the FS's last 4 KiB
 * block: the filesystem is one sector smaller than the Arduino layout's.
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
		l->fs_end = l->journal;
		return 0;
	case 0x400000u: /* 4M2M */
		l->fs_start = 0x200000u;
		l->fs_end = 0x3FA000u;
		l->journal = 0x3FA000u;
		return 0;
	default:
		return -1;
	}
}
