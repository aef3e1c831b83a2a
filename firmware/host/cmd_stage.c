/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* espota-device stage: an OTA upload without the network
 * (device_stage.h). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cliopt.h"
#include "cmd_options.h"
#include "device_cmds.h"
#include "device_stage.h"
#include "file.h"
#include "updater.h"

#define PROG DEVICE_PROG " stage"

static const char usage_text[] =
	"usage: espota-device stage --flash F [--fs] [--power-cut-after N]\n"
	"                           [--flash-timing esp8266|none] IMAGE\n";

int cmd_stage(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "flash", required_argument, NULL, 'f' },
		{ "fs", no_argument, NULL, 'F' },
		{ "power-cut-after", required_argument, NULL, CMD_OPT_POWER_CUT_AFTER },
		{ "flash-timing", required_argument, NULL, CMD_OPT_FLASH_TIMING },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct device_power power = { .cut_after = -1 };
	const char *flash = NULL, *path;
	struct logger lg;
	struct device d;
	struct file_buf img;
	char err[512], text[UPDATER_ERROR_TEXT_MAX];
	enum file_error fe;
	enum device_error rc;
	bool fs = false, in_place;
	size_t len;
	int c;

	optind = 1;
	opterr = 0; /* glibc would echo a mistyped --option=VALUE */
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'f': flash = optarg; break;
		case 'F': fs = true; break;
		case CMD_OPT_POWER_CUT_AFTER:
		case CMD_OPT_FLASH_TIMING:
			if (cmd_power_option(c, optarg, &power, PROG) != 0)
				return DEVICE_EXIT_USAGE;
			break;
		case 'h': fputs(usage_text, stdout); return DEVICE_EXIT_OK;
		default: cliopt_complain(stderr, PROG, c, argv, opts); return DEVICE_EXIT_USAGE;
		}
	}
	if (!flash || optind != argc - 1) {
		fprintf(stderr, "%s: give --flash and one IMAGE\n%s", PROG, usage_text);
		return DEVICE_EXIT_USAGE;
	}
	path = argv[optind];
	cmd_logger(&lg, PROG);
	if (device_open(&d, flash, &power, err, sizeof(err)) != 0) {
		log_error(&lg, "%s", err);
		return DEVICE_EXIT_FAIL;
	}
	fe = file_read_all(path, UINT32_MAX, &img);
	if (fe == FILE_ERR_EMPTY) {
		/* An empty upload reaches the Updater, which refuses size 0. */
		img.data = NULL;
		img.len = 0;
	} else if (fe != FILE_OK) {
		log_error(&lg, "cannot read image '%s': %s", path,
			  fe == FILE_ERR_OPEN || fe == FILE_ERR_READ ? strerror(errno)
								     : file_strerror(fe));
		device_close(&d);
		return DEVICE_EXIT_FAIL;
	}
	len = img.len;
	rc = device_stage(&d, path, img.data, len, fs, &in_place, text, sizeof(text), &lg);
	file_buf_free(&img);
	device_close(&d);
	if (rc == DEVICE_ERR_FAILED && text[0]) {
		fputs(text, stderr); /* the Updater's own words, as the device reports them */
		return DEVICE_EXIT_FAIL;
	}
	if (rc != DEVICE_OK)
		return cmd_exit_status(rc);
	printf("staged '%s' (%zu bytes): %s\n", path, len,
	       in_place ? "written to the filesystem" : "installed on the next boot");
	return DEVICE_EXIT_OK;
}
