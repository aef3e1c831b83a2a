/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The two CRC-32s of the update chain. */
#ifndef ESPOTA_FW_CRC32_H
#define ESPOTA_FW_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* CRC-32/MPEG-2 (poly 0x04C11DB7, MSB first, no final xor), as eboot and
 * the core use for the RTC command block and elf2bin for the image CRC.
 * Start with crc = 0xFFFFFFFF; "123456789" gives 0x0376E6E7. */
uint32_t crc32_mpeg2(uint32_t crc, const void *data, size_t len);

/* CRC-32 of gzip/zlib (reflected 0xEDB88320). Start with crc = 0; chain
 * calls by passing the previous result. "123456789" gives 0xCBF43926. */
uint32_t crc32_gzip(uint32_t crc, const void *data, size_t len);

#endif
