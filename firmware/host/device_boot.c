/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "device_boot.h"

#include <stdlib.h>
#include <string.h>

#include "device_status.h"
#include "eboot.h"
#include "hal_posix.h"

static enum device_error power_lost(struct device *d, const struct logger *lg)
{
	log_error(lg, "power lost after %lu flash operations", hal_posix_flash_ops(d->hal));
	return DEVICE_ERR_POWER_LOST;
}

/* eboot until it says what to boot; resets in between keep RTC memory. */
static enum device_error run_eboot(struct device *d, const struct logger *lg,
				   struct device_boot *out)
{
	struct eboot_work *w = malloc(sizeof(*w));
	enum eboot_status st = EBOOT_OK;

	if (!w) {
		log_error(lg, "out of memory");
		return DEVICE_ERR_FAILED;
	}
	for (out->resets = 0;; out->resets++) {
		st = eboot_run(d->hal, &d->layout, w, &out->offset);
		if (hal_posix_power_lost(d->hal) || st == EBOOT_EPOWER) {
			free(w);
			return power_lost(d, lg);
		}
		if (st == EBOOT_OK || out->resets == DEVICE_BOOT_MAX_RESETS)
			break;
		log_error(lg, "eboot: %s: resetting", eboot_strerror(st));
	}
	free(w);
	if (st != EBOOT_OK) {
		log_error(lg, "eboot failed %d times in a row (%s): the device is stuck; reflash it "
			      "with 'espota-device init'",
			  DEVICE_BOOT_MAX_RESETS + 1, eboot_strerror(st));
		return DEVICE_ERR_FAILED;
	}
	return DEVICE_OK;
}

enum device_error device_power_on(struct device *d, const struct logger *lg,
				  struct device_boot *out)
{
	uint32_t header;
	enum app_image_error ie;
	enum device_error rc;
	bool valid;

	memset(out, 0, sizeof(*out));
	rc = run_eboot(d, lg, out);
	if (rc != DEVICE_OK)
		return rc;
	header = out->offset + FLASH_APP_START;
	ie = app_image_check(d->hal, header, &out->image);
	if (ie == APP_IMAGE_ERR_POWER)
		return power_lost(d, lg);
	if (ie != APP_IMAGE_OK) {
		log_error(lg, "no bootable app at 0x%06lx: %s: reflash the device",
			  (unsigned long)header, app_image_strerror(ie));
		return DEVICE_ERR_FAILED;
	}
	out->app_size = out->offset == 0 ? device_installed_app_size(d, &valid)
					 : out->image.end - out->offset;
	if (device_flash_md5(d, out->offset, out->app_size, out->app_md5) != HAL_OK) {
		if (hal_posix_power_lost(d->hal))
			return power_lost(d, lg);
		log_error(lg, "cannot read the flash of '%s'", d->paths.flash);
		return DEVICE_ERR_FAILED;
	}
	return DEVICE_OK;
}

void device_print_running(FILE *out, const struct device_boot *b)
{
	fprintf(out, "running app at 0x%06lx: %lu bytes, md5 %s\n", (unsigned long)b->offset,
		(unsigned long)b->app_size, b->app_md5);
}
