/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * espota-device run: the device powered on and serving. eboot runs first
 * (as at every power-on), then the OTA agent listens for ArduinoOTA
 * uploads; an update that succeeds resets the device, eboot installs the
 * new image and the agent serves again. Events are printed one per line
 * on stdout as the sketch's ArduinoOTA callbacks would see them.
 *
 * The loop is the port's: each turn collects what every service waits for
 * into one poll set, waits in hal_poll, then lets each service handle its
 * slice. The agent is the only service so far; the web updater, the pull
 * client and mDNS are meant to take their own slices of the same set.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "app_image.h"
#include "device.h"
#include "device_cmds.h"
#include "device_state.h"
#include "device_status.h"
#include "eboot.h"
#include "hal_net.h"
#include "hal_posix.h"
#include "ota_auth.h"

#define RUN_DEFAULT_PORT 8266
#define RUN_DEFAULT_RX_WINDOW 5840u /* lwIP TCP_WND: 4 x 1460 */
#define RUN_MAX_RESETS 8            /* eboot resets in a row before giving up */
#define RUN_POLL_SET 16             /* room for every service's sockets */

static const char usage_text[] =
	"usage: espota-device run --flash F [--bind ADDR] [--port P]\n"
	"                         [--password P | --password-hash HEX] [--auth-scheme md5|sha256]\n"
	"                         [--rx-window BYTES] [--flash-timing esp8266|none]\n"
	"                         [--stream-timeout MS] [--once]\n";

/* Set by the signal handler only; the loop reads it between turns. */
static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

struct run_options {
	const char *flash;
	const char *bind;
	uint32_t bind_ip;
	uint16_t port;
	const char *password;
	const char *password_hash;
	enum ota_auth_scheme scheme;
	uint32_t rx_window;
	bool esp8266_timing;
	uint32_t stream_timeout_ms;
	bool once;
};

/* What the callbacks need, and what the loop learns from them. */
struct run_events {
	FILE *out;
	struct agent *agent;
	bool failed; /* an error callback since the last look */
};

static void ev_start(void *ctx)
{
	struct run_events *ev = ctx;
	const struct agent *a = ev->agent;
	struct in_addr ip = { htonl(a->ota_ip) };

	fprintf(ev->out, "start %s %lu bytes from %s:%u md5 %s\n",
		a->invite.command == 100 ? "filesystem" : "flash", (unsigned long)a->invite.size,
		inet_ntoa(ip), a->invite.host_port, a->invite.md5);
}

static void ev_progress(void *ctx, uint32_t done, uint32_t total)
{
	struct run_events *ev = ctx;

	fprintf(ev->out, "progress %lu/%lu\n", (unsigned long)done, (unsigned long)total);
}

static void ev_end(void *ctx)
{
	struct run_events *ev = ctx;

	fprintf(ev->out, "end\n");
}

static void ev_error(void *ctx, enum agent_error err)
{
	struct run_events *ev = ctx;
	const char *text = agent_error_text(ev->agent);

	ev->failed = true;
	if ((err == AGENT_BEGIN_ERROR || err == AGENT_END_ERROR) && text[0])
		fprintf(ev->out, "error %s: %s\n", agent_error_name(err), text);
	else
		fprintf(ev->out, "error %s\n", agent_error_name(err));
}

static int parse_u32(const char *opt, const char *arg, uint32_t max, uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-' || v > max) {
		fprintf(stderr, "%s run: bad %s '%s': give a number from 0 to %lu\n", DEVICE_PROG,
			opt, arg, (unsigned long)max);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

static int parse_options(int argc, char **argv, struct run_options *o)
{
	static const struct option opts[] = {
		{ "flash", required_argument, NULL, 'f' },
		{ "bind", required_argument, NULL, 'b' },
		{ "port", required_argument, NULL, 'p' },
		{ "password", required_argument, NULL, 'P' },
		{ "password-hash", required_argument, NULL, 'H' },
		{ "auth-scheme", required_argument, NULL, 'A' },
		{ "rx-window", required_argument, NULL, 'w' },
		{ "flash-timing", required_argument, NULL, 't' },
		{ "stream-timeout", required_argument, NULL, 'T' },
		{ "once", no_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint32_t v;
	int c;

	memset(o, 0, sizeof(*o));
	o->bind = "0.0.0.0";
	o->port = RUN_DEFAULT_PORT;
	o->rx_window = RUN_DEFAULT_RX_WINDOW;
	o->stream_timeout_ms = AGENT_STREAM_TIMEOUT_MS;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'f': o->flash = optarg; break;
		case 'b': o->bind = optarg; break;
		case 'p':
			if (parse_u32("--port", optarg, 65535, &v))
				return -1;
			o->port = (uint16_t)v;
			break;
		case 'P': o->password = optarg; break;
		case 'H': o->password_hash = optarg; break;
		case 'A':
			if (strcmp(optarg, "md5") == 0) {
				o->scheme = OTA_AUTH_MD5;
			} else if (strcmp(optarg, "sha256") == 0) {
				o->scheme = OTA_AUTH_SHA256;
			} else {
				fprintf(stderr, "%s run: unknown --auth-scheme '%s': use md5 or "
						"sha256\n", DEVICE_PROG, optarg);
				return -1;
			}
			break;
		case 'w':
			if (parse_u32("--rx-window", optarg, 1u << 24, &v))
				return -1;
			o->rx_window = v;
			break;
		case 't':
			if (strcmp(optarg, "esp8266") == 0) {
				o->esp8266_timing = true;
			} else if (strcmp(optarg, "none") == 0) {
				o->esp8266_timing = false;
			} else {
				fprintf(stderr, "%s run: unknown --flash-timing '%s': use esp8266 or "
						"none\n", DEVICE_PROG, optarg);
				return -1;
			}
			break;
		case 'T':
			if (parse_u32("--stream-timeout", optarg, 24u * 3600u * 1000u, &v))
				return -1;
			if (v == 0) {
				fprintf(stderr, "%s run: bad --stream-timeout '0': give milliseconds "
						"from 1\n", DEVICE_PROG);
				return -1;
			}
			o->stream_timeout_ms = v;
			break;
		case 'o': o->once = true; break;
		case 'h': fputs(usage_text, stdout); return 1;
		default: fputs(usage_text, stderr); return -1;
		}
	}
	if (!o->flash || optind != argc) {
		fprintf(stderr, "%s run: give --flash and options only\n%s", DEVICE_PROG, usage_text);
		return -1;
	}
	if (o->password && o->password_hash) {
		fprintf(stderr, "%s run: give --password or --password-hash, not both\n",
			DEVICE_PROG);
		return -1;
	}
	if (o->password_hash && strlen(o->password_hash) > OTA_AUTH_STORED_MAX) {
		fprintf(stderr, "%s run: --password-hash is longer than %u characters: give the "
				"32 hex digits of md5(password) (or 64 of sha256)\n",
			DEVICE_PROG, OTA_AUTH_STORED_MAX);
		return -1;
	}
	{
		struct in_addr ip;

		if (inet_pton(AF_INET, o->bind, &ip) != 1) {
			fprintf(stderr, "%s run: bad --bind '%s': give an IPv4 address such as "
					"0.0.0.0 or 127.0.0.1\n", DEVICE_PROG, o->bind);
			return -1;
		}
		o->bind_ip = ntohl(ip.s_addr);
	}
	return 0;
}

/* The stored password hash, as setPassword / setPasswordHash leave it:
 * flags first, then the device's configuration from init. */
static void agent_password(const struct run_options *o, const struct device *d,
			   struct agent_config *ac)
{
	const char *hash = NULL;

	ac->password_hash[0] = '\0';
	if (o->password) {
		ota_auth_password_hash(o->scheme, o->password, strlen(o->password),
				       ac->password_hash);
		return;
	}
	if (o->password_hash)
		hash = o->password_hash;
	else if (d->cfg.password_md5[0])
		hash = d->cfg.password_md5;
	if (hash) {
		size_t n = strlen(hash);

		memcpy(ac->password_hash, hash, n + 1);
		for (size_t i = 0; i < n; i++)
			if (hash[i] >= 'A' && hash[i] <= 'F') {
				fprintf(stderr, "%s run: warning: the password hash has upper-case "
						"hex, which no uploader's response matches (the "
						"device compares text): give it in lower case\n",
					DEVICE_PROG);
				break;
			}
	}
}

/* One power-on: eboot until it decides, then the boot ROM's image check.
 * Prints what runs. Returns DEVICE_EXIT_OK or a failure status. */
static int power_on(struct device *d, FILE *out)
{
	struct eboot_work *w = malloc(sizeof(*w));
	enum eboot_status st = EBOOT_OK;
	struct app_image_info info;
	struct device_status ds;
	uint32_t offset = 0;
	enum app_image_error ie;

	if (!w) {
		fprintf(stderr, "%s run: out of memory\n", DEVICE_PROG);
		return DEVICE_EXIT_FAIL;
	}
	for (int resets = 0; resets <= RUN_MAX_RESETS; resets++) {
		st = eboot_run(d->hal, &d->layout, w, &offset);
		if (st == EBOOT_OK || st == EBOOT_EPOWER || hal_posix_power_lost(d->hal))
			break;
		fprintf(stderr, "%s run: eboot: %s: resetting\n", DEVICE_PROG, eboot_strerror(st));
	}
	free(w);
	if (st != EBOOT_OK) {
		fprintf(stderr, "%s run: eboot failed (%s): the device is stuck; reflash it with "
				"'espota-device init'\n", DEVICE_PROG, eboot_strerror(st));
		return DEVICE_EXIT_FAIL;
	}
	ie = app_image_check(d->hal, offset + FLASH_APP_START, &info);
	if (ie != APP_IMAGE_OK) {
		fprintf(stderr, "%s run: no bootable app at 0x%06lx: %s: reflash the device\n",
			DEVICE_PROG, (unsigned long)(offset + FLASH_APP_START),
			app_image_strerror(ie));
		return DEVICE_EXIT_FAIL;
	}
	if (device_status_read(d, &ds) != 0) {
		fprintf(stderr, "%s run: cannot read the flash of '%s'\n", DEVICE_PROG,
			d->paths.flash);
		return DEVICE_EXIT_FAIL;
	}
	fprintf(out, "running app at 0x%06lx: %lu bytes, md5 %s\n", (unsigned long)offset,
		(unsigned long)ds.app_size, ds.app_md5);
	return DEVICE_EXIT_OK;
}

/* A filesystem image written in place leaves no trace on the device that
 * says how long it is; note it for `status`, as `stage --fs` does. */
static void record_fs_upload(struct device *d, const struct agent *a)
{
	struct device_state s;

	if (a->invite.command != UPDATE_CMD_FS || d->cfg.atomic_fs)
		return;
	device_state_load(&s, &d->paths);
	s.fs_size = a->invite.size;
	if (device_state_save(&s, &d->paths) != 0)
		fprintf(stderr, "%s run: warning: cannot record the upload in '%s': %s\n",
			DEVICE_PROG, d->paths.state, strerror(errno));
}

static int start_agent(struct agent *a, struct device *d, struct updater *u,
		       const struct agent_config *ac, const struct agent_callbacks *cb)
{
	int rc;

	updater_init(u, d->hal, &d->ucfg, NULL);
	rc = agent_begin(a, d->hal, u, ac, cb);
	if (rc < 0)
		fprintf(stderr, "%s run: cannot listen on UDP port %u: %s: stop the program "
				"using it or give another --port\n",
			DEVICE_PROG, ac->port, errno ? strerror(errno) : "network error");
	return rc;
}

static bool attempt_over(enum agent_state s)
{
	return s == AGENT_IDLE || s == AGENT_WAITAUTH;
}

/* Serves until a stop signal, or with once until the first attempt ends. */
static int serve(const struct run_options *o, struct device *d, FILE *out)
{
	struct agent *a = calloc(1, sizeof(*a));
	struct updater *u = calloc(1, sizeof(*u));
	struct agent_config ac = { 0 };
	struct run_events ev = { out, a, false };
	struct agent_callbacks cb = { ev_start, ev_progress, ev_end, ev_error, &ev };
	bool busy = false;
	int rc = DEVICE_EXIT_FAIL;

	if (!a || !u) {
		fprintf(stderr, "%s run: out of memory\n", DEVICE_PROG);
		goto out;
	}
	ac.bind_ip = o->bind_ip;
	ac.port = o->port;
	ac.scheme = o->scheme;
	ac.reboot_on_success = true;
	ac.stream_timeout_ms = o->stream_timeout_ms;
	agent_password(o, d, &ac);
	if (start_agent(a, d, u, &ac, &cb) < 0)
		goto out;
	/* After a reset the device listens on the same port again. */
	ac.port = agent_port(a);
	fprintf(out, "listening on %s:%u\n", o->bind, agent_port(a));
	fprintf(stderr, "%s run: authentication %s\n", DEVICE_PROG,
		ac.password_hash[0] ? (o->scheme == OTA_AUTH_SHA256 ? "sha256/pbkdf2" : "md5")
				    : "off");

	while (!stop_requested) {
		struct hal_pollset set[RUN_POLL_SET];
		uint32_t wait = 1000; /* wakes now and then even when all is quiet */
		size_t n;
		enum agent_state s;

		n = agent_poll_set(a, set, RUN_POLL_SET, hal_millis(d->hal), &wait);
		if (hal_poll(d->hal, set, n, wait) < 0) {
			fprintf(stderr, "%s run: waiting on the network failed\n", DEVICE_PROG);
			goto out;
		}
		ev.failed = false;
		agent_step(a, set, n, hal_millis(d->hal));
		s = agent_get_state(a);

		if (s == AGENT_RESET) {
			record_fs_upload(d, a);
			agent_stop(a);
			hal_posix_clear_reset(d->hal);
			fprintf(out, "rebooting\n");
			rc = power_on(d, out);
			if (rc != DEVICE_EXIT_OK || o->once)
				goto out;
			if (start_agent(a, d, u, &ac, &cb) < 0) {
				rc = DEVICE_EXIT_FAIL;
				goto out;
			}
			busy = false;
			continue;
		}
		if (!attempt_over(s)) {
			busy = true;
		} else if (busy || ev.failed) {
			/* Refused (auth, begin) or failed: the image is untouched. */
			busy = false;
			if (o->once) {
				rc = DEVICE_EXIT_FAIL;
				goto out;
			}
		}
	}
	fprintf(stderr, "%s run: stopped\n", DEVICE_PROG);
	rc = o->once ? DEVICE_EXIT_FAIL : DEVICE_EXIT_OK;
out:
	if (a)
		agent_stop(a);
	fflush(out);
	free(a);
	free(u);
	return rc;
}

int cmd_run(int argc, char **argv)
{
	struct run_options o;
	struct device_power power = { .cut_after = -1 };
	struct sigaction sa;
	struct device d;
	char err[512];
	int rc;

	rc = parse_options(argc, argv, &o);
	if (rc != 0)
		return rc > 0 ? DEVICE_EXIT_OK : DEVICE_EXIT_USAGE;
	/* Tests read "listening on" while the device runs. */
	setvbuf(stdout, NULL, _IOLBF, 0);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: the signal must cut hal_poll's wait short. */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	power.esp8266_timing = o.esp8266_timing;
	if (device_open(&d, o.flash, &power, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s run: %s\n", DEVICE_PROG, err);
		return DEVICE_EXIT_FAIL;
	}
	if (hal_net_set_rx_window(d.hal, o.rx_window) != HAL_OK) {
		fprintf(stderr, "%s run: out of memory\n", DEVICE_PROG);
		device_close(&d);
		return DEVICE_EXIT_FAIL;
	}
	/* Power-on: eboot first, as on the chip. Its line goes to stderr so
	 * that "listening on" is the first line on stdout. */
	rc = power_on(&d, stderr);
	if (rc != DEVICE_EXIT_OK) {
		device_close(&d);
		return rc;
	}
	rc = serve(&o, &d, stdout);
	device_close(&d);
	return rc;
}
