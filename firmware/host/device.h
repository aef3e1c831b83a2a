/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One simulated device, opened from its flash file F: the build-time
 * configuration (F.conf), the POSIX HAL over F and F.rtc, the flash
 * layout, the signing key, and the Updater configuration they make.
 * Every subcommand of espota-device starts here; the moments of the
 * device's life are in the files beside this one: device_create.h (the
 * serial flasher), device_stage.h (an upload through the Updater),
 * device_boot.h (power-on through eboot), device_loop.h (running its
 * services).
 */
#ifndef ESPOTA_DEVICE_H
#define ESPOTA_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "device_config.h"
#include "flash_layout.h"
#include "hal.h"
#include "rsa.h"
#include "updater.h"

/* How a call into the simulator's library ended; the details have been
 * logged. */
enum device_error {
	DEVICE_OK = 0,
	DEVICE_ERR_INPUT = 1,      /* the caller asked for something impossible */
	DEVICE_ERR_FAILED = 2,     /* refused or failed */
	DEVICE_ERR_POWER_LOST = 3, /* the simulated power failed */
};

const char *device_strerror(enum device_error err);

struct device {
	struct device_paths paths;
	struct device_config cfg;
	struct flash_layout layout;
	struct rsa_pubkey key; /* valid when cfg.signing */
	struct updater_config ucfg;
	struct hal *hal;
};

struct device_power {
	long cut_after;    /* cut power at this flash erase/write; -1: never */
	bool torn;         /* the cut write lands only half */
	bool esp8266_timing;
	FILE *console;     /* eboot and app console; NULL: stderr */
};

/* Opens the device whose flash file is flash. Returns 0, or -1 with a
 * message in err. power may be NULL (no cut, no timing). */
int device_open(struct device *d, const char *flash, const struct device_power *power,
		char *err, size_t errlen);
void device_close(struct device *d);

/* Loads a PEM public key the way the device's build embeds it. Returns 0,
 * or -1 with a message in err. */
int device_load_key(struct rsa_pubkey *key, const char *path, char *err, size_t errlen);

/* Exit status of a run cut short by the simulated power loss (EX_TEMPFAIL). */
#define DEVICE_EXIT_POWER_LOST 75

#endif
