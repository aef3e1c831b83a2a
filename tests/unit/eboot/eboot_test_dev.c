/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "eboot_test_dev.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

static void die(const char *what)
{
	fprintf(stderr, "eboot test setup failed: %s\n", what);
	abort();
}

struct dev *dev_create(void)
{
	struct dev *d = calloc(1, sizeof(*d));
	const char *tmp = getenv("TMPDIR");
	char err[256];

	if (!d)
		die("out of memory");
	snprintf(d->dir, sizeof(d->dir), "%s/eboot.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(d->dir))
		die("mkdtemp");
	snprintf(d->flash, sizeof(d->flash), "%s/flash.bin", d->dir);
	snprintf(d->rtc, sizeof(d->rtc), "%s/flash.rtc", d->dir);
	if (hal_posix_create_flash(d->flash, DEV_FLASH_SIZE, err, sizeof(err)) != 0)
		die(err);
	if (flash_layout_default(&d->layout, DEV_FLASH_SIZE) != 0)
		die("layout");
	d->work = malloc(sizeof(*d->work));
	if (!d->work)
		die("out of memory");
	dev_open(d, -1, false);
	return d;
}

void dev_destroy(struct dev *d)
{
	if (d->h)
		hal_posix_close(d->h);
	if (d->console)
		fclose(d->console);
	unlink(d->flash);
	unlink(d->rtc);
	rmdir(d->dir);
	free(d->work);
	free(d);
}

void dev_open(struct dev *d, long cut, bool torn)
{
	char err[256];
	struct hal_posix_config cfg = { .flash_path = d->flash,
					.rtc_path = d->rtc,
					.power_cut_after = cut,
					.power_cut_torn = torn };

	if (d->h)
		hal_posix_close(d->h);
	if (d->console)
		fclose(d->console);
	d->h = NULL;
	d->console = tmpfile();
	if (!d->console)
		die("tmpfile");
	cfg.console = d->console;
	if (hal_posix_open(&d->h, &cfg, err, sizeof(err)) != 0)
		die(err);
}

const char *dev_console(struct dev *d)
{
	size_t n;

	fflush(d->console);
	rewind(d->console);
	n = fread(d->console_text, 1, sizeof(d->console_text) - 1, d->console);
	d->console_text[n] = '\0';
	fseek(d->console, 0, SEEK_END);
	return d->console_text;
}

void dev_put(struct dev *d, uint32_t addr, const uint8_t *data, size_t len)
{
	size_t span = (len + HAL_FLASH_SECTOR - 1) / HAL_FLASH_SECTOR * HAL_FLASH_SECTOR;
	uint8_t *buf = malloc(span);

	if (!buf)
		die("out of memory");
	memset(buf, 0xFF, span);
	memcpy(buf, data, len);
	for (size_t off = 0; off < span; off += HAL_FLASH_SECTOR) {
		if (hal_flash_erase_sector(d->h, addr + (uint32_t)off) != HAL_OK)
			die("erase");
	}
	if (hal_flash_write(d->h, addr, buf, span) != HAL_OK)
		die("write");
	free(buf);
}

void dev_get(const struct dev *d, uint32_t addr, uint8_t *buf, size_t len)
{
	FILE *fp = fopen(d->flash, "rb");

	if (!fp || fseek(fp, (long)addr, SEEK_SET) != 0 || fread(buf, 1, len, fp) != len)
		die("read flash file");
	fclose(fp);
}

bool dev_equals(const struct dev *d, uint32_t addr, const uint8_t *data, size_t len)
{
	uint8_t *buf = malloc(len);
	bool eq;

	if (!buf)
		die("out of memory");
	dev_get(d, addr, buf, len);
	eq = memcmp(buf, data, len) == 0;
	free(buf);
	return eq;
}

uint8_t *dev_snapshot(const struct dev *d)
{
	uint8_t *snap = malloc(DEV_FLASH_SIZE);

	if (!snap)
		die("out of memory");
	dev_get(d, 0, snap, DEV_FLASH_SIZE);
	return snap;
}

void dev_restore(struct dev *d, const uint8_t *snap)
{
	FILE *fp;

	if (d->h)
		hal_posix_close(d->h);
	d->h = NULL;
	fp = fopen(d->flash, "r+b");
	if (!fp || fwrite(snap, 1, DEV_FLASH_SIZE, fp) != DEV_FLASH_SIZE || fclose(fp) != 0)
		die("restore flash file");
	dev_wipe_rtc(d);
	dev_open(d, -1, false);
}

void dev_wipe_rtc(struct dev *d)
{
	unlink(d->rtc);
}

enum eboot_status dev_boot(struct dev *d, uint32_t *boot_offset)
{
	return eboot_run(d->h, &d->layout, d->work, boot_offset);
}

uint8_t *image_random(size_t len, unsigned seed)
{
	uint8_t *p = malloc(len);
	uint32_t x = seed * 2654435761u + 1u;

	if (!p)
		die("out of memory");
	for (size_t i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (uint8_t)x;
	}
	return p;
}

/* Runs of repeated words among random bytes: gzip -9 shrinks it to about
 * half, as it does a sketch. */
uint8_t *image_sketch(size_t len, unsigned seed)
{
	static const char *words[] = { "WiFi.begin", "Serial.println", "ArduinoOTA", "\0\0\0\0",
				       "digitalWrite", "0123456789abcdef" };
	uint8_t *p = image_random(len, seed);
	uint32_t x = seed + 7u;

	for (size_t i = 0; i + 32 < len; i += 24) {
		const char *w = words[x % 6u];

		x = x * 1103515245u + 12345u;
		memcpy(p + i, w, strlen(w) ? strlen(w) : 4);
		if (x & 0x10000u)
			memset(p + i + 12, 0, 8);
	}
	p[0] = 0xE9;
	return p;
}

uint8_t *gzip_bytes(const uint8_t *data, size_t len, size_t *outlen)
{
	z_stream z;
	size_t cap = len + len / 100 + 64;
	uint8_t *out = malloc(cap);

	if (!out)
		die("out of memory");
	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
		die("deflateInit2");
	z.next_in = (Bytef *)(uintptr_t)data;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		die("deflate");
	*outlen = z.total_out;
	deflateEnd(&z);
	return out;
}
