/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "device_status.h"

#include <string.h>

#include "app_image.h"
#include "device_state.h"
#include "fwmem.h"
#include "image_header.h"
#include "journal.h"
#include "md5.h"

/* RSA signature lengths a trailer may announce (1024- to 4096-bit keys). */
static const uint32_t sig_lengths[] = { 128, 256, 384, 512 };

uint32_t device_installed_app_size(struct device *d, bool *valid)
{
	struct journal_installed inst;
	struct app_image_info info;
	uint32_t end, limit = d->layout.fs_start;

	*valid = app_image_check(d->hal, FLASH_APP_START, &info) == APP_IMAGE_OK;
	/* eboot's journal knows what its last install left at 0. */
	if (journal_installed_info(d->hal, &d->layout, 0, &inst) == 0 && inst.len <= limit)
		return inst.len;
	/* Serial-flashed: measure the image, and a signature after it. */
	if (*valid)
		end = info.end;
	else if (image_sketch_size(d->hal, &end) != IMAGE_OK)
		return 0;
	for (size_t i = 0; i < sizeof(sig_lengths) / sizeof(sig_lengths[0]); i++) {
		uint32_t at = end + sig_lengths[i];
		uint8_t word[4];

		if (at + 4u > limit || image_flash_read(d->hal, at, word, 4) != HAL_OK)
			continue;
		if (fw_load_le32(word) == sig_lengths[i])
			return at + 4u;
	}
	return end;
}

int device_flash_md5(struct device *d, uint32_t addr, uint32_t len, char hex[33])
{
	static const char digits[] = "0123456789abcdef";
	uint8_t buf[HAL_FLASH_SECTOR], out[MD5_SIZE];
	struct md5_ctx c;

	md5_init(&c);
	while (len > 0) {
		uint32_t take = len < sizeof(buf) ? len : (uint32_t)sizeof(buf);
		int rc = image_flash_read(d->hal, addr, buf, take);

		if (rc != HAL_OK)
			return rc;
		md5_update(&c, buf, take);
		addr += take;
		len -= take;
	}
	md5_out(&c, out);
	for (size_t i = 0; i < MD5_SIZE; i++) {
		hex[2 * i] = digits[out[i] >> 4];
		hex[2 * i + 1] = digits[out[i] & 15];
	}
	hex[32] = '\0';
	return HAL_OK;
}

int device_status_read(struct device *d, struct device_status *st)
{
	struct device_state state;
	struct journal_installed inst;
	uint32_t region = d->layout.fs_end - d->layout.fs_start;
	int rc;

	memset(st, 0, sizeof(*st));
	st->app_size = device_installed_app_size(d, &st->app_valid);
	rc = device_flash_md5(d, 0, st->app_size, st->app_md5);
	if (rc != HAL_OK)
		return rc;
	device_state_load(&state, &d->paths);
	st->fs_start = d->layout.fs_start;
	if (d->cfg.atomic_fs && journal_installed_info(d->hal, &d->layout, st->fs_start, &inst) == 0 &&
	    inst.len <= region)
		st->fs_size = inst.len;
	else if (state.fs_size > 0 && state.fs_size <= region)
		st->fs_size = state.fs_size;
	else
		st->fs_size = region;
	rc = device_flash_md5(d, st->fs_start, st->fs_size, st->fs_md5);
	if (rc != HAL_OK)
		return rc;
	st->app_error = app_image_check(d->hal, FLASH_APP_START, &(struct app_image_info){ 0 });
	st->stage2_at = d->layout.stage2;
	st->stage2 = stage2_image_check(d->hal, d->layout.stage2);
	st->pending = journal_update_pending(d->hal, &d->layout);
	return HAL_OK;
}
