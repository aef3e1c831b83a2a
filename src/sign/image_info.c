/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "image_info.h"

#include <string.h>

#include "signature.h"

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint32_t crc32_mpeg2(uint32_t crc, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		crc ^= (uint32_t)p[i] << 24;
		for (int b = 0; b < 8; b++)
			crc = (crc & 0x80000000u) ? (crc << 1) ^ 0x04C11DB7u : crc << 1;
	}
	return crc;
}

void rom_image_parse(const uint8_t *data, size_t len, size_t offset, struct rom_image *img)
{
	size_t pos;
	uint8_t sum = 0xEF;

	memset(img, 0, sizeof(*img));
	img->offset = offset;
	if (offset >= len || len - offset < ROM_HEADER_LEN || data[offset] != ROM_MAGIC)
		return;
	img->present = true;
	img->nsegs = data[offset + 1];
	img->flash_mode = data[offset + 2];
	img->flash_size_freq = data[offset + 3];
	img->entry = le32(data + offset + 4);
	pos = offset + ROM_HEADER_LEN;
	for (unsigned s = 0; s < img->nsegs; s++) {
		uint32_t addr, size;

		if (len - pos < 8)
			return;
		addr = le32(data + pos);
		size = le32(data + pos + 4);
		pos += 8;
		if (size > len - pos)
			return;
		if (s < ROM_MAX_SEGMENTS) {
			img->seg[s].addr = addr;
			img->seg[s].size = size;
			img->seg[s].offset = pos;
			img->nparsed = s + 1;
		}
		for (uint32_t i = 0; i < size; i++)
			sum ^= data[pos + i];
		pos += size;
	}
	/* Zero padding, then the checksum as the last byte of a 16-byte unit. */
	size_t rel = pos - offset + 1;
	size_t cks = offset + ((rel + 15) & ~(size_t)15) - 1;

	if (cks >= len)
		return;
	img->checksum_stored = data[cks];
	img->checksum_computed = sum;
	img->checksum_ok = data[cks] == sum;
	img->end = cks + 1;
	img->complete = true;
}

void image_inspect(const uint8_t *data, size_t len, struct image_info *info)
{
	struct sig_parts parts;
	const uint8_t *payload = data;
	size_t plen = len;

	memset(info, 0, sizeof(*info));
	info->file_size = len;
	/* A trailer only counts when what it leaves is an image or gzip:
	 * the last 4 bytes of an unsigned image (zero pad + checksum, or a
	 * gzip ISIZE) rarely pass both tests. */
	if (sig_split(data, len, &parts) == SIGN_OK && parts.sig_len % 64 == 0 &&
	    parts.sig_len >= 128 &&
	    (data[0] == ROM_MAGIC ||
	     (parts.payload_len >= 2 && data[0] == 0x1f && data[1] == 0x8b))) {
		info->signed_trailer = true;
		info->sig_len = (uint32_t)parts.sig_len;
		plen = parts.payload_len;
	}
	info->payload_len = plen;
	if (plen >= 2 && payload[0] == 0x1f && payload[1] == 0x8b) {
		info->gzip = true;
		if (plen >= 18)
			info->gzip_isize = le32(payload + plen - 4);
		return;
	}
	rom_image_parse(payload, plen, 0, &info->eboot);
	rom_image_parse(payload, plen, APP_OFFSET, &info->app);
	info->arduino_bin = info->eboot.present && info->app.present;
	if (info->app.complete && !info->app.checksum_ok && info->app.nparsed > 0 &&
	    info->app.seg[0].offset == APP_OFFSET + 0x10 && info->app.seg[0].size >= 8) {
		uint8_t words = 0;

		for (size_t i = 0; i < 8; i++)
			words ^= payload[APP_OFFSET + 0x10 + i];
		if ((uint8_t)(info->app.checksum_computed ^ words) == info->app.checksum_stored) {
			info->app.checksum_ok = true;
			info->app.checksum_words_zeroed = true;
		}
	}
	if (info->app.present && plen >= APP_OFFSET + 0x18) {
		info->bin_length = le32(payload + APP_OFFSET + 0x10);
		info->bin_crc = le32(payload + APP_OFFSET + 0x14);
		if (info->bin_length >= APP_OFFSET + 0x18 && info->bin_length <= plen) {
			static const uint8_t zero[8];
			uint32_t crc = crc32_mpeg2(0xFFFFFFFFu, payload, APP_OFFSET + 0x10);

			/* The CRC covers the .bin with its length and CRC words as zero. */
			crc = crc32_mpeg2(crc, zero, 8);
			crc = crc32_mpeg2(crc, payload + APP_OFFSET + 0x18,
			                  info->bin_length - (APP_OFFSET + 0x18));
			info->bin_crc_computed = crc;
			info->bin_crc_checked = true;
		}
	}
}

const char *flash_mode_name(uint8_t mode)
{
	static const char *const names[] = {"QIO", "QOUT", "DIO", "DOUT"};

	return mode < 4 ? names[mode] : "unknown";
}

uint32_t flash_size_bytes(uint8_t size_freq)
{
	switch (size_freq >> 4) {
	case 0:
		return 512u * 1024;
	case 1:
		return 256u * 1024;
	case 2:
		return 1u << 20;
	case 3:
		return 2u << 20;
	case 4:
		return 4u << 20;
	case 8:
		return 8u << 20;
	case 9:
		return 16u << 20;
	default:
		return 0;
	}
}

const char *flash_size_name(uint8_t size_freq)
{
	switch (size_freq >> 4) {
	case 0:
		return "512KB";
	case 1:
		return "256KB";
	case 2:
		return "1MB";
	case 3:
		return "2MB";
	case 4:
		return "4MB";
	case 8:
		return "8MB";
	case 9:
		return "16MB";
	default:
		return "unknown";
	}
}

uint32_t flash_freq_hz(uint8_t size_freq)
{
	switch (size_freq & 0x0F) {
	case 0x0:
		return 40000000u;
	case 0x1:
		return 26000000u;
	case 0x2:
		return 20000000u;
	case 0xF:
		return 80000000u;
	default:
		return 0;
	}
}
