/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The ESP8266 ROM image format (docs/protocol/image-and-flash.md §3) as the
 * simulator's boot ROM sees it in flash: walk the header and segments,
 * check they stay inside the chip and that the checksum matches.
 */
#ifndef ESPOTA_APP_IMAGE_H
#define ESPOTA_APP_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "hal.h"

#define APP_IMAGE_MAGIC 0xE9u
#define APP_IMAGE_MAX_SEGMENTS 16u
#define APP_IMAGE_IROM0 0x40201010u /* .irom0.text load address of an Arduino app */

enum app_image_error {
	APP_IMAGE_OK = 0,
	APP_IMAGE_ERR_READ = 1,     /* flash read failed */
	APP_IMAGE_ERR_MAGIC = 2,    /* no 0xE9 header */
	APP_IMAGE_ERR_SEGMENTS = 3, /* no segment, or more than the ROM loads */
	APP_IMAGE_ERR_RANGE = 4,    /* a segment runs past the end of the chip */
	APP_IMAGE_ERR_CHECKSUM = 5, /* checksum byte does not match the data */
	APP_IMAGE_ERR_POWER = 6,    /* the simulated power failed */
};

struct app_image_info {
	uint32_t header;     /* flash offset of the image header */
	uint8_t segments;
	uint8_t flash_mode;  /* header byte 2 */
	uint8_t size_freq;   /* header byte 3 */
	uint32_t entry;
	uint32_t end;        /* flash offset just past the checksum byte */
};

/* Checks the image whose header is at flash offset addr. */
enum app_image_error app_image_check(struct hal *h, uint32_t addr, struct app_image_info *out);
const char *app_image_strerror(enum app_image_error err);

/* Reads len bytes at any offset, through aligned HAL reads. Returns 0 or
 * a negative HAL code. */
int app_flash_read_bytes(struct hal *h, uint32_t addr, uint8_t *buf, size_t len);

#endif
