/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * espota-device init: a device fresh from the serial flasher. A blank
 * chip of the given size, the app written at offset 0 (as esptool writes
 * it, flash mode byte patched when --flash-mode is given), and the
 * sketch's build-time configuration beside the flash file.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "device.h"
#include "device_cmds.h"
#include "digest.h"
#include "file.h"
#include "hal_posix.h"
#include "sample_app.h"
#include "stage2_standin.h"

/* Flash the CPU can execute from (0x40200000 onwards). */
#define MAPPED_FLASH 0x100000u

static const char usage_text[] =
	"usage: espota-device init --flash F --size 1M|2M|4M [--flash-mode qio|qout|dio|dout]\n"
	"                          [--app IMAGE] [--sign-key PUBLIC.pem [--accept-legacy]]\n"
	"                          [--password P] [--hostname H] [--atomic-fs] [--no-stage2]\n";

struct init_opts {
	const char *flash;
	const char *size;
	const char *mode;
	const char *app;
	const char *key;
	const char *password;
	const char *hostname;
	bool accept_legacy;
	bool atomic_fs;
	bool no_stage2;
};

static int parse(int argc, char **argv, struct init_opts *o)
{
	static const struct option opts[] = {
		{ "flash", required_argument, NULL, 'f' },
		{ "size", required_argument, NULL, 's' },
		{ "flash-mode", required_argument, NULL, 'm' },
		{ "app", required_argument, NULL, 'a' },
		{ "sign-key", required_argument, NULL, 'k' },
		{ "accept-legacy", no_argument, NULL, 'L' },
		{ "password", required_argument, NULL, 'p' },
		{ "hostname", required_argument, NULL, 'H' },
		{ "atomic-fs", no_argument, NULL, 'A' },
		{ "no-stage2", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'f': o->flash = optarg; break;
		case 's': o->size = optarg; break;
		case 'm': o->mode = optarg; break;
		case 'a': o->app = optarg; break;
		case 'k': o->key = optarg; break;
		case 'L': o->accept_legacy = true; break;
		case 'p': o->password = optarg; break;
		case 'H': o->hostname = optarg; break;
		case 'A': o->atomic_fs = true; break;
		case 'S': o->no_stage2 = true; break;
		case 'h': fputs(usage_text, stdout); return 1;
		default: fputs(usage_text, stderr); return -1;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s init: unexpected argument '%s'\n%s", DEVICE_PROG, argv[optind],
			usage_text);
		return -1;
	}
	if (!o->flash || !o->size) {
		fprintf(stderr, "%s init: --flash and --size are required\n%s", DEVICE_PROG,
			usage_text);
		return -1;
	}
	return 0;
}

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

static uint32_t parse_size(const char *s)
{
	if (strcmp(s, "1M") == 0)
		return 0x100000u;
	if (strcmp(s, "2M") == 0)
		return 0x200000u;
	if (strcmp(s, "4M") == 0)
		return 0x400000u;
	return 0;
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
 * and the stage 2 stand-in at stage2 unless stage2 is 0.
 * Returns 0, -1 with a message in err, or -2 when it printed one. */
static int write_app(const char *flash, const char *rtc, const uint8_t *app, size_t len,
		     uint32_t stage2, char *err, size_t errlen)
{
	struct hal_posix_config hc = { .flash_path = flash, .rtc_path = rtc,
				       .power_cut_after = -1 };
	struct hal *h;
	size_t whole = len & ~(size_t)3u;
	int rc;

	if (hal_posix_open(&h, &hc, err, errlen) != 0)
		return -1;
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
		fprintf(stderr, "%s init: cannot write the app into flash file '%s' (HAL error %d)\n",
			DEVICE_PROG, flash, rc);
		return -2;
	}
	return 0;
}

int cmd_init(int argc, char **argv)
{
	struct init_opts o;
	struct device_paths paths;
	struct device_config cfg;
	struct flash_layout layout;
	struct rsa_pubkey key;
	struct file_buf app = { NULL, 0 };
	uint8_t *image = NULL;
	size_t image_len;
	uint32_t max_app;
	char err[512], md5[DIGEST_MAX_HEX];
	int mode = -1, rc = DEVICE_EXIT_FAIL;
	uint8_t id[3];

	switch (parse(argc, argv, &o)) {
	case 1: return DEVICE_EXIT_OK;
	case -1: return DEVICE_EXIT_USAGE;
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.flash_size = parse_size(o.size);
	if (cfg.flash_size == 0 || flash_layout_default(&layout, cfg.flash_size) != 0) {
		fprintf(stderr, "%s init: unknown flash size '%s': use 1M, 2M or 4M\n",
			DEVICE_PROG, o.size);
		return DEVICE_EXIT_USAGE;
	}
	if (o.mode && (mode = device_flash_mode_parse(o.mode)) < 0) {
		fprintf(stderr, "%s init: unknown flash mode '%s': use qio, qout, dio or dout\n",
			DEVICE_PROG, o.mode);
		return DEVICE_EXIT_USAGE;
	}
	if (o.accept_legacy && !o.key) {
		fprintf(stderr, "%s init: --accept-legacy needs --sign-key\n", DEVICE_PROG);
		return DEVICE_EXIT_USAGE;
	}
	if (o.hostname && !hostname_ok(o.hostname, sizeof(cfg.hostname) - 1)) {
		fprintf(stderr,
			"%s init: bad hostname '%s': use 1 to %zu letters, digits, '-' and '.'\n",
			DEVICE_PROG, o.hostname, sizeof(cfg.hostname) - 1);
		return DEVICE_EXIT_USAGE;
	}
	if (device_paths_init(&paths, o.flash) != 0) {
		fprintf(stderr, "%s init: flash file name '%s' is too long\n", DEVICE_PROG,
			o.flash);
		return DEVICE_EXIT_USAGE;
	}

	/* Check every input before touching any file. */
	if (o.key && device_load_key(&key, o.key, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s init: %s\n", DEVICE_PROG, err);
		return DEVICE_EXIT_FAIL;
	}
	if (o.app) {
		enum file_error fe = file_read_all(o.app, cfg.flash_size, &app);

		if (fe == FILE_ERR_TOO_BIG) {
			fprintf(stderr,
				"%s init: app '%s' is larger than the %s chip: build for a bigger "
				"flash or pick a bigger --size\n",
				DEVICE_PROG, o.app, o.size);
			return DEVICE_EXIT_FAIL;
		}
		if (fe != FILE_OK) {
			fprintf(stderr, "%s init: cannot read app '%s': %s\n", DEVICE_PROG, o.app,
				fe == FILE_ERR_OPEN || fe == FILE_ERR_READ ? strerror(errno)
									   : file_strerror(fe));
			return DEVICE_EXIT_FAIL;
		}
		image = app.data;
		image_len = app.len;
	} else {
		image_len = sample_app_build(&image, cfg.flash_size, mode < 0 ? 2 : (uint8_t)mode);
		if (image_len == 0) {
			fprintf(stderr, "%s init: out of memory\n", DEVICE_PROG);
			return DEVICE_EXIT_FAIL;
		}
	}
	if (image_len < 8 || image[0] != 0xE9) {
		fprintf(stderr,
			"%s init: app '%s' is not an ESP8266 image (magic byte is not 0xE9): give "
			"the sketch's .bin, not a .gz or signed file\n",
			DEVICE_PROG, o.app ? o.app : "(built-in)");
		goto out;
	}
	/* The sketch runs from the first megabyte (the part of the flash mapped
	 * at 0x40200000) and must end before the filesystem. */
	max_app = layout.fs_start < MAPPED_FLASH ? layout.fs_start : MAPPED_FLASH;
	if (image_len > max_app) {
		fprintf(stderr,
			"%s init: app '%s' does not fit: %zu bytes, but only %lu fit %s: use a "
			"smaller sketch%s\n",
			DEVICE_PROG, o.app ? o.app : "(built-in)", image_len, (unsigned long)max_app,
			max_app == MAPPED_FLASH ? "in the first megabyte, the flash the CPU runs from"
						: "before the filesystem",
			max_app == MAPPED_FLASH ? "" : " or a bigger --size");
		goto out;
	}
	/* esptool --flash_mode rewrites byte 2 of the image as it flashes. */
	if (mode >= 0)
		image[2] = (uint8_t)mode;
	cfg.flash_mode = image[2] <= 3 ? image[2] : 2;

	if (getrandom(id, sizeof(id), 0) != (ssize_t)sizeof(id)) {
		fprintf(stderr, "%s init: no randomness for the chip id: %s\n", DEVICE_PROG,
			strerror(errno));
		goto out;
	}
	cfg.chip_id = (uint32_t)id[0] << 16 | (uint32_t)id[1] << 8 | id[2];
	if (o.hostname)
		snprintf(cfg.hostname, sizeof(cfg.hostname), "%s", o.hostname);
	else
		snprintf(cfg.hostname, sizeof(cfg.hostname), "esp8266-%06lx",
			 (unsigned long)cfg.chip_id);
	if (o.password) {
		if (digest_hex(DIGEST_MD5, o.password, strlen(o.password), md5) != 0) {
			fprintf(stderr, "%s init: cannot hash the password\n", DEVICE_PROG);
			goto out;
		}
		memcpy(cfg.password_md5, md5, 32);
		cfg.password_md5[32] = '\0';
	}
	cfg.signing = o.key != NULL;
	cfg.accept_legacy = o.accept_legacy;
	cfg.atomic_fs = o.atomic_fs;

	if (hal_posix_create_flash(paths.flash, cfg.flash_size, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s init: %s\n", DEVICE_PROG, err);
		goto out;
	}
	switch (write_app(paths.flash, paths.rtc, image, image_len, o.no_stage2 ? 0 : layout.stage2,
			  err, sizeof(err))) {
	case 0:
		break;
	case -1:
		fprintf(stderr, "%s init: %s\n", DEVICE_PROG, err);
		goto out;
	default:
		goto out;
	}
	/* A fresh device: no RTC memory, no record of installs, no old key. */
	unlink(paths.rtc);
	unlink(paths.state);
	unlink(paths.pubkey);
	if (o.key && copy_key(o.key, paths.pubkey) != 0) {
		fprintf(stderr, "%s init: cannot copy signing key '%s' to '%s': %s\n", DEVICE_PROG,
			o.key, paths.pubkey, strerror(errno));
		goto out;
	}
	if (device_config_save(&cfg, &paths, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s init: %s\n", DEVICE_PROG, err);
		goto out;
	}
	printf("initialised '%s': %s chip, %s, app %zu bytes%s, hostname %s%s%s%s%s\n", paths.flash,
	       o.size, device_flash_mode_name(cfg.flash_mode), image_len,
	       o.app ? "" : " (built-in sample)", cfg.hostname,
	       cfg.password_md5[0] ? ", password set" : "", cfg.signing ? ", signing on" : "",
	       cfg.atomic_fs ? ", atomic FS" : "", o.no_stage2 ? ", no eboot stage 2" : "");
	rc = DEVICE_EXIT_OK;
out:
	if (o.app)
		file_buf_free(&app);
	else
		free(image);
	return rc;
}
