/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The built-in app that `espota-device init` flashes when no --app is
 * given: a deterministic, well-formed Arduino .bin as elf2bin lays it out
 * (docs/protocol/image-and-flash.md §2-3): an eboot image padded with 0xAA to 4096
 * bytes, then the app image (.irom0.text whose first words are the .bin
 * length and CRC, .text, .data) with checksum.
 */
#ifndef ESPOTA_SAMPLE_APP_H
#define ESPOTA_SAMPLE_APP_H

#include <stddef.h>
#include <stdint.h>

/* Builds the image for a chip of flash_size bytes in the given mode into a
 * new buffer (free() it). Returns its length, or 0 when out of memory. */
size_t sample_app_build(uint8_t **out, uint32_t flash_size, uint8_t flash_mode);

#endif
