/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Loads and starts eboot's second stage from its flash region. The image
 * is in the ROM's own format (docs/protocol/image-and-flash.md §3), so stage 1
 * checks what the ROM would: the magic and the XOR checksum. Segments may
 * only land in stage 2's windows, which keeps stage 1 intact for booting
 * the app when the image turns out bad.
 */
#include "stage2_load.h"

#include "rom.h"

static int in_window(uint32_t addr, uint32_t len, uint32_t start, uint32_t end)
{
	return addr >= start && addr <= end && len <= end - addr;
}

int stage2_load_and_jump(uint32_t addr)
{
	uint32_t header[2];  /* magic, segments, mode, size/freq; entry */
	uint32_t segment[2]; /* load address, length */
	uint32_t sum = 0xEFu, last;
	uint32_t pos = addr + sizeof(header);

	if (SPIRead(addr, header, sizeof(header)))
		return STAGE2_ERR_READ;
	if ((header[0] & 0xFFu) != 0xE9u)
		return STAGE2_ERR_MAGIC;
	if (!in_window(header[1], 4, STAGE2_IRAM_START, STAGE2_IRAM_END))
		return STAGE2_ERR_ENTRY;
	for (uint32_t n = (header[0] >> 8) & 0xFFu; n > 0; n--) {
		if (SPIRead(pos, segment, sizeof(segment)))
			return STAGE2_ERR_READ;
		pos += sizeof(segment);
		if ((segment[0] | segment[1]) % 4u != 0 ||
		    !(in_window(segment[0], segment[1], STAGE2_IRAM_START, STAGE2_IRAM_END) ||
		      in_window(segment[0], segment[1], STAGE2_DRAM_START, STAGE2_DRAM_END)))
			return STAGE2_ERR_SEGMENT;
		if (SPIRead(pos, (void *)(uintptr_t)segment[0], segment[1]))
			return STAGE2_ERR_READ;
		/* Word reads only: IRAM faults on byte loads. XOR folds the
		 * same whether taken by bytes or by words. */
		for (uint32_t i = 0; i < segment[1]; i += 4)
			sum ^= *(volatile uint32_t *)(uintptr_t)(segment[0] + i);
		pos += segment[1];
	}
	/* The checksum byte ends the image on a 16-byte boundary: the top
	 * byte of the word at (pos - addr) | 12. */
	if (SPIRead(addr + ((pos - addr) | 12u), &last, sizeof(last)))
		return STAGE2_ERR_READ;
	sum ^= sum >> 16;
	sum ^= sum >> 8;
	if ((sum & 0xFFu) != last >> 24)
		return STAGE2_ERR_CHECKSUM;
	((void (*)(void))(uintptr_t)header[1])();
	return STAGE2_ERR_RETURNED;
}
