/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The sign-bin modes: one cmd_* per file, found through one table. */
#ifndef ESPOTA_SIGN_COMMANDS_H
#define ESPOTA_SIGN_COMMANDS_H

#include <stdbool.h>
#include <stdio.h>

#include "log.h"

/* Exit statuses. */
#define SIGN_EXIT_OK 0
#define SIGN_EXIT_FAIL 1  /* the operation failed, or verify found the file invalid */
#define SIGN_EXIT_USAGE 2 /* bad command line */

/* Everything the command line says, as main parsed it. */
struct sign_options {
	const char *mode;
	const char *bin;
	const char *out;
	const char *legacy;
	const char *publickey;
	const char *privatekey;
	unsigned bits;           /* keygen; 0 = default */
	bool json;               /* info */
	bool compress;           /* sign */
	FILE *out_stream;        /* reports (info, verify) */
	const struct logger *lg; /* errors, warnings, -v notes; "sign-bin: " prefix */
};

typedef int (*sign_cmd_fn)(const struct sign_options *opt);

struct sign_command {
	const char *name;
	sign_cmd_fn run;
	const char *synopsis;
};

int cmd_header(const struct sign_options *opt);
int cmd_sign(const struct sign_options *opt);
int cmd_verify(const struct sign_options *opt);
int cmd_keygen(const struct sign_options *opt);
int cmd_info(const struct sign_options *opt);

/* The mode called name, or NULL. */
const struct sign_command *sign_command_find(const char *name);
/* Writes the usage text (every mode's synopsis) to f. */
void sign_usage(FILE *f);

#endif
