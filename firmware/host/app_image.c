/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "app_image.h"

#include <string.h>

int app_flash_read_bytes(struct hal *h, uint32_t addr, uint8_t *buf, size_t len)
{
	uint8_t chunk[HAL_FLASH_SECTOR + 8];

	while (len > 0) {
		uint32_t lead = addr % 4u;
		size_t take = len < HAL_FLASH_SECTOR ? len : HAL_FLASH_SECTOR;
		size_t span = (lead + take + 3u) & ~(size_t)3u;
		int rc = hal_flash_read(h, addr - lead, chunk, span);

		if (rc != HAL_OK)
			return rc;
		memcpy(buf, chunk + lead, take);
		buf += take;
		addr += (uint32_t)take;
		len -= take;
	}
	return HAL_OK;
}

static enum app_image_error read_error(int rc)
{
	return rc == HAL_EPOWER ? APP_IMAGE_ERR_POWER : APP_IMAGE_ERR_READ;
}

enum app_image_error app_image_check(struct hal *h, uint32_t addr, struct app_image_info *out)
{
	uint8_t hdr[8], data[HAL_FLASH_SECTOR], sum = 0xEF, crc_words = 0, stored;
	uint32_t size = hal_flash_size(h), pos;
	int rc;

	memset(out, 0, sizeof(*out));
	if (addr > size || size - addr < sizeof(hdr))
		return APP_IMAGE_ERR_RANGE;
	rc = app_flash_read_bytes(h, addr, hdr, sizeof(hdr));
	if (rc != HAL_OK)
		return read_error(rc);
	if (hdr[0] != APP_IMAGE_MAGIC)
		return APP_IMAGE_ERR_MAGIC;
	out->header = addr;
	out->segments = hdr[1];
	out->flash_mode = hdr[2];
	out->size_freq = hdr[3];
	out->entry = (uint32_t)hdr[4] | (uint32_t)hdr[5] << 8 | (uint32_t)hdr[6] << 16 |
		     (uint32_t)hdr[7] << 24;
	if (hdr[1] == 0 || hdr[1] > APP_IMAGE_MAX_SEGMENTS)
		return APP_IMAGE_ERR_SEGMENTS;
	pos = addr + 8;
	for (unsigned s = 0; s < hdr[1]; s++) {
		uint8_t seg[8];
		uint32_t len, load;

		if (size - pos < sizeof(seg))
			return APP_IMAGE_ERR_RANGE;
		rc = app_flash_read_bytes(h, pos, seg, sizeof(seg));
		if (rc != HAL_OK)
			return read_error(rc);
		pos += 8;
		load = (uint32_t)seg[0] | (uint32_t)seg[1] << 8 | (uint32_t)seg[2] << 16 |
		       (uint32_t)seg[3] << 24;
		len = (uint32_t)seg[4] | (uint32_t)seg[5] << 8 | (uint32_t)seg[6] << 16 |
		      (uint32_t)seg[7] << 24;
		if (len > size - pos)
			return APP_IMAGE_ERR_RANGE;
		if (s == 0 && load == APP_IMAGE_IROM0 && len >= 8) {
			/* elf2bin fills the .bin length and CRC in after the
			 * checksum: it saw these 8 bytes as zero. */
			uint8_t w[8];

			rc = app_flash_read_bytes(h, pos, w, sizeof(w));
			if (rc != HAL_OK)
				return read_error(rc);
			for (unsigned i = 0; i < 8; i++)
				crc_words ^= w[i];
		}
		while (len > 0) {
			uint32_t take = len < sizeof(data) ? len : (uint32_t)sizeof(data);

			rc = app_flash_read_bytes(h, pos, data, take);
			if (rc != HAL_OK)
				return read_error(rc);
			for (uint32_t i = 0; i < take; i++)
				sum ^= data[i];
			pos += take;
			len -= take;
		}
	}
	/* Zero padding, then the checksum as the last byte of a 16-byte block. */
	pos = ((pos - addr + 16u) & ~15u) + addr;
	if (pos > size)
		return APP_IMAGE_ERR_RANGE;
	rc = app_flash_read_bytes(h, pos - 1, &stored, 1);
	if (rc != HAL_OK)
		return read_error(rc);
	if (stored != sum && stored != (uint8_t)(sum ^ crc_words))
		return APP_IMAGE_ERR_CHECKSUM;
	out->end = pos;
	return APP_IMAGE_OK;
}

const char *app_image_strerror(enum app_image_error err)
{
	switch (err) {
	case APP_IMAGE_OK:
		return "image is valid";
	case APP_IMAGE_ERR_READ:
		return "flash read failed";
	case APP_IMAGE_ERR_MAGIC:
		return "no image header (magic byte is not 0xE9)";
	case APP_IMAGE_ERR_SEGMENTS:
		return "bad segment count";
	case APP_IMAGE_ERR_RANGE:
		return "a segment runs past the end of the flash";
	case APP_IMAGE_ERR_CHECKSUM:
		return "checksum mismatch";
	case APP_IMAGE_ERR_POWER:
		return "power lost";
	}
	return "unknown image error";
}
