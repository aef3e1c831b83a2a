/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "updater_fixture.h"

#include "stage2_standin.h"

uint8_t size_nibble(uint32_t flash_size)
{
	switch (flash_size) {
	case 0x100000u:
		return 2;
	case 0x200000u:
		return 3;
	case 0x400000u:
		return 4;
	default:
		return 0xF;
	}
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

void make_bin(uint8_t *out, uint32_t len, uint8_t mode, uint8_t size_freq, uint32_t seed)
{
	uint32_t seglen = len - 0x1010u - 16u;
	uint8_t sum = 0xEF;

	assert_true(len % 16 == 0 && len >= 0x1030u);
	/* eboot: a one-segment image of 0x100 bytes of 0xAA (which xor to
	 * 0, so its checksum is 0xEF), then the 0xAA padding of elf2bin. */
	memset(out, 0xAA, 0x1000);
	out[0] = 0xE9;
	out[1] = 1;
	out[2] = mode;
	out[3] = size_freq;
	put_le32(out + 4, 0x4010f000u);
	put_le32(out + 8, 0x4010f000u);
	put_le32(out + 12, 0x100);
	memset(out + 0x110, 0, 15);
	out[0x11F] = 0xEF;
	/* app at 0x1000: one .irom0.text segment of seglen bytes. */
	out[0x1000] = 0xE9;
	out[0x1001] = 1;
	out[0x1002] = mode;
	out[0x1003] = size_freq;
	put_le32(out + 0x1004, 0x40100000u);
	put_le32(out + 0x1008, 0x40201010u);
	put_le32(out + 0x100C, seglen);
	for (uint32_t i = 0; i < seglen; i++) {
		seed = seed * 1103515245u + 12345u;
		/* Some structure, so gzip has something to do. */
		out[0x1010 + i] = (uint8_t)((i & 64) ? (seed >> 16) : (i >> 3));
		sum ^= out[0x1010 + i];
	}
	memset(out + 0x1010 + seglen, 0, 15);
	out[len - 1] = sum;
}

static void on_start(void *ctx)
{
	((struct cb_log *)ctx)->starts++;
}

static void on_end(void *ctx)
{
	((struct cb_log *)ctx)->ends++;
}

static void on_error(void *ctx, enum updater_error err)
{
	struct cb_log *l = ctx;

	l->errors++;
	l->last_error = err;
}

static void on_progress(void *ctx, uint32_t done, uint32_t total)
{
	struct cb_log *l = ctx;

	if (done < l->prev_done)
		l->progress_monotonic = false;
	l->prev_done = done;
	l->progress_calls++;
	l->last_done = done;
	l->last_total = total;
}

static void write_flash_file(const char *path, uint32_t off, const uint8_t *p, uint32_t len)
{
	FILE *f = fopen(path, "r+b");

	assert_non_null(f);
	assert_int_equal(fseek(f, (long)off, SEEK_SET), 0);
	assert_int_equal(fwrite(p, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void open_hal(struct device *d, long power_cut_after)
{
	char err[256];
	struct hal_posix_config hc = { 0 };

	hc.flash_path = d->flash_path;
	hc.rtc_path = d->rtc_path;
	hc.power_cut_after = power_cut_after;
	assert_int_equal(hal_posix_open(&d->hal, &hc, err, sizeof(err)), 0);
}

void device_power_cycle(struct device *d)
{
	hal_posix_close(d->hal);
	open_hal(d, -1);
	d->u.hal = d->hal;
}

void device_open(struct device *d, uint32_t flash_size, uint32_t running_len,
		 uint8_t header_size_nibble, uint8_t device_mode)
{
	device_open_cut(d, flash_size, running_len, header_size_nibble, device_mode, -1);
}

void device_open_cut(struct device *d, uint32_t flash_size, uint32_t running_len,
		     uint8_t header_size_nibble, uint8_t device_mode, long power_cut_after)
{
	char err[256];
	struct updater_callbacks cb = { on_start, on_progress, on_end, on_error, NULL };
	const char *tmp = getenv("TMPDIR");

	memset(d, 0, sizeof(*d));
	snprintf(d->dir, sizeof(d->dir), "%s/updater-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(d->dir));
	snprintf(d->flash_path, sizeof(d->flash_path), "%s/flash.bin", d->dir);
	snprintf(d->rtc_path, sizeof(d->rtc_path), "%s/rtc.bin", d->dir);
	assert_int_equal(hal_posix_create_flash(d->flash_path, flash_size, err, sizeof(err)), 0);
	if (running_len) {
		uint8_t *bin = malloc(running_len);

		assert_non_null(bin);
		make_bin(bin, running_len, device_mode, (uint8_t)(header_size_nibble << 4), 7);
		write_flash_file(d->flash_path, 0, bin, running_len);
		free(bin);
	}
	assert_int_equal(flash_layout_default(&d->cfg.layout, flash_size), 0);
	/* eboot's stage 2, as espota-device init writes it (without one the
	 * Updater schedules nothing), written before the HAL counts flash
	 * operations for the power cut. */
	{
		uint8_t s2[STAGE2_STANDIN_SIZE];

		stage2_standin_build(s2);
		write_flash_file(d->flash_path, d->cfg.layout.stage2, s2, sizeof(s2));
	}
	open_hal(d, power_cut_after);
	d->cfg.flash_mode = device_mode;
	d->log.progress_monotonic = true;
	cb.ctx = &d->log;
	updater_init(&d->u, d->hal, &d->cfg, &cb);
}

void device_close(struct device *d)
{
	char path[128];

	hal_posix_close(d->hal);
	unlink(d->flash_path);
	unlink(d->rtc_path);
	snprintf(path, sizeof(path), "%s", d->dir);
	rmdir(path);
}

uint8_t *flash_dump(struct device *d, uint32_t addr, uint32_t len)
{
	uint32_t padded = (len + 3u) & ~3u;
	uint8_t *p = malloc(padded ? padded : 4);

	assert_non_null(p);
	assert_int_equal(hal_flash_read(d->hal, addr, p, padded), 0);
	return p;
}

bool upload(struct device *d, const uint8_t *img, uint32_t len, int cmd, size_t chunk,
	    const char *md5hex)
{
	if (!updater_begin(&d->u, len, cmd))
		return false;
	if (md5hex)
		assert_true(updater_set_md5(&d->u, md5hex, strlen(md5hex)));
	for (uint32_t off = 0; off < len;) {
		size_t n = len - off < chunk ? len - off : chunk;

		if (updater_write(&d->u, img + off, n) != n)
			return false;
		off += (uint32_t)n;
	}
	return updater_end(&d->u, false);
}

uint8_t *gzip_bytes(const uint8_t *in, size_t len, size_t *outlen)
{
	z_stream z;
	size_t cap = len + len / 100 + 1024;
	uint8_t *out = malloc(cap);

	assert_non_null(out);
	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	*outlen = z.total_out;
	deflateEnd(&z);
	return out;
}
