/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "errbuf.h"
#include "device.h"

#include <errno.h>
#include <string.h>

#include "file.h"
#include "hal_posix.h"

const char *device_strerror(enum device_error err)
{
	switch (err) {
	case DEVICE_OK:
		return "success";
	case DEVICE_ERR_INPUT:
		return "impossible request";
	case DEVICE_ERR_FAILED:
		return "refused or failed";
	case DEVICE_ERR_POWER_LOST:
		return "the simulated power failed";
	}
	return "unknown error";
}

int device_load_key(struct rsa_pubkey *key, const char *path, char *err, size_t errlen)
{
	struct file_buf pem;
	enum rsa_status st;
	int saved;

	if (file_read_all(path, 65536, &pem) != FILE_OK) {
		saved = errno;
		return errbuf_fail(err, errlen, "cannot read signing key '%s': %s", path,
			    strerror(saved));
	}
	st = rsa_pubkey_from_pem(key, (const char *)pem.data, pem.len);
	file_buf_free(&pem);
	if (st != RSA_OK)
		return errbuf_fail(err, errlen,
			    "signing key '%s' is not an RSA public key in PEM (%s): give the "
			    "public key, e.g. 'openssl rsa -in private.key -pubout -out public.key'",
			    path, rsa_strerror(st));
	return 0;
}

int device_open(struct device *d, const char *flash, const struct device_power *power,
		char *err, size_t errlen)
{
	struct hal_posix_config hc = { .power_cut_after = -1 };

	memset(d, 0, sizeof(*d));
	if (device_paths_init(&d->paths, flash) != 0)
		return errbuf_fail(err, errlen, "flash file name '%s' is too long", flash);
	if (device_config_load(&d->cfg, &d->paths, err, errlen) != 0)
		return -1;
	if (flash_layout_default(&d->layout, d->cfg.flash_size) != 0)
		return errbuf_fail(err, errlen, "no flash layout for a %lu-byte chip in '%s'",
			    (unsigned long)d->cfg.flash_size, d->paths.conf);
	if (d->cfg.signing && device_load_key(&d->key, d->paths.pubkey, err, errlen) != 0)
		return -1;
	d->ucfg.layout = d->layout;
	d->ucfg.flash_mode = d->cfg.flash_mode;
	d->ucfg.atomic_fs = d->cfg.atomic_fs;
	d->ucfg.key = d->cfg.signing ? &d->key : NULL;
	d->ucfg.accept_legacy = d->cfg.accept_legacy;

	hc.flash_path = d->paths.flash;
	hc.rtc_path = d->paths.rtc;
	if (power) {
		hc.power_cut_after = power->cut_after;
		hc.power_cut_torn = power->torn;
		hc.flash_timing_esp8266 = power->esp8266_timing;
		hc.console = power->console;
	}
	if (hal_posix_open(&d->hal, &hc, err, errlen) != 0)
		return -1;
	if (hal_flash_size(d->hal) != d->cfg.flash_size) {
		device_close(d);
		return errbuf_fail(err, errlen,
			    "flash file '%s' holds %lu bytes but '%s' says %lu: recreate the "
			    "device with 'espota-device init'",
			    flash, (unsigned long)hal_flash_size(d->hal), d->paths.conf,
			    (unsigned long)d->cfg.flash_size);
	}
	return 0;
}

void device_close(struct device *d)
{
	hal_posix_close(d->hal);
	d->hal = NULL;
}
