/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * espota-device stage: an OTA upload without the network. The image goes
 * through the device's Updater exactly as ArduinoOTA feeds it: begin with
 * the size, the MD5 the uploader announces, then network-sized pieces,
 * then end, which checks and schedules eboot.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device.h"
#include "device_cmds.h"
#include "device_state.h"
#include "digest.h"
#include "file.h"
#include "hal_posix.h"

#define STAGE_CHUNK 1460u /* one TCP segment, as ArduinoOTA receives */

static const char usage_text[] =
	"usage: espota-device stage --flash F [--fs] [--power-cut-after N]\n"
	"                           [--flash-timing esp8266|none] IMAGE\n";

/* A filesystem image written in place: note its length for status. */
static void record_fs(struct device *d, const struct file_buf *img)
{
	struct device_state s;

	device_state_load(&s, &d->paths);
	s.fs_size = (uint32_t)img->len;
	if (device_state_save(&s, &d->paths) != 0)
		fprintf(stderr, "%s stage: warning: cannot record the upload in '%s': %s\n",
			DEVICE_PROG, d->paths.state, strerror(errno));
}

static int refuse(struct device *d, const struct updater *u)
{
	char text[UPDATER_ERROR_TEXT_MAX];

	if (hal_posix_power_lost(d->hal)) {
		fprintf(stderr, "%s stage: power lost after %lu flash operations\n", DEVICE_PROG,
			hal_posix_flash_ops(d->hal));
		return DEVICE_EXIT_POWER_LOST;
	}
	updater_error_text(u, text, sizeof(text));
	fputs(text, stderr);
	return DEVICE_EXIT_FAIL;
}

int cmd_stage(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "flash", required_argument, NULL, 'f' },
		{ "fs", no_argument, NULL, 'F' },
		{ "power-cut-after", required_argument, NULL, 'P' },
		{ "flash-timing", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct device_power power = { .cut_after = -1 };
	const char *flash = NULL, *path;
	struct device d;
	struct updater u;
	struct file_buf img;
	char err[512], md5[DIGEST_MAX_HEX];
	enum file_error fe;
	bool fs = false;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'f': flash = optarg; break;
		case 'F': fs = true; break;
		case 'P': {
			char *end;

			power.cut_after = strtol(optarg, &end, 10);
			if (*end || power.cut_after < 1) {
				fprintf(stderr, "%s stage: bad --power-cut-after '%s': give a count "
						"from 1\n", DEVICE_PROG, optarg);
				return DEVICE_EXIT_USAGE;
			}
			break;
		}
		case 't':
			if (strcmp(optarg, "esp8266") == 0 || strcmp(optarg, "none") == 0) {
				power.esp8266_timing = strcmp(optarg, "esp8266") == 0;
				break;
			}
			fprintf(stderr, "%s stage: unknown --flash-timing '%s': use esp8266 or none\n",
				DEVICE_PROG, optarg);
			return DEVICE_EXIT_USAGE;
		case 'h': fputs(usage_text, stdout); return DEVICE_EXIT_OK;
		default: fputs(usage_text, stderr); return DEVICE_EXIT_USAGE;
		}
	}
	if (!flash || optind != argc - 1) {
		fprintf(stderr, "%s stage: give --flash and one IMAGE\n%s", DEVICE_PROG, usage_text);
		return DEVICE_EXIT_USAGE;
	}
	path = argv[optind];
	if (device_open(&d, flash, &power, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s stage: %s\n", DEVICE_PROG, err);
		return DEVICE_EXIT_FAIL;
	}
	fe = file_read_all(path, UINT32_MAX, &img);
	if (fe == FILE_ERR_EMPTY) {
		/* An empty upload reaches the Updater, which refuses size 0. */
		img.data = NULL;
		img.len = 0;
	} else if (fe != FILE_OK) {
		fprintf(stderr, "%s stage: cannot read image '%s': %s\n", DEVICE_PROG, path,
			fe == FILE_ERR_OPEN || fe == FILE_ERR_READ ? strerror(errno)
								   : file_strerror(fe));
		device_close(&d);
		return DEVICE_EXIT_FAIL;
	}
	rc = DEVICE_EXIT_FAIL;
	if (digest_hex(DIGEST_MD5, img.data, img.len, md5) != 0) {
		fprintf(stderr, "%s stage: cannot hash image '%s'\n", DEVICE_PROG, path);
		goto out;
	}
	updater_init(&u, d.hal, &d.ucfg, NULL);
	if (!updater_begin(&u, (uint32_t)img.len, fs ? UPDATE_CMD_FS : UPDATE_CMD_FLASH)) {
		rc = refuse(&d, &u);
		goto out;
	}
	updater_set_md5(&u, md5, strlen(md5));
	for (size_t off = 0; off < img.len; off += STAGE_CHUNK) {
		size_t n = img.len - off < STAGE_CHUNK ? img.len - off : STAGE_CHUNK;

		if (updater_write(&u, img.data + off, n) != n) {
			rc = refuse(&d, &u);
			goto out;
		}
	}
	if (!updater_end(&u, false)) {
		rc = refuse(&d, &u);
		goto out;
	}
	if (fs && !d.cfg.atomic_fs) {
		record_fs(&d, &img);
		printf("staged '%s' (%zu bytes): written to the filesystem\n", path, img.len);
	} else {
		printf("staged '%s' (%zu bytes): installed on the next boot\n", path, img.len);
	}
	rc = DEVICE_EXIT_OK;
out:
	file_buf_free(&img);
	device_close(&d);
	return rc;
}
