/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* espota-device status: what the device would run now. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "cliopt.h"
#include "device.h"
#include "device_cmds.h"
#include "device_status.h"

static const char usage_text[] = "usage: espota-device status --flash F [--json]\n";

static int print_json(const struct device_status *st)
{
	json_t *app_error = st->app_valid ? json_null()
					  : json_string(app_image_strerror(st->app_error));
	json_t *s2_error = st->stage2 == STAGE2_OK ? json_null()
						   : json_string(stage2_strerror(st->stage2));
	json_t *root = json_pack("{s:{s:I,s:s,s:b,s:o},s:{s:I,s:s},s:{s:b,s:o},s:b}", "app",
				 "size", (json_int_t)st->app_size, "md5", st->app_md5,
				 "bootable", st->app_valid, "error", app_error, "fs", "size",
				 (json_int_t)st->fs_size, "md5", st->fs_md5, "stage2", "valid",
				 st->stage2 == STAGE2_OK, "error", s2_error, "pending",
				 st->pending);
	char *text;

	if (!root)
		return -1;
	text = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!text)
		return -1;
	printf("%s\n", text);
	free(text);
	return 0;
}

int cmd_status(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "flash", required_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *flash = NULL;
	struct device_status st;
	struct device d;
	bool json = false;
	char err[512];
	int c, rc;

	optind = 1;
	opterr = 0; /* glibc would echo a mistyped --option=VALUE */
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'f': flash = optarg; break;
		case 'j': json = true; break;
		case 'h': fputs(usage_text, stdout); return DEVICE_EXIT_OK;
		default: cliopt_complain(stderr, DEVICE_PROG " status", c, argv, opts); return DEVICE_EXIT_USAGE;
		}
	}
	if (!flash || optind != argc) {
		fprintf(stderr, "%s status: give --flash and nothing else\n%s", DEVICE_PROG,
			usage_text);
		return DEVICE_EXIT_USAGE;
	}
	if (device_open(&d, flash, NULL, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s status: %s\n", DEVICE_PROG, err);
		return DEVICE_EXIT_FAIL;
	}
	rc = device_status_read(&d, &st);
	device_close(&d);
	if (rc != HAL_OK) {
		fprintf(stderr, "%s status: cannot read flash file '%s': %s\n", DEVICE_PROG, flash,
			hal_strerror(rc));
		return DEVICE_EXIT_FAIL;
	}
	if (json) {
		if (print_json(&st) != 0) {
			fprintf(stderr, "%s status: out of memory\n", DEVICE_PROG);
			return DEVICE_EXIT_FAIL;
		}
		return DEVICE_EXIT_OK;
	}
	printf("app: %lu bytes, md5 %s", (unsigned long)st.app_size, st.app_md5);
	if (!st.app_valid)
		printf(" (not a bootable image: %s)", app_image_strerror(st.app_error));
	printf("\n");
	printf("fs: %lu bytes at 0x%06lx, md5 %s\n", (unsigned long)st.fs_size,
	       (unsigned long)st.fs_start, st.fs_md5);
	if (st.stage2 == STAGE2_OK)
		printf("stage2: ok at 0x%06lx\n", (unsigned long)st.stage2_at);
	else
		printf("stage2: %s at 0x%06lx (%s)\n",
		       st.stage2 == STAGE2_ERR_MAGIC ? "missing" : "invalid",
		       (unsigned long)st.stage2_at, stage2_strerror(st.stage2));
	printf("pending: %s\n", st.pending ? "yes" : "no");
	return DEVICE_EXIT_OK;
}
