/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A simulated device's build-time configuration, kept beside its flash
 * file F as F.conf (key=value lines): what a sketch would have compiled in
 * (chip size, flash mode, OTA password as its MD5, hostname, signing key,
 * ATOMIC_FS_UPDATE). The files of one device all derive from F.
 */
#ifndef ESPOTA_DEVICE_CONFIG_H
#define ESPOTA_DEVICE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DEVICE_PATH_MAX 4096
#define DEVICE_HOSTNAME_MAX 64

/* The files of the device whose flash file is flash. */
struct device_paths {
	char flash[DEVICE_PATH_MAX];
	char conf[DEVICE_PATH_MAX];   /* F.conf: build-time configuration */
	char rtc[DEVICE_PATH_MAX];    /* F.rtc: RTC user memory (absent: power-on) */
	char pubkey[DEVICE_PATH_MAX]; /* F.pubkey.pem: the signing key, when set */
	char state[DEVICE_PATH_MAX];  /* F.state: what the simulator saw installed */
};

struct device_config {
	uint32_t flash_size;
	uint8_t flash_mode;        /* 0 QIO, 1 QOUT, 2 DIO, 3 DOUT */
	uint32_t chip_id;          /* 24 bits, as ESP.getChipId() */
	char password_md5[33];     /* "" when the device has no OTA password */
	char hostname[DEVICE_HOSTNAME_MAX];
	bool signing;              /* F.pubkey.pem holds the key */
	bool accept_legacy;
	bool atomic_fs;
};

/* Fills the paths from the flash file's name; -1 when a name is too long. */
int device_paths_init(struct device_paths *p, const char *flash);

/* Reads F.conf. Returns 0, or -1 with a message in err. */
int device_config_load(struct device_config *c, const struct device_paths *p, char *err,
		       size_t errlen);
/* Writes F.conf whole (atomically). Returns 0, or -1 with a message. */
int device_config_save(const struct device_config *c, const struct device_paths *p, char *err,
		       size_t errlen);

/* "qio" .. "dout" <-> 0..3; the parser returns -1 for another name. */
int device_flash_mode_parse(const char *name);
const char *device_flash_mode_name(uint8_t mode);

#endif
