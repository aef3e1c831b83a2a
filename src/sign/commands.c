/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "commands.h"

#include <string.h>

static const struct sign_command commands[] = {
    {"header", cmd_header, "-m header -p PUBLIC.key -o Updater_Signing.h"},
    {"sign", cmd_sign,
     "-m sign -s PRIVATE.key -b IMAGE.bin -o IMAGE.bin.signed [-l IMAGE.bin.legacy_sig] "
     "[--compress] [-v]"},
    {"verify", cmd_verify, "-m verify -p PUBLIC.key -b IMAGE.bin.signed"},
    {"keygen", cmd_keygen, "-m keygen -s PRIVATE.key -p PUBLIC.key [--bits 2048|3072|4096]"},
    {"info", cmd_info, "-m info -b IMAGE [-p PUBLIC.key] [--json]"},
};

const struct sign_command *sign_command_find(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

void sign_usage(FILE *f)
{
	fputs("usage:\n", f);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  sign-bin %s\n", commands[i].synopsis);
	fputs("options: -m/--mode, -b/--bin, -o/--out, -l/--legacy, -p/--publickey, "
	      "-s/--privatekey,\n"
	      "         --bits, --compress, --json, -v/--verbose, -h/--help, --version\n"
	      "See sign-bin(1).\n",
	      f);
}
