/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Loads an app image into RAM and jumps to it (docs/protocol/image-and-flash.md
 * §7.4 "App loading"). The segments it copies overwrite DRAM where eboot's
 * constants and buffers live, so this code touches nothing but its stack
 * and the ROM: no hal context, no constants, no switch tables.
 */
#include "app_load.h"

#include "rom.h"

/* The app's IRAM ends at 0x4010C000 at most (48 KiB IRAM builds); eboot
 * runs above it (stage 2 at 0x4010C000, stage 1 at 0x4010F000), out of the
 * way. */
static int loaded_into_ram(uint32_t addr)
{
	return addr < 0x40000000u || (addr >= 0x40100000u && addr < 0x4010C000u) ||
	       addr >= 0x60000000u;
}

int app_load_and_jump(uint32_t flash_offset)
{
	uint32_t header[2];  /* magic, segments, mode, size/freq; entry */
	uint32_t segment[2]; /* load address, length */
	uint32_t pos = flash_offset + APP_IMAGE_OFFSET;

	if (SPIRead(pos, header, sizeof(header)))
		return APP_LOAD_ERR_HEADER;
	pos += sizeof(header);
	for (uint32_t n = (header[0] >> 8) & 0xFFu; n > 0; n--) {
		if (SPIRead(pos, segment, sizeof(segment)))
			return APP_LOAD_ERR_SEGMENT_HEADER;
		pos += sizeof(segment);
		if (loaded_into_ram(segment[0]) &&
		    SPIRead(pos, (void *)(uintptr_t)segment[0], segment[1]))
			return APP_LOAD_ERR_SEGMENT_DATA;
		pos += segment[1];
	}
	__asm__ volatile("mov a1, %0\n\tjx %1" : : "a"(APP_STACK_TOP), "a"(header[1]) : "memory");
	__builtin_unreachable();
}
