/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the device would run now, read from its flash and RTC memory:
 * the installed app (size and MD5 as uploaded), the filesystem, and
 * whether an update waits for eboot.
 */
#ifndef ESPOTA_DEVICE_STATUS_H
#define ESPOTA_DEVICE_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "device.h"

struct device_status {
	bool app_valid;     /* the app image at 0x1000 passes the boot checks */
	uint32_t app_size;  /* .bin length, plus an appended signature */
	char app_md5[33];
	uint32_t fs_start;
	uint32_t fs_size;
	char fs_md5[33];
	bool pending;       /* an install is scheduled for the next boot */
};

/* Returns 0, or a negative HAL code when the flash cannot be read. */
int device_status_read(struct device *d, struct device_status *st);

/* The length of the installed app as uploaded: the .bin length from the
 * header walk (ESP.getSketchSize), plus "signature ‖ uint32 LE length"
 * when one follows (docs/protocol/signed-image-format.md §1). 0 when no image. */
uint32_t device_installed_app_size(struct device *d, bool *valid);

/* MD5 (lower-case hex) of flash [addr, addr + len). */
int device_flash_md5(struct device *d, uint32_t addr, uint32_t len, char hex[33]);

#endif
