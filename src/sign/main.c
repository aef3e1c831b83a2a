/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sign-bin: options of esp8266 tools/signing.py, plus verify, keygen and
 * info. main only parses the command line and calls the mode. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "commands.h"

#ifndef ESPOTA_VERSION
#define ESPOTA_VERSION "unknown"
#endif

enum { OPT_BITS = 256, OPT_COMPRESS, OPT_JSON, OPT_VERSION };

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"mode", required_argument, NULL, 'm'},
	    {"bin", required_argument, NULL, 'b'},
	    {"out", required_argument, NULL, 'o'},
	    {"legacy", required_argument, NULL, 'l'},
	    {"publickey", required_argument, NULL, 'p'},
	    {"privatekey", required_argument, NULL, 's'},
	    {"bits", required_argument, NULL, OPT_BITS},
	    {"compress", no_argument, NULL, OPT_COMPRESS},
	    {"json", no_argument, NULL, OPT_JSON},
	    {"verbose", no_argument, NULL, 'v'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, OPT_VERSION},
	    {NULL, 0, NULL, 0},
	};
	struct sign_options opt = {0};
	const struct sign_command *cmd;
	struct logger lg;
	bool verbose = false;
	char *end;
	int c;

	/* No openssl.cnf: sign-bin needs only the default provider, and
	 * reading the system's configuration is time every run would pay. */
	OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, NULL);
	opt.out_stream = stdout;
	while ((c = getopt_long(argc, argv, "m:b:o:l:p:s:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'm':
			opt.mode = optarg;
			break;
		case 'b':
			opt.bin = optarg;
			break;
		case 'o':
			opt.out = optarg;
			break;
		case 'l':
			opt.legacy = optarg;
			break;
		case 'p':
			opt.publickey = optarg;
			break;
		case 's':
			opt.privatekey = optarg;
			break;
		case OPT_BITS: {
			unsigned long v = strtoul(optarg, &end, 10);

			if (*optarg == '\0' || *end != '\0' || v == 0 || v > 65536) {
				fprintf(
				    stderr,
				    "sign-bin: bad key size '%s': use --bits 2048, 3072 or 4096\n",
				    optarg);
				return SIGN_EXIT_USAGE;
			}
			opt.bits = (unsigned)v;
			break;
		}
		case OPT_COMPRESS:
			opt.compress = true;
			break;
		case OPT_JSON:
			opt.json = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			sign_usage(stdout);
			return SIGN_EXIT_OK;
		case OPT_VERSION:
			printf("sign-bin %s\n", ESPOTA_VERSION);
			return SIGN_EXIT_OK;
		default:
			sign_usage(stderr);
			return SIGN_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr,
		        "sign-bin: unexpected argument '%s'; every input is given by an option\n",
		        argv[optind]);
		return SIGN_EXIT_USAGE;
	}
	log_init(&lg, "sign-bin", stderr, verbose ? LOG_DEBUG : LOG_INFO, LOG_STYLE_PLAIN);
	opt.lg = &lg;
	if (!opt.mode) {
		fputs("sign-bin: no mode given; use --mode header, sign, verify, keygen or info\n",
		      stderr);
		return SIGN_EXIT_USAGE;
	}
	cmd = sign_command_find(opt.mode);
	if (!cmd) {
		fprintf(stderr,
		        "sign-bin: unknown mode '%s'; use header, sign, verify, keygen or info\n",
		        opt.mode);
		return SIGN_EXIT_USAGE;
	}
	if (opt.compress && strcmp(opt.mode, "sign") != 0) {
		fputs("sign-bin: --compress works with --mode sign only\n", stderr);
		return SIGN_EXIT_USAGE;
	}
	if (opt.legacy && strcmp(opt.mode, "sign") != 0) {
		fputs("sign-bin: --legacy works with --mode sign only\n", stderr);
		return SIGN_EXIT_USAGE;
	}
	return cmd->run(&opt);
}
