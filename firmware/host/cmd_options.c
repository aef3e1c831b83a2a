/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "cmd_options.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device_cmds.h"
#include "device_password.h"

int cmd_power_option(int opt, const char *arg, struct device_power *p, const char *prog)
{
	char *end;

	switch (opt) {
	case CMD_OPT_POWER_CUT_AFTER:
		errno = 0;
		p->cut_after = strtol(arg, &end, 10);
		if (errno || end == arg || *end || p->cut_after < 1) {
			fprintf(stderr, "%s: bad --power-cut-after '%s': give a count from 1\n", prog,
				arg);
			return -1;
		}
		return 0;
	case CMD_OPT_TORN_WRITE:
		p->torn = true;
		return 0;
	case CMD_OPT_FLASH_TIMING:
		if (strcmp(arg, "esp8266") == 0 || strcmp(arg, "none") == 0) {
			p->esp8266_timing = strcmp(arg, "esp8266") == 0;
			return 0;
		}
		fprintf(stderr, "%s: unknown --flash-timing '%s': use esp8266 or none\n", prog, arg);
		return -1;
	}
	fprintf(stderr, "%s: option %d is not a power or timing option\n", prog, opt);
	return -1;
}

int cmd_parse_u32(const char *prog, const char *opt, const char *arg, uint32_t max,
		  uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-' || v > max) {
		fprintf(stderr, "%s: bad %s '%s': give a number from 0 to %lu\n", prog, opt, arg,
			(unsigned long)max);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

void cmd_logger(struct logger *lg, const char *prog)
{
	log_init(lg, prog, stderr, LOG_INFO, LOG_STYLE_PLAIN);
}

int cmd_exit_status(enum device_error err)
{
	switch (err) {
	case DEVICE_OK:
		return DEVICE_EXIT_OK;
	case DEVICE_ERR_INPUT:
		return DEVICE_EXIT_USAGE;
	case DEVICE_ERR_FAILED:
		return DEVICE_EXIT_FAIL;
	case DEVICE_ERR_POWER_LOST:
		return DEVICE_EXIT_POWER_LOST;
	}
	return DEVICE_EXIT_FAIL;
}

int cmd_take_secret(char *arg, char **out, const char *prog)
{
	device_password_free(*out);
	*out = device_password_copy(arg);
	memset(arg, ' ', strlen(arg));
	if (!*out) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return -1;
	}
	return 0;
}
