/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* espota-device: the ESP8266 simulator. Finds the subcommand and hands it
 * the rest of the command line. */
#include <stdio.h>
#include <string.h>

#include "device_cmds.h"

struct subcommand {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;
};

static const struct subcommand subcommands[] = {
	{ "init", cmd_init, "create a freshly serial-flashed device" },
	{ "stage", cmd_stage, "feed an image through the Updater, as an OTA upload" },
	{ "boot", cmd_boot, "power the device on: eboot, then load the app" },
	{ "status", cmd_status, "show the installed app, filesystem and pending update" },
	{ "run", cmd_run, "run the device: OTA agent on the network" },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: %s <command> [<options>]\n\ncommands:\n", DEVICE_PROG);
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		fprintf(out, "   %-8s %s\n", subcommands[i].name, subcommands[i].help);
	fprintf(out, "\nSee '%s <command> --help' and espota-device(1).\n", DEVICE_PROG);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return DEVICE_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return DEVICE_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("%s %s\n", DEVICE_PROG, ESPOTA_VERSION);
		return DEVICE_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (strcmp(argv[1], subcommands[i].name) == 0)
			return subcommands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "%s: '%s' is not a command: see '%s --help'\n", DEVICE_PROG, argv[1],
		DEVICE_PROG);
	return DEVICE_EXIT_USAGE;
}
