/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "cliopt.h"

#include <stdio.h>
#include <string.h>

/* True when the element is a long option whose table entry reports as
 * optopt: a long option's error, not a short one later in a cluster. */
static int is_long_error(const char *arg, const struct option *longopts)
{
	size_t n;

	if (!arg || strncmp(arg, "--", 2) != 0 || !arg[2])
		return 0;
	if (optopt == 0)
		return 1; /* unknown or ambiguous long option */
	n = strcspn(arg + 2, "=");
	for (const struct option *o = longopts; o && o->name; o++)
		if (o->val == optopt && strncmp(o->name, arg + 2, n) == 0)
			return 1;
	return 0;
}

void cliopt_message(char *buf, size_t len, int ret, char *const argv[],
		    const struct option *longopts)
{
	const char *arg = optind > 0 ? argv[optind - 1] : NULL;

	if (is_long_error(arg, longopts)) {
		/* the name only: what follows '=' may be a password */
		int n = (int)strcspn(arg, "=");

		if (optopt == 0)
			snprintf(buf, len, "unknown or ambiguous option '%.*s'", n, arg);
		else if (ret == ':')
			snprintf(buf, len, "option '%.*s' needs a value", n, arg);
		else
			snprintf(buf, len, "option '%.*s' takes no value", n, arg);
	} else if (ret == ':') {
		snprintf(buf, len, "option '-%c' needs a value", optopt);
	} else {
		snprintf(buf, len, "unknown option '-%c'", optopt);
	}
}

void cliopt_complain(FILE *f, const char *prog, int ret, char *const argv[],
		     const struct option *longopts)
{
	char msg[160];

	cliopt_message(msg, sizeof(msg), ret, argv, longopts);
	fprintf(f, "%s: %s\n", prog, msg);
	fprintf(f, "Try '%s --help' for the options.\n", prog);
}
