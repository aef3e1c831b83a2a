/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The two CRC-32s, bit at a time: eboot has 4 KiB for everything, and a
 * firmware image is checked once per update, so size wins over speed. */
#include "crc32.h"

uint32_t crc32_mpeg2(uint32_t crc, const void *data, size_t len)
{
	const uint8_t *p = data;

	while (len--) {
		crc ^= (uint32_t)*p++ << 24;
		for (unsigned i = 0; i < 8; i++)
			crc = (crc << 1) ^ (0x04C11DB7u & (0u - (crc >> 31)));
	}
	return crc;
}

/* Four bits per step from a 16-entry table: eight times fewer steps than
 * bitwise for the gzip trailer check over a whole image, in 64 bytes. */
static const uint32_t crc32_gzip_nibble[16] = {
	0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
	0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c, 0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
};

uint32_t crc32_gzip(uint32_t crc, const void *data, size_t len)
{
	const uint8_t *p = data;

	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		crc = (crc >> 4) ^ crc32_gzip_nibble[crc & 15];
		crc = (crc >> 4) ^ crc32_gzip_nibble[crc & 15];
	}
	return ~crc;
}
