/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The Updater: the ESP8266 core's Stream Interface (begin, write, end) over
 * the HAL. It stages a new image in flash, checks it (magic, MD5,
 * signature, size) and schedules eboot to install it. One 4096-byte sector
 * buffer, no allocation: the caller owns struct updater.
 */
#ifndef ESPOTA_FW_UPDATER_H
#define ESPOTA_FW_UPDATER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flash_layout.h"
#include "md5.h"
#include "rsa.h"
#include "sha256.h"
#include "staged_check.h"

struct hal;

/* Commands (U_FLASH, U_FS, U_AUTH in the core). */
#define UPDATE_CMD_FLASH 0
#define UPDATE_CMD_FS 100
#define UPDATE_CMD_AUTH 200

/* The core's error codes; the numbers are the wire protocol's. */
enum updater_error {
	UPDATE_ERROR_OK = 0,
	UPDATE_ERROR_WRITE = 1,
	UPDATE_ERROR_ERASE = 2,
	UPDATE_ERROR_READ = 3,
	UPDATE_ERROR_SPACE = 4,
	UPDATE_ERROR_SIZE = 5,
	UPDATE_ERROR_STREAM = 6,
	UPDATE_ERROR_MD5 = 7,
	UPDATE_ERROR_FLASH_CONFIG = 8,
	UPDATE_ERROR_NEW_FLASH_CONFIG = 9,
	UPDATE_ERROR_MAGIC_BYTE = 10,
	UPDATE_ERROR_BOOTSTRAP = 11,
	UPDATE_ERROR_SIGN = 12,
	UPDATE_ERROR_NO_DATA = 13,
	UPDATE_ERROR_OOM = 14,
	UPDATE_ERROR_RUNNING_ALREADY = 15,
	UPDATE_ERROR_UNKNOWN_COMMAND = 16,
	/* Ours: eboot stage 2 is not valid at flash_layout.stage2, so stage 1
	 * would keep the command and boot the old app ("s2:<n>"). */
	UPDATE_ERROR_STAGE2 = 17,
};

struct updater_callbacks {
	void (*on_start)(void *ctx);
	void (*on_progress)(void *ctx, uint32_t done, uint32_t total);
	void (*on_end)(void *ctx);
	void (*on_error)(void *ctx, enum updater_error err);
	void *ctx;
};

/* The device's build-time configuration. */
struct updater_config {
	struct flash_layout layout;
	uint8_t flash_mode;              /* running chip's mode: 0 QIO .. 3 DOUT */
	bool atomic_fs;                  /* ATOMIC_FS_UPDATE: stage FS images, eboot copies */
	const struct rsa_pubkey *key;    /* NULL: no signature required */
	bool accept_legacy;              /* also accept core <= 2.5.2 signatures */
};

struct updater {
	struct hal *hal;
	const struct updater_config *cfg;
	struct updater_callbacks cb;
	enum updater_error error;
	int command;
	uint32_t start;      /* staging address */
	uint32_t size;       /* announced size */
	uint32_t written;    /* bytes flushed to flash */
	uint32_t buffered;   /* bytes in buf */
	bool running;
	bool md5_set;
	bool mode_patched;   /* byte 2 of the staged image differs from the upload */
	uint8_t mode_original; /* the uploaded byte 2, for hashing the bytes as sent */
	char md5_expected[33];
	char detail[240];    /* variable part of the error text (MD5 values, sizes, why an image cannot boot) */
	struct md5_ctx md5;  /* of the bytes as received (before any patch) */
	/* One flash sector while receiving; at end() the signature and the
	 * RSA work space, then the inflate window for checking a gzip upload,
	 * kept off the small app stack. */
	union {
		uint8_t buf[4096];
		struct {
			uint8_t sig[RSA_MAX_BYTES];
			struct rsa_workspace ws;
		} verify;
		struct staged_work staged;
	};
};

void updater_init(struct updater *u, struct hal *h, const struct updater_config *cfg,
		  const struct updater_callbacks *cb);
/* Returns true when the update may start; else updater_error() says why. */
bool updater_begin(struct updater *u, uint32_t size, int command);
/* Accepted only when len == 32 (as setMD5). */
bool updater_set_md5(struct updater *u, const char *hex, size_t len);
/* Returns the bytes accepted (len, or 0 on error). */
size_t updater_write(struct updater *u, const uint8_t *data, size_t len);
/* Finishes: reads the staged bytes back, checks them (signature or MD5,
 * magic, flash size, room for the install) and schedules eboot.
 * even_if_remaining accepts a short upload (web updater). Returns true on
 * success. The length scheduled is the whole upload, signature included,
 * except for a signed gzip image: there it ends at the gzip trailer so
 * eboot finds ISIZE in the last 4 bytes, and the signature follows as the
 * tail of boot_schedule_install() (docs/updater.md). */
bool updater_end(struct updater *u, bool even_if_remaining);
/* Abandons a running update; the staged bytes are left, nothing scheduled. */
void updater_abort(struct updater *u);

bool updater_is_running(const struct updater *u);
/* Bytes still expected: announced size minus bytes received (flushed or
 * buffered). */
uint32_t updater_remaining(const struct updater *u);
/* Bytes received so far (flushed or buffered). */
uint32_t updater_progress(const struct updater *u);
enum updater_error updater_error(const struct updater *u);
/* Room for the longest error text: "ERROR[nn]: ", the longest fixed text
 * (60 bytes), the detail and the line end, with its NUL. */
#define UPDATER_ERROR_TEXT_MAX 320u
/* "ERROR[n]: <text>\n" exactly as printError, into buf (NUL-terminated);
 * returns the length. */
size_t updater_error_text(const struct updater *u, char *buf, size_t cap);
/* The fixed text of an error code ("Not Enough Space"). */
const char *updater_strerror(enum updater_error err);

#endif
