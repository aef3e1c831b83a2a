/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A simulated device for the eboot tests: a 1 MiB flash file and an RTC
 * file under a fresh temporary directory, opened through the POSIX HAL
 * (NOR rules, power cuts), plus helpers to place and compare images. */
#ifndef EBOOT_TEST_DEV_H
#define EBOOT_TEST_DEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "eboot.h"
#include "flash_layout.h"
#include "hal_posix.h"

#define DEV_FLASH_SIZE 0x100000u /* 1M64: FS 0xEB000..0xF8000, stage 2, journal at 0xFA000 */

struct dev {
	char dir[64];
	char flash[96];
	char rtc[96];
	struct hal *h;
	struct flash_layout layout;
	FILE *console;       /* what eboot printed since the last dev_open */
	char console_text[256];
	struct eboot_work *work;
};

struct dev *dev_create(void);
void dev_destroy(struct dev *d);
/* (Re)opens the device: a power-on. cut: the op at which the power fails
 * (-1 never); torn: that write programs only its first half. */
void dev_open(struct dev *d, long cut, bool torn);
/* The console output since dev_open, NUL-terminated. */
const char *dev_console(struct dev *d);

/* Erases the sectors of [addr, addr + len) and writes data (padded with
 * 0xFF), through the HAL. */
void dev_put(struct dev *d, uint32_t addr, const uint8_t *data, size_t len);
/* Reads flash straight from the file. */
void dev_get(const struct dev *d, uint32_t addr, uint8_t *buf, size_t len);
bool dev_equals(const struct dev *d, uint32_t addr, const uint8_t *data, size_t len);
/* The whole flash file, to restore a starting point between runs. */
uint8_t *dev_snapshot(const struct dev *d);
void dev_restore(struct dev *d, const uint8_t *snap);
/* Removes the RTC file (a power-on after a long power loss). */
void dev_wipe_rtc(struct dev *d);

/* One power-on through eboot. */
enum eboot_status dev_boot(struct dev *d, uint32_t *boot_offset);

/* Test images: random bytes (seeded) or a compressible, sketch-like mix. */
uint8_t *image_random(size_t len, unsigned seed);
uint8_t *image_sketch(size_t len, unsigned seed);
/* gzip -9 of data with zlib; *outlen gets its length. */
uint8_t *gzip_bytes(const uint8_t *data, size_t len, size_t *outlen);

#endif
