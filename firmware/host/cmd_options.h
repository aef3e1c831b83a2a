/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the subcommands' option parsers share: the power and timing
 * options (one parser for stage, boot and run), numbers, and the exit
 * status of a library result. Messages go to
 * stderr as "PROG: ...", PROG being "espota-device <command>".
 */
#ifndef ESPOTA_CMD_OPTIONS_H
#define ESPOTA_CMD_OPTIONS_H

#include <stdint.h>

#include "device.h"
#include "log.h"

/* getopt_long codes of the shared options, above every character. */
enum cmd_option {
	CMD_OPT_POWER_CUT_AFTER = 0x100, /* --power-cut-after N */
	CMD_OPT_TORN_WRITE,              /* --torn-write */
	CMD_OPT_FLASH_TIMING,            /* --flash-timing esp8266|none */
};

/* Applies one of the options above (opt as getopt_long returned it, arg
 * its optarg) to p. Returns 0, or -1 after a message naming the value. */
int cmd_power_option(int opt, const char *arg, struct device_power *p, const char *prog);

/* A decimal number from 0 to max. Returns 0, or -1 after a message. */
int cmd_parse_u32(const char *prog, const char *opt, const char *arg, uint32_t max,
		  uint32_t *out);

/* Keeps a copy of a secret option's value in *out (freeing the previous
 * one) and blanks the value in argv, so ps and /proc never show it (as
 * espota-c does with -a). Returns 0, or -1 after a message (no memory). */
int cmd_take_secret(char *arg, char **out, const char *prog);

/* The logger of a subcommand: "PROG: message" lines on stderr. */
void cmd_logger(struct logger *lg, const char *prog);

/* The exit status for a library result (device_cmds.h). */
int cmd_exit_status(enum device_error err);

#endif
