/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "device_stage.h"

#include <errno.h>
#include <string.h>

#include "device_state.h"
#include "digest.h"
#include "hal_posix.h"
#include "updater.h"

void device_note_fs_upload(struct device *d, uint32_t size, const struct logger *lg)
{
	struct device_state s;

	device_state_load(&s, &d->paths);
	s.fs_size = size;
	if (device_state_save(&s, &d->paths) != 0)
		log_warn(lg, "warning: cannot record the upload in '%s': %s", d->paths.state,
			 strerror(errno));
}

static enum device_error refuse(struct device *d, const struct updater *u, char *text,
				size_t textlen, const struct logger *lg)
{
	if (hal_posix_power_lost(d->hal)) {
		log_error(lg, "power lost after %lu flash operations", hal_posix_flash_ops(d->hal));
		return DEVICE_ERR_POWER_LOST;
	}
	updater_error_text(u, text, textlen);
	return DEVICE_ERR_FAILED;
}

enum device_error device_stage(struct device *d, const char *name, const uint8_t *img, size_t len,
			       bool fs, bool *in_place, char *text, size_t textlen,
			       const struct logger *lg)
{
	char md5[DIGEST_MAX_HEX];
	struct updater u;

	text[0] = '\0';
	*in_place = false;
	if (len > UINT32_MAX) {
		log_error(lg, "image '%s' is larger than 4 GiB: no device takes it", name);
		return DEVICE_ERR_INPUT;
	}
	if (digest_hex(DIGEST_MD5, img, len, md5) != 0) {
		log_error(lg, "cannot hash image '%s'", name);
		return DEVICE_ERR_FAILED;
	}
	updater_init(&u, d->hal, &d->ucfg, NULL);
	if (!updater_begin(&u, (uint32_t)len, fs ? UPDATE_CMD_FS : UPDATE_CMD_FLASH))
		return refuse(d, &u, text, textlen, lg);
	updater_set_md5(&u, md5, strlen(md5));
	for (size_t off = 0; off < len; off += DEVICE_STAGE_CHUNK) {
		size_t n = len - off < DEVICE_STAGE_CHUNK ? len - off : DEVICE_STAGE_CHUNK;

		if (updater_write(&u, img + off, n) != n)
			return refuse(d, &u, text, textlen, lg);
	}
	if (!updater_end(&u, false))
		return refuse(d, &u, text, textlen, lg);
	if (fs && !d->cfg.atomic_fs) {
		device_note_fs_upload(d, (uint32_t)len, lg);
		*in_place = true;
	}
	return DEVICE_OK;
}
