/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The last step of the boot: copy the chosen app into RAM and start it. */
#ifndef ESPOTA_TARGET_APP_LOAD_H
#define ESPOTA_TARGET_APP_LOAD_H

#include <stdint.h>

#define APP_IMAGE_OFFSET 0x1000u  /* app header, after its eboot sector */
#define APP_STACK_TOP 0x3FFFFFF0u /* the SP the app starts with */

/* The codes upstream eboot prints as "e:<n>". */
enum app_load_error {
	APP_LOAD_ERR_HEADER = 1,         /* the image header could not be read */
	APP_LOAD_ERR_SEGMENT_HEADER = 2, /* a segment header could not be read */
	APP_LOAD_ERR_SEGMENT_DATA = 3,   /* a segment could not be read into RAM */
};

/* Boots the app whose eboot sector is at flash_offset (its image header
 * is at flash_offset + 0x1000). Returns only on a read error. Never
 * inlined, so that it stays one function that the test can inspect. */
__attribute__((noinline)) int app_load_and_jump(uint32_t flash_offset);

#endif
