/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* espota-device boot: one power-on (device_boot.h), then what runs and
 * the flash operations it took. */
#include <getopt.h>
#include <stdio.h>

#include "cliopt.h"
#include "cmd_options.h"
#include "device_boot.h"
#include "device_cmds.h"
#include "hal_posix.h"

#define PROG DEVICE_PROG " boot"

static const char usage_text[] =
	"usage: espota-device boot --flash F [--power-cut-after N [--torn-write]]\n"
	"                          [--flash-timing esp8266|none]\n";

int cmd_boot(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "flash", required_argument, NULL, 'f' },
		{ "power-cut-after", required_argument, NULL, CMD_OPT_POWER_CUT_AFTER },
		{ "torn-write", no_argument, NULL, CMD_OPT_TORN_WRITE },
		{ "flash-timing", required_argument, NULL, CMD_OPT_FLASH_TIMING },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct device_power power = { .cut_after = -1 };
	const char *flash = NULL;
	struct device_boot boot;
	struct logger lg;
	struct device d;
	enum device_error rc;
	char err[512];
	int c;

	optind = 1;
	opterr = 0; /* glibc would echo a mistyped --option=VALUE */
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'f': flash = optarg; break;
		case CMD_OPT_POWER_CUT_AFTER:
		case CMD_OPT_TORN_WRITE:
		case CMD_OPT_FLASH_TIMING:
			if (cmd_power_option(c, optarg, &power, PROG) != 0)
				return DEVICE_EXIT_USAGE;
			break;
		case 'h': fputs(usage_text, stdout); return DEVICE_EXIT_OK;
		default: cliopt_complain(stderr, PROG, c, argv, opts); return DEVICE_EXIT_USAGE;
		}
	}
	if (!flash || optind != argc) {
		fprintf(stderr, "%s: give --flash and options only\n%s", PROG, usage_text);
		return DEVICE_EXIT_USAGE;
	}
	cmd_logger(&lg, PROG);
	if (device_open(&d, flash, &power, err, sizeof(err)) != 0) {
		log_error(&lg, "%s", err);
		return DEVICE_EXIT_FAIL;
	}
	rc = device_power_on(&d, &lg, &boot);
	if (rc == DEVICE_OK) {
		printf("running app at 0x%06lx: %lu bytes, md5 %s, %u segments, entry 0x%08lx, %s\n",
		       (unsigned long)boot.offset, (unsigned long)boot.app_size, boot.app_md5,
		       boot.image.segments, (unsigned long)boot.image.entry,
		       device_flash_mode_name(boot.image.flash_mode));
		printf("flash ops: %lu\n", hal_posix_flash_ops(d.hal));
	}
	device_close(&d);
	return cmd_exit_status(rc);
}
