/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One power-on: eboot finishes any pending install (journal first, then
 * the core's RTC command), then the boot ROM's part as the simulator
 * plays it: check the app image eboot chose and say what runs.
 *
 * An eboot error resets the chip, as the original does, and eboot runs
 * again with RTC memory kept. A real device would go on resetting for
 * ever; the simulator calls it stuck after DEVICE_BOOT_MAX_RESETS resets
 * in a row, that is after DEVICE_BOOT_MAX_RESETS + 1 runs of eboot. A
 * refused command is closed by the run that refuses it and an
 * interrupted install resumes, so a device that still fails after that
 * many runs fails for good.
 */
#ifndef ESPOTA_DEVICE_BOOT_H
#define ESPOTA_DEVICE_BOOT_H

#include <stdint.h>
#include <stdio.h>

#include "app_image.h"
#include "device.h"
#include "log.h"

#define DEVICE_BOOT_MAX_RESETS 8

/* What runs after a power-on. */
struct device_boot {
	uint32_t offset;             /* the eboot sector of the app started (its header at +0x1000) */
	uint32_t app_size;           /* at 0: the app as uploaded (device_installed_app_size);
					elsewhere: the image as walked */
	char app_md5[33];            /* of flash [offset, offset + app_size) */
	struct app_image_info image; /* the boot ROM's view of the app image */
	unsigned resets;             /* eboot errors that reset the chip before it decided */
};

/* Powers the device on. Each reset and the failure are logged. Returns
 * DEVICE_OK (out filled), DEVICE_ERR_POWER_LOST, or DEVICE_ERR_FAILED
 * (eboot stuck, no bootable app, flash unreadable, out of memory). */
enum device_error device_power_on(struct device *d, const struct logger *lg,
				  struct device_boot *out);

/* The event line "running app at 0x000000: N bytes, md5 M". */
void device_print_running(FILE *out, const struct device_boot *b);

#endif
