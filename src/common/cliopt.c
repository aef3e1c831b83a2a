/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "cliopt.h"

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

void cliopt_complain(FILE *f, const char *prog, int ret, char *const argv[],
		     const struct option *longopts)
{
	const char *arg = optind > 0 ? argv[optind - 1] : NULL;

	if (is_long_error(arg, longopts)) {
		/* the name only: what follows '=' may be a password */
		int n = (int)strcspn(arg, "=");

		if (optopt == 0)
			fprintf(f, "%s: unknown or ambiguous option '%.*s'\n", prog, n, arg);
		else if (ret == ':')
			fprintf(f, "%s: option '%.*s' needs a value\n", prog, n, arg);
		else
			fprintf(f, "%s: option '%.*s' takes no value\n", prog, n, arg);
	} else if (ret == ':') {
		fprintf(f, "%s: option '-%c' needs a value\n", prog, optopt);
	} else {
		fprintf(f, "%s: unknown option '-%c'\n", prog, optopt);
	}
	fprintf(f, "Try '%s --help' for the options.\n", prog);
}
