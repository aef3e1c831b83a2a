/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* espota-device init: a device fresh from the serial flasher
 * (device_create.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cliopt.h"
#include "cmd_options.h"
#include "device_cmds.h"
#include "device_create.h"
#include "device_password.h"

#define PROG DEVICE_PROG " init"

static const char usage_text[] =
	"usage: espota-device init --flash F --size 1M|2M|4M [--flash-mode qio|qout|dio|dout]\n"
	"                          [--app IMAGE] [--sign-key PUBLIC.pem [--accept-legacy]]\n"
	"                          [--password P | --password-file FILE] [--hostname H]\n"
	"                          [--atomic-fs] [--no-stage2]\n"
	"The password may also come from the environment (" DEVICE_PASSWORD_ENV ").\n";

struct init_opts {
	struct device_create_opts create;
	const char *size;
	char *password;  /* copy of --password, blanked in argv */
	const char *password_file;
};

static uint32_t parse_size(const char *s)
{
	if (strcmp(s, "1M") == 0)
		return 0x100000u;
	if (strcmp(s, "2M") == 0)
		return 0x200000u;
	if (strcmp(s, "4M") == 0)
		return 0x400000u;
	return 0;
}

/* Returns 0, 1 after --help, or -1 after a message. */
static int parse(int argc, char **argv, struct init_opts *o)
{
	static const struct option opts[] = {
		{ "flash", required_argument, NULL, 'f' },
		{ "size", required_argument, NULL, 's' },
		{ "flash-mode", required_argument, NULL, 'm' },
		{ "app", required_argument, NULL, 'a' },
		{ "sign-key", required_argument, NULL, 'k' },
		{ "accept-legacy", no_argument, NULL, 'L' },
		{ "password", required_argument, NULL, 'p' },
		{ "password-file", required_argument, NULL, 'F' },
		{ "hostname", required_argument, NULL, 'H' },
		{ "atomic-fs", no_argument, NULL, 'A' },
		{ "no-stage2", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct device_create_opts *c = &o->create;
	const char *mode = NULL;
	int opt;

	memset(o, 0, sizeof(*o));
	c->flash_mode = -1;
	opterr = 0; /* glibc's message would echo a mistyped --password=VALUE */
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (opt) {
		case 'f': c->flash = optarg; break;
		case 's': o->size = optarg; break;
		case 'm': mode = optarg; break;
		case 'a': c->app = optarg; break;
		case 'k': c->sign_key = optarg; break;
		case 'L': c->accept_legacy = true; break;
		case 'p':
			if (cmd_take_secret(optarg, &o->password, PROG) != 0)
				return -1;
			break;
		case 'F': o->password_file = optarg; break;
		case 'H': c->hostname = optarg; break;
		case 'A': c->atomic_fs = true; break;
		case 'S': c->no_stage2 = true; break;
		case 'h': fputs(usage_text, stdout); return 1;
		default: cliopt_complain(stderr, PROG, opt, argv, opts); return -1;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n%s", PROG, argv[optind], usage_text);
		return -1;
	}
	if (!c->flash || !o->size) {
		fprintf(stderr, "%s: --flash and --size are required\n%s", PROG, usage_text);
		return -1;
	}
	c->flash_size = parse_size(o->size);
	if (c->flash_size == 0) {
		fprintf(stderr, "%s: unknown flash size '%s': use 1M, 2M or 4M\n", PROG, o->size);
		return -1;
	}
	if (mode && (c->flash_mode = device_flash_mode_parse(mode)) < 0) {
		fprintf(stderr, "%s: unknown flash mode '%s': use qio, qout, dio or dout\n", PROG,
			mode);
		return -1;
	}
	return 0;
}

int cmd_init(int argc, char **argv)
{
	struct init_opts o;
	struct device_created made;
	struct logger lg;
	char *password = NULL;
	enum device_error err;
	int rc;

	cmd_logger(&lg, PROG);
	rc = parse(argc, argv, &o);
	if (rc != 0) {
		device_password_free(o.password);
		return rc > 0 ? DEVICE_EXIT_OK : DEVICE_EXIT_USAGE;
	}
	rc = device_password_pick(o.password, o.password_file, getenv(DEVICE_PASSWORD_ENV),
				  &password, &lg);
	device_password_free(o.password);
	if (rc != 0)
		return DEVICE_EXIT_FAIL;
	o.create.password = password;
	err = device_create(&o.create, &made, &lg);
	device_password_free(password);
	if (err != DEVICE_OK)
		return cmd_exit_status(err);
	printf("initialised '%s': %s chip, %s, app %zu bytes%s, hostname %s%s%s%s%s\n",
	       made.paths.flash, o.size, device_flash_mode_name(made.cfg.flash_mode), made.app_len,
	       o.create.app ? "" : " (built-in sample)", made.cfg.hostname,
	       made.cfg.password_md5[0] ? ", password set" : "",
	       made.cfg.signing ? ", signing on" : "", made.cfg.atomic_fs ? ", atomic FS" : "",
	       o.create.no_stage2 ? ", no eboot stage 2" : "");
	return DEVICE_EXIT_OK;
}
