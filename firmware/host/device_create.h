/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A device fresh from the serial flasher: a blank chip of the given size,
 * the app written at offset 0 (as esptool writes it, its flash mode byte
 * patched when a mode is given), and the sketch's build-time
 * configuration beside the flash file (F.conf, F.pubkey.pem). Every input
 * is checked before any file is touched, so a refused create leaves an
 * existing device as it was.
 */
#ifndef ESPOTA_DEVICE_CREATE_H
#define ESPOTA_DEVICE_CREATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "device.h"
#include "device_config.h"
#include "log.h"

struct device_create_opts {
	const char *flash;      /* the flash file F (overwritten) */
	uint32_t flash_size;    /* 1, 2 or 4 MiB */
	int flash_mode;         /* 0..3 (qio, qout, dio, dout); -1: the app's own */
	const char *app;        /* the sketch's .bin; NULL: the built-in sample app */
	const char *sign_key;   /* public key in PEM; NULL: unsigned updates */
	bool accept_legacy;     /* with sign_key: core 2.5.2 signatures too */
	const char *password;   /* the OTA password; NULL: none (only its MD5 is kept) */
	const char *hostname;   /* NULL: esp8266-XXXXXX from the chip id */
	bool atomic_fs;         /* ATOMIC_FS_UPDATE */
	bool no_stage2;         /* leave eboot's stage 2 region erased (a chip never given it) */
};

/* What was made. */
struct device_created {
	struct device_paths paths;
	struct device_config cfg;
	size_t app_len;         /* bytes written at offset 0 */
};

/* Creates the device. Messages name the inputs by the options of
 * `espota-device init`. Returns DEVICE_OK (out filled), DEVICE_ERR_INPUT
 * for options that cannot go together or are malformed, or
 * DEVICE_ERR_FAILED (an input refused, a file not written). */
enum device_error device_create(const struct device_create_opts *o, struct device_created *out,
				const struct logger *lg);

#endif
