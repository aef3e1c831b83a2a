/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "stage2_standin.h"

#include <string.h>

#include "flash_layout.h"
#include "fwmem.h"
#include "stage2_image.h"

/* IRAM: lx106's ret.n (0xF00D), padded to a whole word. */
static const uint8_t iram_code[4] = { 0x0D, 0xF0, 0x00, 0x00 };
/* DRAM: words that say what this is, for whoever dumps the flash. */
static const char dram_note[28] = "espota-device stage 2 stub";

_Static_assert(((8 + 8 + sizeof(iram_code) + 8 + sizeof(dram_note)) | 15u) + 1u ==
		       STAGE2_STANDIN_SIZE,
	       "header, two segments, padding and checksum fill the stand-in exactly");

void stage2_standin_build(uint8_t out[STAGE2_STANDIN_SIZE])
{
	uint8_t sum = 0xEF;
	size_t pos = 0;

	memset(out, 0, STAGE2_STANDIN_SIZE);
	out[0] = 0xE9;
	out[1] = 2;    /* segments */
	out[2] = 2;    /* DIO; stage 1 reads no flash parameters from here */
	out[3] = 0x00;
	fw_store_le32(out + 4, STAGE2_IRAM_START);
	pos = 8;
	fw_store_le32(out + pos, STAGE2_IRAM_START);
	fw_store_le32(out + pos + 4, sizeof(iram_code));
	memcpy(out + pos + 8, iram_code, sizeof(iram_code));
	pos += 8 + sizeof(iram_code);
	fw_store_le32(out + pos, STAGE2_DRAM_START);
	fw_store_le32(out + pos + 4, sizeof(dram_note));
	memcpy(out + pos + 8, dram_note, sizeof(dram_note));
	pos += 8 + sizeof(dram_note);
	for (size_t i = 0; i < sizeof(iram_code); i++)
		sum ^= iram_code[i];
	for (size_t i = 0; i < sizeof(dram_note); i++)
		sum ^= (uint8_t)dram_note[i];
	/* zero padding, then the checksum as the last byte of its 16-byte block */
	out[pos | 15u] = sum;
}

int stage2_standin_write(struct hal *h, uint32_t addr)
{
	uint8_t image[STAGE2_STANDIN_SIZE];
	int rc;

	for (uint32_t off = 0; off < FLASH_STAGE2_SIZE; off += HAL_FLASH_SECTOR) {
		rc = hal_flash_erase_sector(h, addr + off);
		if (rc != HAL_OK)
			return rc;
	}
	stage2_standin_build(image);
	return hal_flash_write(h, addr, image, sizeof(image));
}
