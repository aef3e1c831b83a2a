/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * espota-c: upload an image to an ArduinoOTA device. Accepts every option
 * of esp8266's and arduino-esp32's tools/espota.py with the same meaning
 * and defaults. This file only turns the command line into a config.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cliopt.h"
#include "espota.h"
#include "file.h"

#define PROG "espota-c"

struct cli {
	struct espota_config cfg;
	const char *auth;       /* -a/--auth */
	const char *auth_file;  /* --auth-file */
	char *password_buf;     /* read from --auth-file */
	char *auth_copy;        /* -a, copied before argv is blanked */
	bool debug, progress, json;
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

static int parse_num(const char *opt, const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi) {
		fprintf(stderr, PROG ": invalid value '%s' for %s: give a whole number from %ld to %ld\n",
			s, opt, lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

/* 0 go on, 1 done (help/version), -1 usage error */
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
	long v;
	int opt;

	opterr = 0; /* glibc's message would echo a mistyped --auth=VALUE */
	while ((opt = getopt_long(argc, argv, ":i:I:p:P:a:f:sdrt:mhV", longopts, NULL)) != -1) {
		switch (opt) {
		case 'i': c->cfg.esp_host = optarg; break;
		case 'I': c->cfg.host_ip = optarg; break;
		case 'p':
			if (parse_num("-p/--port", optarg, 1, 65535, &v))
				return -1;
			c->cfg.esp_port = (uint16_t)v;
			break;
		case 'P':
			if (parse_num("-P/--host_port", optarg, 0, 65535, &v))
				return -1;
			c->cfg.host_port = (uint16_t)v;
			c->cfg.host_port_random = false;
			break;
		case 'a':
			free(c->auth_copy);
			c->auth_copy = strdup(optarg);
			if (!c->auth_copy) {
				fputs(PROG ": out of memory\n", stderr);
				return -1;
			}
			/* blank it in argv, so ps and /proc show no password (as curl does) */
			memset(optarg, ' ', strlen(optarg));
			c->auth = c->auth_copy;
			break;
		case 'f': c->cfg.image_path = optarg; break;
		case 's': c->cfg.command = ESPOTA_CMD_FS; break;
		case 'd': c->debug = true; break;
		case 'r': c->progress = true; break;
		case 't':
			if (parse_num("-t/--timeout", optarg, 1, 86400, &v))
				return -1;
			c->cfg.timeout_s = (int)v;
			break;
		case 'm': c->cfg.md5_target = true; break;
		case O_AUTH_FILE: c->auth_file = optarg; break;
		case O_COMPRESS: c->cfg.compress = true; break;
		case O_STOP_AND_WAIT: c->cfg.stop_and_wait = true; break;
		case O_CHUNK:
			if (parse_num("--chunk-size", optarg, 1, 1 << 20, &v))
				return -1;
			c->cfg.chunk_size = (size_t)v;
			break;
		case O_JSON: c->json = true; break;
		case O_WAIT:
			if (parse_num("--wait", optarg, 0, 86400, &v))
				return -1;
			c->cfg.wait_s = (int)v;
			break;
		case 'h':
			usage(stdout);
			return 1;
		case 'V':
			printf(PROG " %s\n", ESPOTA_VERSION);
			return 1;
		default:
			cliopt_complain(stderr, PROG, opt, argv, longopts);
			return -1;
		}
	}
	return 0;
}

/* -a (when not empty), then --auth-file, then $ESPOTA_PASSWORD. */
static int pick_password(struct cli *c, const struct logger *lg)
{
	const char *env = getenv("ESPOTA_PASSWORD");

	if (c->auth && *c->auth) {
		c->cfg.password = c->auth;
	} else if (c->auth_file) {
		struct file_buf fb;
		enum file_error fe = file_read_all(c->auth_file, 4096, &fb);
		size_t n;

		if (fe == FILE_ERR_EMPTY) {
			c->cfg.password = "";
			return 0;
		}
		if (fe != FILE_OK) {
			log_error(lg, "cannot read password file '%s': %s: check the path given with --auth-file",
				  c->auth_file, fe == FILE_ERR_OPEN || fe == FILE_ERR_READ ? strerror(errno)
											   : file_strerror(fe));
			return -1;
		}
		n = strcspn((const char *)fb.data, "\n");
		if (n > fb.len)
			n = fb.len;
		while (n > 0 && fb.data[n - 1] == '\r')
			n--;
		c->password_buf = malloc(n + 1);
		if (!c->password_buf) {
			file_buf_free(&fb);
			return -1;
		}
		memcpy(c->password_buf, fb.data, n);
		c->password_buf[n] = '\0';
		file_buf_free(&fb);
		c->cfg.password = c->password_buf;
	} else if (env) {
		c->cfg.password = env;
	} else {
		c->cfg.password = c->auth ? c->auth : "";
	}
	return 0;
}

/* Wipes and frees the password copies. */
static void cli_free(struct cli *c)
{
	char *bufs[] = { c->password_buf, c->auth_copy };

	for (size_t i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++) {
		if (bufs[i]) {
			memset(bufs[i], 0, strlen(bufs[i]));
			free(bufs[i]);
		}
	}
	c->password_buf = c->auth_copy = NULL;
}

static int run(struct cli *c)
{
	struct espota_result r;
	struct logger lg;

	log_init(&lg, PROG, stderr, c->debug ? LOG_DEBUG : LOG_WARNING, LOG_STYLE_ESPOTA);
	c->cfg.log = &lg;
	/* the password is left out on purpose, unlike espota.py's dump */
	log_debug(&lg, "Options: ip=%s host_ip=%s port=%u host_port=%u auth=%s file=%s spiffs=%d "
		  "timeout=%d wait=%d md5_target=%d compress=%d stop_and_wait=%d chunk_size=%zu",
		  c->cfg.esp_host ? c->cfg.esp_host : "-", c->cfg.host_ip, c->cfg.esp_port,
		  c->cfg.host_port,
		  (c->auth && *c->auth) || c->auth_file || getenv("ESPOTA_PASSWORD") ? "(set)" : "(none)",
		  c->cfg.image_path ? c->cfg.image_path : "-", c->cfg.command == ESPOTA_CMD_FS,
		  c->cfg.timeout_s, c->cfg.wait_s, c->cfg.md5_target, c->cfg.compress,
		  c->cfg.stop_and_wait, c->cfg.chunk_size);
	if (!c->cfg.esp_host || !c->cfg.image_path) {
		log_msg(&lg, LOG_CRITICAL, "Not enough arguments.");
		fputs(PROG ": give the device with -i and the image with -f (see espota-c --help)\n", stderr);
		return 1;
	}
	if (pick_password(c, &lg) != 0)
		return 1;
	c->cfg.progress = progress_pick_style(stderr, c->progress);
	c->cfg.progress_out = stderr;

	espota_upload(&c->cfg, &r);
	if (r.err != ESPOTA_OK)
		log_error(&lg, "%s", r.message[0] ? r.message : espota_strerror(r.err));
	if (c->json)
		espota_result_json(&r, stdout);
	return r.err == ESPOTA_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct cli c = {
		.cfg = {
			.esp_port = 8266,
			.host_ip = "0.0.0.0",
			.command = ESPOTA_CMD_FLASH,
			.timeout_s = 10,
			.chunk_size = ESPOTA_DEFAULT_CHUNK,
		},
	};
	int rc;

	c.cfg.host_port = espota_random_host_port();
	c.cfg.host_port_random = true;
	rc = parse(argc, argv, &c);
	if (rc == 0)
		rc = run(&c);
	else
		rc = rc > 0 ? 0 : 2;
	cli_free(&c);
	return rc;
}
