/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * espota-device run: the device powered on and serving. eboot runs first
 * (as at every power-on), then the device's loop (device_loop.h) serves
 * the OTA agent (agent_service.h); an update that succeeds resets the
 * device, eboot installs the new image and the agent serves again.
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "agent_service.h"
#include "cliopt.h"
#include "cmd_options.h"
#include "device_boot.h"
#include "device_cmds.h"
#include "device_loop.h"
#include "device_password.h"
#include "hal_net.h"

#define PROG DEVICE_PROG " run"
#define RUN_DEFAULT_PORT 8266
#define RUN_DEFAULT_RX_WINDOW 5840u /* lwIP TCP_WND: 4 x 1460 */

static const char usage_text[] =
	"usage: espota-device run --flash F [--bind ADDR] [--port P]\n"
	"                         [--password P | --password-file FILE | --password-hash HEX]\n"
	"                         [--auth-scheme md5|sha256] [--rx-window BYTES]\n"
	"                         [--flash-timing esp8266|none] [--stream-timeout MS] [--once]\n"
	"The password may also come from the environment (" DEVICE_PASSWORD_ENV ").\n";

/* Set by the signal handler only; the loop reads it between turns. */
static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

struct run_options {
	const char *flash;
	struct agent_service_config agent;
	struct device_power power;
	char *password;       /* copy of --password, blanked in argv */
	char *password_hash;  /* copy of --password-hash, blanked in argv */
	const char *password_file;
	uint32_t rx_window;
	bool once;
};

static void free_options(struct run_options *o)
{
	device_password_free(o->password);
	device_password_free(o->password_hash);
	o->password = o->password_hash = NULL;
}

/* Returns 0, 1 after --help, or -1 after a message. */
static int parse_options(int argc, char **argv, struct run_options *o)
{
	static const struct option opts[] = {
		{ "flash", required_argument, NULL, 'f' },
		{ "bind", required_argument, NULL, 'b' },
		{ "port", required_argument, NULL, 'p' },
		{ "password", required_argument, NULL, 'P' },
		{ "password-file", required_argument, NULL, 'F' },
		{ "password-hash", required_argument, NULL, 'H' },
		{ "auth-scheme", required_argument, NULL, 'A' },
		{ "rx-window", required_argument, NULL, 'w' },
		{ "flash-timing", required_argument, NULL, CMD_OPT_FLASH_TIMING },
		{ "stream-timeout", required_argument, NULL, 'T' },
		{ "once", no_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *bind = "0.0.0.0";
	struct in_addr ip;
	uint32_t v;
	int c;

	memset(o, 0, sizeof(*o));
	o->agent.port = RUN_DEFAULT_PORT;
	o->agent.stream_timeout_ms = AGENT_STREAM_TIMEOUT_MS;
	o->power.cut_after = -1;
	o->rx_window = RUN_DEFAULT_RX_WINDOW;
	opterr = 0; /* glibc's message would echo a mistyped --password=VALUE */
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'f': o->flash = optarg; break;
		case 'b': bind = optarg; break;
		case 'p':
			if (cmd_parse_u32(PROG, "--port", optarg, 65535, &v))
				return -1;
			o->agent.port = (uint16_t)v;
			break;
		case 'P':
			if (cmd_take_secret(optarg, &o->password, PROG) != 0)
				return -1;
			break;
		case 'F': o->password_file = optarg; break;
		case 'H':
			/* as good as the password to an MD5 uploader: kept out of ps too */
			if (cmd_take_secret(optarg, &o->password_hash, PROG) != 0)
				return -1;
			break;
		case 'A':
			if (strcmp(optarg, "md5") == 0) {
				o->agent.scheme = OTA_AUTH_MD5;
			} else if (strcmp(optarg, "sha256") == 0) {
				o->agent.scheme = OTA_AUTH_SHA256;
			} else {
				fprintf(stderr, "%s: unknown --auth-scheme '%s': use md5 or sha256\n",
					PROG, optarg);
				return -1;
			}
			break;
		case 'w':
			if (cmd_parse_u32(PROG, "--rx-window", optarg, 1u << 24, &v))
				return -1;
			o->rx_window = v;
			break;
		case CMD_OPT_FLASH_TIMING:
			if (cmd_power_option(c, optarg, &o->power, PROG) != 0)
				return -1;
			break;
		case 'T':
			if (cmd_parse_u32(PROG, "--stream-timeout", optarg, 24u * 3600u * 1000u, &v))
				return -1;
			if (v == 0) {
				fprintf(stderr, "%s: bad --stream-timeout '0': give milliseconds from 1\n",
					PROG);
				return -1;
			}
			o->agent.stream_timeout_ms = v;
			break;
		case 'o': o->once = true; break;
		case 'h': fputs(usage_text, stdout); return 1;
		default: cliopt_complain(stderr, PROG, c, argv, opts); return -1;
		}
	}
	if (!o->flash || optind != argc) {
		fprintf(stderr, "%s: give --flash and options only\n%s", PROG, usage_text);
		return -1;
	}
	if ((o->password || o->password_file) && o->password_hash) {
		fprintf(stderr, "%s: give --%s or --password-hash, not both\n", PROG,
			o->password ? "password" : "password-file");
		return -1;
	}
	if (o->password_hash && strlen(o->password_hash) > OTA_AUTH_STORED_MAX) {
		fprintf(stderr, "%s: --password-hash is longer than %u characters: give the 32 hex "
				"digits of md5(password) (or 64 of sha256)\n",
			PROG, OTA_AUTH_STORED_MAX);
		return -1;
	}
	if (inet_pton(AF_INET, bind, &ip) != 1) {
		fprintf(stderr, "%s: bad --bind '%s': give an IPv4 address such as 0.0.0.0 or "
				"127.0.0.1\n", PROG, bind);
		return -1;
	}
	o->agent.bind_ip = ntohl(ip.s_addr);
	return 0;
}

static void catch_stop_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: the signal must cut hal_poll's wait short. */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
}

/* Power-on, then the loop over the services. */
static enum device_error run(struct run_options *o, const struct logger *lg)
{
	struct device_loop_opts lo = { stdout, &stop_requested, o->once };
	struct agent_service *agent = NULL;
	struct device_service *svc[1];
	struct device_boot boot;
	struct device d;
	char err[512], *password = NULL;
	enum device_error rc;

	/* An explicit --password-hash beats the environment. */
	if (device_password_pick(o->password, o->password_file,
				 o->password_hash ? NULL : getenv(DEVICE_PASSWORD_ENV), &password,
				 lg) != 0)
		return DEVICE_ERR_FAILED;
	o->agent.password = password;
	o->agent.password_hash = o->password_hash;
	o->agent.events = stdout;
	agent = agent_service_new(&o->agent, lg);
	device_password_free(password);
	o->agent.password = NULL;
	free_options(o);
	if (!agent)
		return DEVICE_ERR_FAILED;

	if (device_open(&d, o->flash, &o->power, err, sizeof(err)) != 0) {
		log_error(lg, "%s", err);
		agent_service_free(agent);
		return DEVICE_ERR_FAILED;
	}
	rc = DEVICE_ERR_FAILED;
	if (hal_net_set_rx_window(d.hal, o->rx_window) != HAL_OK) {
		log_error(lg, "out of memory");
		goto out;
	}
	/* Power-on: eboot first, as on the chip. Its line goes to stderr so
	 * that "listening on" is the first line on stdout. */
	rc = device_power_on(&d, lg, &boot);
	if (rc != DEVICE_OK)
		goto out;
	device_print_running(stderr, &boot);
	svc[0] = agent_service_hooks(agent);
	rc = device_loop_run(&d, svc, 1, &lo, lg);
out:
	device_close(&d);
	agent_service_free(agent);
	return rc;
}

int cmd_run(int argc, char **argv)
{
	struct run_options o;
	struct logger lg;
	int rc;

	rc = parse_options(argc, argv, &o);
	if (rc != 0) {
		free_options(&o);
		return rc > 0 ? DEVICE_EXIT_OK : DEVICE_EXIT_USAGE;
	}
	/* Tests read "listening on" while the device runs. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	catch_stop_signals();
	cmd_logger(&lg, PROG);
	return cmd_exit_status(run(&o, &lg));
}
