/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * espota-c: upload an image to an ArduinoOTA device. Accepts every option
 * of esp8266's and arduino-esp32's tools/espota.py with the same meaning
 * and defaults. This file only turns the command line into a config and
 * reports the result.
 */
#include <errno.h>
#include <getopt.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cliopt.h"
#include "espota.h"

#define PROG "espota-c"

struct cli {
	struct espota_config cfg;
	char *auth_copy;       /* -a, copied before argv is blanked */
	bool debug, progress, json;
	struct espota_result r; /* a refused command line is reported here */
};

static void usage(FILE *f)
{
	fputs("usage: espota-c -i ESP_IP -f FILE [options]\n"
	      "\n"
	      "Transmit an image over the air to an ESP8266/ESP32 running ArduinoOTA.\n"
	      "\n"
	      "Destination:\n"
	      "  -i, --ip ESP_IP         device IP address or host name (.local via mDNS)\n"
	      "  -I, --host_ip HOST_IP   address the host listens on (default 0.0.0.0)\n"
	      "  -p, --port PORT         device OTA port (default 8266; esp32: 3232)\n"
	      "  -P, --host_port PORT    host TCP port (default random 10000-60000; 0 = any free)\n"
	      "Authentication:\n"
	      "  -a, --auth PASSWORD     password (--auth= empty: none)\n"
	      "      --auth-file FILE    read the password from the first line of FILE\n"
	      "                          (also: environment ESPOTA_PASSWORD)\n"
	      "  -m, --md5-target        esp32 3.3.1+: use only the MD5 password hash\n"
	      "Image:\n"
	      "  -f, --file FILE         image file (FILE.signed is sent instead if it exists)\n"
	      "  -s, --spiffs            the image is a filesystem image (command 100)\n"
	      "      --compress          gzip the image before sending (libdeflate level 12)\n"
	      "Transfer:\n"
	      "  -t, --timeout SECONDS   wait this long for an answer to the invitation (default 10)\n"
	      "      --wait SECONDS      keep inviting up to SECONDS for a device still booting\n"
	      "      --stop-and-wait     send a chunk, wait for its ack (espota.py's pattern)\n"
	      "      --chunk-size N      chunk for --stop-and-wait (default 1460)\n"
	      "Output:\n"
	      "  -d, --debug             debug log (never shows the password)\n"
	      "  -r, --progress          progress lines as espota.py prints them\n"
	      "      --json              print one JSON summary object on stdout\n"
	      "  -h, --help              this help\n"
	      "  -V, --version           print the version\n",
	      f);
}

/* True (and c->r says why) when s is not a whole number in [lo, hi]. */
static bool parse_num(struct cli *c, const char *opt, const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi) {
		espota_result_fail(&c->r, ESPOTA_ERR_USAGE,
				   "invalid value '%s' for %s: give a whole number from %ld to %ld", s,
				   opt, lo, hi);
		return true;
	}
	*out = v;
	return false;
}

/* Keeps -a for the config and blanks it in argv, so ps and /proc show no
 * password (as curl does). 0, or -1 out of memory. */
static int take_auth(struct cli *c, char *arg)
{
	free(c->auth_copy);
	c->auth_copy = strdup(arg);
	memset(arg, ' ', strlen(arg));
	if (!c->auth_copy) {
		espota_result_fail(&c->r, ESPOTA_ERR_NOMEM, "out of memory");
		return -1;
	}
	c->cfg.password = c->auth_copy;
	return 0;
}

/* 0 go on, 1 done (help/version), -1 a refused command line (c->r says
 * why). After an error the rest is still read for --json, which reports
 * it, and for -a, which is still blanked. */
static int parse(int argc, char **argv, struct cli *c)
{
	enum { O_AUTH_FILE = 256, O_COMPRESS, O_STOP_AND_WAIT, O_CHUNK, O_JSON, O_WAIT };
	static const struct option longopts[] = {
		{ "ip", required_argument, NULL, 'i' },
		{ "host_ip", required_argument, NULL, 'I' },
		{ "port", required_argument, NULL, 'p' },
		{ "host_port", required_argument, NULL, 'P' },
		{ "auth", required_argument, NULL, 'a' },
		{ "file", required_argument, NULL, 'f' },
		{ "spiffs", no_argument, NULL, 's' },
		{ "debug", no_argument, NULL, 'd' },
		{ "progress", no_argument, NULL, 'r' },
		{ "timeout", required_argument, NULL, 't' },
		{ "md5-target", no_argument, NULL, 'm' },
		{ "auth-file", required_argument, NULL, O_AUTH_FILE },
		{ "compress", no_argument, NULL, O_COMPRESS },
		{ "stop-and-wait", no_argument, NULL, O_STOP_AND_WAIT },
		{ "chunk-size", required_argument, NULL, O_CHUNK },
		{ "json", no_argument, NULL, O_JSON },
		{ "wait", required_argument, NULL, O_WAIT },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	bool bad = false;
	long v;
	int opt;

	opterr = 0; /* glibc's message would echo a mistyped --auth=VALUE */
	while ((opt = getopt_long(argc, argv, ":i:I:p:P:a:f:sdrt:mhV", longopts, NULL)) != -1) {
		if (bad && opt != O_JSON && opt != 'a')
			continue;
		switch (opt) {
		case 'i': c->cfg.esp_host = optarg; break;
		case 'I': c->cfg.host_ip = optarg; break;
		case 'p':
			if (!(bad = parse_num(c, "-p/--port", optarg, 1, 65535, &v)))
				c->cfg.esp_port = (uint16_t)v;
			break;
		case 'P':
			if (!(bad = parse_num(c, "-P/--host_port", optarg, 0, 65535, &v)))
				c->cfg.host_port = (uint16_t)v;
			c->cfg.host_port_random = false;
			break;
		case 'a':
			if (take_auth(c, optarg) != 0)
				return -1;
			break;
		case 'f': c->cfg.image_path = optarg; break;
		case 's': c->cfg.command = ESPOTA_CMD_FS; break;
		case 'd': c->debug = true; break;
		case 'r': c->progress = true; break;
		case 't':
			if (!(bad = parse_num(c, "-t/--timeout", optarg, 1, 86400, &v)))
				c->cfg.timeout_s = (int)v;
			break;
		case 'm': c->cfg.md5_target = true; break;
		case O_AUTH_FILE: c->cfg.password_file = optarg; break;
		case O_COMPRESS: c->cfg.compress = true; break;
		case O_STOP_AND_WAIT: c->cfg.stop_and_wait = true; break;
		case O_CHUNK:
			if (!(bad = parse_num(c, "--chunk-size", optarg, 1, 1 << 20, &v)))
				c->cfg.chunk_size = (size_t)v;
			break;
		case O_JSON: c->json = true; break;
		case O_WAIT:
			if (!(bad = parse_num(c, "--wait", optarg, 0, 86400, &v)))
				c->cfg.wait_s = (int)v;
			break;
		case 'h':
			usage(stdout);
			return 1;
		case 'V':
			printf(PROG " %s\n", ESPOTA_VERSION);
			return 1;
		default:
			espota_result_fail(&c->r, ESPOTA_ERR_USAGE, "%s", "");
			cliopt_message(c->r.message, sizeof(c->r.message), opt, argv, longopts);
			bad = true;
			break;
		}
	}
	return bad ? -1 : 0;
}

/* What failed, on stderr, and with --json the summary on stdout. */
static void report(const struct cli *c, const struct logger *lg, bool command_line)
{
	if (c->r.err != ESPOTA_OK) {
		if (command_line)
			fprintf(stderr, PROG ": %s\nTry '" PROG " --help' for the options.\n",
				c->r.message);
		else
			log_error(lg, "%s", c->r.message[0] ? c->r.message : espota_strerror(c->r.err));
	}
	if (c->json)
		espota_result_json(&c->r, stdout);
}

int main(int argc, char **argv)
{
	struct cli c = { 0 };
	struct logger lg, notice;
	int rc;

	espota_config_init(&c.cfg);
	rc = parse(argc, argv, &c);
	if (rc > 0) {
		free(c.auth_copy);
		return 0;
	}
	log_init(&lg, PROG, stderr, c.debug ? LOG_DEBUG : LOG_WARNING, LOG_STYLE_ESPOTA);
	if (rc == 0) {
		log_init(&notice, NULL, stderr, LOG_INFO, LOG_STYLE_PLAIN);
		c.cfg.log = &lg;
		c.cfg.notice = &notice;
		c.cfg.progress = progress_pick_style(stderr, c.progress);
		c.cfg.progress_out = stderr;
		espota_upload(&c.cfg, &c.r);
	}
	report(&c, &lg, rc != 0);
	if (c.auth_copy) {
		OPENSSL_cleanse(c.auth_copy, strlen(c.auth_copy));
		free(c.auth_copy);
	}
	return espota_exit_status(c.r.err);
}
