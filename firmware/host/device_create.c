/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "device_create.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "digest.h"
#include "file.h"
#include "flash_layout.h"
#include "hal_posix.h"
#include "sample_app.h"
#include "stage2_standin.h"

/* Flash the CPU can execute from (0x40200000 onwards). */
#define MAPPED_FLASH 0x100000u

/* A DNS name, as mDNS will announce it. */
static bool hostname_ok(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n == 0 || n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '.')
			return false;
	return true;
}

/* Copies the key file beside the flash file, as the build embeds it. */
static int copy_key(const char *from, const char *to)
{
	struct file_buf pem;
	int rc;

	if (file_read_all(from, 65536, &pem) != FILE_OK)
		return -1;
	rc = file_write_atomic(to, pem.data, pem.len, 0644) == FILE_OK ? 0 : -1;
	file_buf_free(&pem);
	return rc;
}

/* Writes the app at offset 0, padded with erased bytes to whole words,
 * and the stage 2 stand-in at stage2 unless stage2 is 0. */
static int write_app(const char *flash, const char *rtc, const uint8_t *app, size_t len,
		     uint32_t stage2, const struct logger *lg)
{
	struct hal_posix_config hc = { .flash_path = flash, .rtc_path = rtc,
				       .power_cut_after = -1 };
	struct hal *h;
	size_t whole = len & ~(size_t)3u;
	char err[512];
	int rc;

	if (hal_posix_open(&h, &hc, err, sizeof(err)) != 0) {
		log_error(lg, "%s", err);
		return -1;
	}
	rc = hal_flash_write(h, 0, app, whole);
	if (rc == HAL_OK && whole < len) {
		uint8_t tail[4] = { 0xFF, 0xFF, 0xFF, 0xFF };

		memcpy(tail, app + whole, len - whole);
		rc = hal_flash_write(h, (uint32_t)whole, tail, sizeof(tail));
	}
	if (rc == HAL_OK && stage2 != 0)
		rc = stage2_standin_write(h, stage2);
	hal_posix_close(h);
	if (rc != HAL_OK) {
		log_error(lg, "cannot write the app into flash file '%s': %s", flash, hal_strerror(rc));
		return -1;
	}
	return 0;
}

/* The options that cannot go together or are malformed. */
static enum device_error check_options(const struct device_create_opts *o,
				       struct device_created *out, const struct logger *lg)
{
	struct flash_layout layout;

	if (flash_layout_default(&layout, o->flash_size) != 0) {
		log_error(lg, "no flash layout for a %lu-byte chip: use 1M, 2M or 4M",
			  (unsigned long)o->flash_size);
		return DEVICE_ERR_INPUT;
	}
	if (o->flash_mode < -1 || o->flash_mode > 3) {
		log_error(lg, "unknown flash mode %d: use qio, qout, dio or dout", o->flash_mode);
		return DEVICE_ERR_INPUT;
	}
	if (o->accept_legacy && !o->sign_key) {
		log_error(lg, "--accept-legacy needs --sign-key");
		return DEVICE_ERR_INPUT;
	}
	if (o->hostname && !hostname_ok(o->hostname, sizeof(out->cfg.hostname) - 1)) {
		log_error(lg, "bad hostname '%s': use 1 to %zu letters, digits, '-' and '.'",
			  o->hostname, sizeof(out->cfg.hostname) - 1);
		return DEVICE_ERR_INPUT;
	}
	if (device_paths_init(&out->paths, o->flash) != 0) {
		log_error(lg, "flash file name '%s' is too long", o->flash);
		return DEVICE_ERR_INPUT;
	}
	return DEVICE_OK;
}

/* The app to flash: the file given (in *file) or the built-in sample (a
 * new buffer). Checks it is an image that fits where the CPU runs it. */
static int load_app(const struct device_create_opts *o, uint8_t **image, size_t *len,
		    struct file_buf *file, const struct logger *lg)
{
	const char *name = o->app ? o->app : "(built-in)";
	struct flash_layout layout;
	uint32_t max_app;

	if (o->app) {
		enum file_error fe = file_read_all(o->app, o->flash_size, file);

		if (fe == FILE_ERR_TOO_BIG) {
			log_error(lg, "app '%s' is larger than the %luM chip: build for a bigger flash "
				      "or pick a bigger --size",
				  o->app, (unsigned long)(o->flash_size >> 20));
			return -1;
		}
		if (fe != FILE_OK) {
			log_error(lg, "cannot read app '%s': %s", o->app,
				  fe == FILE_ERR_OPEN || fe == FILE_ERR_READ ? strerror(errno)
									     : file_strerror(fe));
			return -1;
		}
		*image = file->data;
		*len = file->len;
	} else {
		*len = sample_app_build(image, o->flash_size,
					o->flash_mode < 0 ? 2 : (uint8_t)o->flash_mode);
		if (*len == 0) {
			log_error(lg, "out of memory");
			return -1;
		}
	}
	if (*len < 8 || (*image)[0] != 0xE9) {
		log_error(lg, "app '%s' is not an ESP8266 image (magic byte is not 0xE9): give the "
			      "sketch's .bin, not a .gz or signed file",
			  name);
		return -1;
	}
	/* The sketch runs from the first megabyte (the part of the flash mapped
	 * at 0x40200000) and must end before the filesystem. */
	flash_layout_default(&layout, o->flash_size);
	max_app = layout.fs_start < MAPPED_FLASH ? layout.fs_start : MAPPED_FLASH;
	if (*len > max_app) {
		log_error(lg, "app '%s' does not fit: %zu bytes, but only %lu fit %s: use a smaller "
			      "sketch%s",
			  name, *len, (unsigned long)max_app,
			  max_app == MAPPED_FLASH ? "in the first megabyte, the flash the CPU runs from"
						  : "before the filesystem",
			  max_app == MAPPED_FLASH ? "" : " or a bigger --size");
		return -1;
	}
	return 0;
}

/* The build-time configuration: chip id, hostname, password hash, flags. */
static int make_config(const struct device_create_opts *o, uint8_t mode, struct device_config *cfg,
		       const struct logger *lg)
{
	char md5[DIGEST_MAX_HEX];
	uint8_t id[3];

	memset(cfg, 0, sizeof(*cfg));
	cfg->flash_size = o->flash_size;
	cfg->flash_mode = mode;
	if (getrandom(id, sizeof(id), 0) != (ssize_t)sizeof(id)) {
		log_error(lg, "no randomness for the chip id: %s", strerror(errno));
		return -1;
	}
	cfg->chip_id = (uint32_t)id[0] << 16 | (uint32_t)id[1] << 8 | id[2];
	if (o->hostname)
		snprintf(cfg->hostname, sizeof(cfg->hostname), "%s", o->hostname);
	else
		snprintf(cfg->hostname, sizeof(cfg->hostname), "esp8266-%06lx",
			 (unsigned long)cfg->chip_id);
	if (o->password) {
		if (digest_hex(DIGEST_MD5, o->password, strlen(o->password), md5) != 0) {
			log_error(lg, "cannot hash the password");
			return -1;
		}
		memcpy(cfg->password_md5, md5, 32);
		cfg->password_md5[32] = '\0';
	}
	cfg->signing = o->sign_key != NULL;
	cfg->accept_legacy = o->accept_legacy;
	cfg->atomic_fs = o->atomic_fs;
	return 0;
}

/* The files, once every input is known good. */
static int write_files(const struct device_create_opts *o, const struct device_created *c,
		       const uint8_t *image, size_t len, const struct logger *lg)
{
	struct flash_layout layout;
	char err[512];

	if (hal_posix_create_flash(c->paths.flash, o->flash_size, err, sizeof(err)) != 0) {
		log_error(lg, "%s", err);
		return -1;
	}
	(void)flash_layout_default(&layout, o->flash_size); /* checked by check_options */
	if (write_app(c->paths.flash, c->paths.rtc, image, len, o->no_stage2 ? 0 : layout.stage2,
		      lg) != 0)
		return -1;
	/* A fresh device: no RTC memory, no record of installs, no old key. */
	unlink(c->paths.rtc);
	unlink(c->paths.state);
	unlink(c->paths.pubkey);
	if (o->sign_key && copy_key(o->sign_key, c->paths.pubkey) != 0) {
		log_error(lg, "cannot copy signing key '%s' to '%s': %s", o->sign_key, c->paths.pubkey,
			  strerror(errno));
		return -1;
	}
	if (device_config_save(&c->cfg, &c->paths, err, sizeof(err)) != 0) {
		log_error(lg, "%s", err);
		return -1;
	}
	return 0;
}

enum device_error device_create(const struct device_create_opts *o, struct device_created *out,
				const struct logger *lg)
{
	struct file_buf file = { NULL, 0 };
	struct rsa_pubkey key;
	uint8_t *image = NULL;
	size_t len = 0;
	char err[512];
	enum device_error rc;

	rc = check_options(o, out, lg);
	if (rc != DEVICE_OK)
		return rc;
	/* Check every input before touching any file. */
	if (o->sign_key && device_load_key(&key, o->sign_key, err, sizeof(err)) != 0) {
		log_error(lg, "%s", err);
		return DEVICE_ERR_FAILED;
	}
	rc = DEVICE_ERR_FAILED;
	if (load_app(o, &image, &len, &file, lg) != 0)
		goto out;
	/* esptool --flash_mode rewrites byte 2 of the image as it flashes. */
	if (o->flash_mode >= 0)
		image[2] = (uint8_t)o->flash_mode;
	if (make_config(o, image[2] <= 3 ? image[2] : 2, &out->cfg, lg) != 0)
		goto out;
	if (write_files(o, out, image, len, lg) != 0)
		goto out;
	out->app_len = len;
	rc = DEVICE_OK;
out:
	if (o->app)
		file_buf_free(&file);
	else
		free(image);
	return rc;
}
