/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The ESP8266 ROM image header (docs/protocol/image-and-flash.md §3): magic, segment
 * count, flash mode, flash size/frequency nibbles, entry point; the gzip
 * magic the bootloader recognises (§4); and the current sketch size found
 * by walking the app image's segments, as ESP.getSketchSize() does.
 */
#ifndef ESPOTA_FW_IMAGE_HEADER_H
#define ESPOTA_FW_IMAGE_HEADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hal;

#define IMAGE_MAGIC 0xE9u
#define IMAGE_HEADER_SIZE 8u
#define IMAGE_SEGMENT_HEADER_SIZE 8u
#define IMAGE_FLASH_MODE_OFFSET 2u
#define IMAGE_SIZE_FREQ_OFFSET 3u

#define IMAGE_GZIP_MAGIC0 0x1Fu
#define IMAGE_GZIP_MAGIC1 0x8Bu

/* Flash modes of byte 2; the core maps anything above DOUT to "unknown". */
#define IMAGE_FLASH_MODE_QIO 0u
#define IMAGE_FLASH_MODE_QOUT 1u
#define IMAGE_FLASH_MODE_DIO 2u
#define IMAGE_FLASH_MODE_DOUT 3u
#define IMAGE_FLASH_MODE_UNKNOWN 0xFFu

struct image_header {
	uint8_t magic;
	uint8_t segments;
	uint8_t flash_mode; /* byte 2 as stored */
	uint8_t size_freq;  /* byte 3: high nibble size, low nibble frequency */
	uint32_t entry;
};

enum image_status {
	IMAGE_OK = 0,
	IMAGE_ERR_READ = 1,  /* the flash read failed */
	IMAGE_ERR_MAGIC = 2, /* no 0xE9 header where an image should start */
	IMAGE_ERR_RANGE = 3, /* the segments run past the end of the flash */
};

/* Decodes the 8 header bytes (no check; see image_is_app). */
void image_header_parse(struct image_header *h, const uint8_t raw[IMAGE_HEADER_SIZE]);

/* p[0] is the app magic 0xE9 (len >= 1). */
bool image_is_app(const uint8_t *p, size_t len);
/* p starts with the gzip magic 1f 8b (len >= 2). */
bool image_is_gzip(const uint8_t *p, size_t len);

/* Byte 2 as the core reads it: 0..3, or IMAGE_FLASH_MODE_UNKNOWN. */
uint8_t image_flash_mode(uint8_t raw);
/* The chip size the header announces, in bytes (0: unknown nibble). */
uint32_t image_flash_size(uint8_t size_freq);
/* The flash clock the header announces, in Hz (0: unknown nibble). */
uint32_t image_flash_freq(uint8_t size_freq);

/* Reads len bytes at any address and length through 4-aligned HAL reads
 * (the flash only reads whole words). Returns 0 or a negative HAL code. */
int image_flash_read(struct hal *h, uint32_t addr, void *buf, size_t len);

/* Walks the image whose header is at flash offset header_addr and stores
 * in *end the offset just past it, rounded as the core rounds it:
 * (end of last segment + 16) & ~15. */
enum image_status image_end(struct hal *h, uint32_t header_addr, uint32_t *end);

/* ESP.getSketchSize(): image_end() of the app at FLASH_APP_START, which is
 * an absolute offset and so counts the eboot sector too. */
enum image_status image_sketch_size(struct hal *h, uint32_t *size);

const char *image_strerror(enum image_status st);

#endif
