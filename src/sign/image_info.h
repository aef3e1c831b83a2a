/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Inspection of an ESP8266 image file (docs/protocol/image-and-flash.md §2-4):
 * the eboot image at 0 and the app image at 0x1000 of an Arduino .bin,
 * gzip payloads, and a signing trailer. Pure functions over bytes. */
#ifndef ESPOTA_SIGN_IMAGE_INFO_H
#define ESPOTA_SIGN_IMAGE_INFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ROM_MAGIC 0xE9
#define ROM_HEADER_LEN 8
#define ROM_MAX_SEGMENTS 16
#define APP_OFFSET 0x1000u

struct rom_segment {
	uint32_t addr;
	uint32_t size;
	size_t offset; /* file offset of the segment data */
};

/* One ROM-format image (header, segments, padding, checksum). */
struct rom_image {
	bool present;  /* magic 0xE9 at offset */
	bool complete; /* every segment and the checksum are inside the file */
	size_t offset; /* file offset of the header */
	uint8_t nsegs; /* as the header says */
	uint8_t flash_mode;
	uint8_t flash_size_freq;
	uint32_t entry;
	unsigned nparsed; /* segments read (≤ ROM_MAX_SEGMENTS) */
	struct rom_segment seg[ROM_MAX_SEGMENTS];
	size_t end; /* file offset after the checksum byte */
	uint8_t checksum_stored, checksum_computed;
	bool checksum_ok;
	/* elf2bin sums the app before it writes the .bin length and CRC words
	 * into the first segment, so its checksum matches those words as zero. */
	bool checksum_words_zeroed;
};

struct image_info {
	size_t file_size;
	/* signing trailer */
	bool signed_trailer; /* the last 4 bytes announce a plausible RSA signature */
	uint32_t sig_len;
	size_t payload_len; /* bytes before the signature (file_size when unsigned) */
	/* gzip */
	bool gzip;
	uint32_t gzip_isize; /* the gzip trailer's length field */
	/* images */
	struct rom_image eboot; /* at 0 */
	struct rom_image app;   /* at 0x1000 */
	bool arduino_bin;       /* eboot at 0 and app at 0x1000 */
	uint32_t bin_length;    /* app word at 0x1010 (elf2bin: the .bin length) */
	uint32_t bin_crc;       /* app word at 0x1014 */
	uint32_t bin_crc_computed;
	bool bin_crc_checked; /* bin_length fits the payload, so the CRC was computed */
};

/* Fills info for data[0..len). */
void image_inspect(const uint8_t *data, size_t len, struct image_info *info);
/* Inspects one ROM image at data+offset (used by image_inspect). */
void rom_image_parse(const uint8_t *data, size_t len, size_t offset, struct rom_image *img);

/* CRC-32/MPEG-2 (poly 0x04C11DB7, init ~0, MSB first, no final xor). */
uint32_t crc32_mpeg2(uint32_t crc, const uint8_t *p, size_t n);

const char *flash_mode_name(uint8_t mode);    /* "QIO", ..., "unknown" */
uint32_t flash_size_bytes(uint8_t size_freq); /* 0 = unknown */
const char *flash_size_name(uint8_t size_freq);
uint32_t flash_freq_hz(uint8_t size_freq); /* 0 = unknown */

#endif
