/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * espota-device boot: one power-on. eboot finishes any pending install
 * (journal first, then the core's RTC command), then the boot ROM's part
 * as the simulator plays it: check the app image eboot chose and say what
 * runs. An eboot error resets the chip, as the original does, and eboot
 * runs again; a simulated power cut ends the run with status 75.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_image.h"
#include "device.h"
#include "device_cmds.h"
#include "device_status.h"
#include "eboot.h"
#include "hal_posix.h"

/* Resets in a row before the simulator calls the device stuck (a real one
 * would go on resetting for ever). */
#define BOOT_MAX_RESETS 8

static const char usage_text[] =
	"usage: espota-device boot --flash F [--power-cut-after N [--torn-write]]\n"
	"                          [--flash-timing esp8266|none]\n";

static int power_lost(struct device *d)
{
	fprintf(stderr, "%s boot: power lost after %lu flash operations\n", DEVICE_PROG,
		hal_posix_flash_ops(d->hal));
	return DEVICE_EXIT_POWER_LOST;
}

/* eboot until it says what to boot; resets in between keep RTC memory. */
static int run_eboot(struct device *d, uint32_t *offset)
{
	struct eboot_work *w = malloc(sizeof(*w));
	enum eboot_status st = EBOOT_OK;
	int resets;

	if (!w) {
		fprintf(stderr, "%s boot: out of memory\n", DEVICE_PROG);
		return DEVICE_EXIT_FAIL;
	}
	for (resets = 0; resets <= BOOT_MAX_RESETS; resets++) {
		st = eboot_run(d->hal, &d->layout, w, offset);
		if (hal_posix_power_lost(d->hal) || st == EBOOT_EPOWER) {
			free(w);
			return power_lost(d);
		}
		if (st == EBOOT_OK)
			break;
		fprintf(stderr, "%s boot: eboot: %s: resetting\n", DEVICE_PROG, eboot_strerror(st));
	}
	free(w);
	if (st != EBOOT_OK) {
		fprintf(stderr, "%s boot: eboot failed %d times in a row (%s): the device is "
				"stuck; reflash it with 'espota-device init'\n",
			DEVICE_PROG, BOOT_MAX_RESETS + 1, eboot_strerror(st));
		return DEVICE_EXIT_FAIL;
	}
	return DEVICE_EXIT_OK;
}

int cmd_boot(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "flash", required_argument, NULL, 'f' },
		{ "power-cut-after", required_argument, NULL, 'P' },
		{ "torn-write", no_argument, NULL, 'T' },
		{ "flash-timing", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct device_power power = { .cut_after = -1 };
	const char *flash = NULL;
	struct app_image_info info;
	enum app_image_error ie;
	struct device d;
	uint32_t offset = 0, size;
	bool valid;
	char err[512], md5[33];
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'f': flash = optarg; break;
		case 'P': {
			char *end;

			power.cut_after = strtol(optarg, &end, 10);
			if (*end || power.cut_after < 1) {
				fprintf(stderr, "%s boot: bad --power-cut-after '%s': give a count "
						"from 1\n", DEVICE_PROG, optarg);
				return DEVICE_EXIT_USAGE;
			}
			break;
		}
		case 'T': power.torn = true; break;
		case 't':
			if (strcmp(optarg, "esp8266") == 0 || strcmp(optarg, "none") == 0) {
				power.esp8266_timing = strcmp(optarg, "esp8266") == 0;
				break;
			}
			fprintf(stderr, "%s boot: unknown --flash-timing '%s': use esp8266 or none\n",
				DEVICE_PROG, optarg);
			return DEVICE_EXIT_USAGE;
		case 'h': fputs(usage_text, stdout); return DEVICE_EXIT_OK;
		default: fputs(usage_text, stderr); return DEVICE_EXIT_USAGE;
		}
	}
	if (!flash || optind != argc) {
		fprintf(stderr, "%s boot: give --flash and options only\n%s", DEVICE_PROG,
			usage_text);
		return DEVICE_EXIT_USAGE;
	}
	if (device_open(&d, flash, &power, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s boot: %s\n", DEVICE_PROG, err);
		return DEVICE_EXIT_FAIL;
	}
	rc = run_eboot(&d, &offset);
	if (rc != DEVICE_EXIT_OK)
		goto out;
	ie = app_image_check(d.hal, offset + FLASH_APP_START, &info);
	if (ie == APP_IMAGE_ERR_POWER) {
		rc = power_lost(&d);
		goto out;
	}
	if (ie != APP_IMAGE_OK) {
		fprintf(stderr, "%s boot: no bootable app at 0x%06lx: %s: reflash the device\n",
			DEVICE_PROG, (unsigned long)(offset + FLASH_APP_START),
			app_image_strerror(ie));
		rc = DEVICE_EXIT_FAIL;
		goto out;
	}
	size = offset == 0 ? device_installed_app_size(&d, &valid) : info.end - offset;
	if (device_flash_md5(&d, offset, size, md5) != HAL_OK) {
		rc = power_lost(&d);
		goto out;
	}
	printf("running app at 0x%06lx: %lu bytes, md5 %s, %u segments, entry 0x%08lx, %s\n",
	       (unsigned long)offset, (unsigned long)size, md5, info.segments,
	       (unsigned long)info.entry, device_flash_mode_name(info.flash_mode));
	printf("flash ops: %lu\n", hal_posix_flash_ops(d.hal));
	rc = DEVICE_EXIT_OK;
out:
	device_close(&d);
	return rc;
}
