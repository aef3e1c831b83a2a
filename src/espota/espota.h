/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libespota: push an image to an ArduinoOTA device (esp8266 and esp32),
 * the job of the cores' tools/espota.py. The program espota-c is a thin
 * option parser: espota_config_init(), its options into the config, then
 * espota_upload(). The library prints nothing itself: it logs through the
 * config's logger and draws progress on the config's stream.
 */
#ifndef ESPOTA_ESPOTA_H
#define ESPOTA_ESPOTA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "log.h"
#include "progress.h"

/* Values only grow; never renumber (they reach scripts through --json). */
enum espota_error {
	ESPOTA_OK = 0,
	ESPOTA_ERR_USAGE = 1,         /* bad command line */
	ESPOTA_ERR_FILE = 2,          /* the image cannot be read */
	ESPOTA_ERR_COMPRESS = 3,      /* the gzip encoder failed */
	ESPOTA_ERR_RESOLVE = 4,       /* the device name has no IPv4 address */
	ESPOTA_ERR_LISTEN = 5,        /* the host TCP port cannot be bound */
	ESPOTA_ERR_UDP = 6,           /* the invitation cannot be sent */
	ESPOTA_ERR_NO_ANSWER = 7,     /* silence after every invitation */
	ESPOTA_ERR_BAD_ANSWER = 8,    /* a reply that is neither OK, AUTH nor ERR */
	ESPOTA_ERR_BAD_NONCE = 9,     /* AUTH with a nonce of unknown length */
	ESPOTA_ERR_AUTH_NO_ANSWER = 10,
	ESPOTA_ERR_AUTH_FAILED = 11,  /* the device refused the password */
	ESPOTA_ERR_REFUSED = 12,      /* the device refused the update (its ERR text) */
	ESPOTA_ERR_NO_CONNECT = 13,   /* the device accepted but never connected back */
	ESPOTA_ERR_DROPPED = 14,      /* the connection ended before the whole image went */
	ESPOTA_ERR_STALLED = 15,      /* the device stopped taking data */
	ESPOTA_ERR_DEVICE = 16,       /* the device reported an error after the upload */
	ESPOTA_ERR_NO_RESULT = 17,    /* the image went but no OK came */
	ESPOTA_ERR_NOMEM = 18,
	ESPOTA_ERR_CRYPTO = 19,       /* libcrypto failed */
	ESPOTA_ERR_PASSWORD = 20,     /* the password file cannot be read */
};
#define ESPOTA_ERR_LAST ESPOTA_ERR_PASSWORD /* the highest code */

enum espota_auth_scheme {
	ESPOTA_AUTH_NONE,        /* the device asked for no password */
	ESPOTA_AUTH_MD5,         /* esp8266 and esp32 before 3.3.1 */
	ESPOTA_AUTH_SHA256,      /* esp32 3.3.1+, SHA-256 password hash */
	ESPOTA_AUTH_SHA256_MD5,  /* esp32 3.3.1+ PBKDF2 over the MD5 password hash */
};

#define ESPOTA_CMD_FLASH 0
#define ESPOTA_CMD_FS 100
#define ESPOTA_DEFAULT_CHUNK 1460
#define ESPOTA_DEFAULT_PORT 8266
#define ESPOTA_DEFAULT_TIMEOUT_S 10
#define ESPOTA_PASSWORD_ENV "ESPOTA_PASSWORD"

struct espota_config {
	const char *esp_host;   /* -i as typed: IPv4 or host name */
	uint16_t esp_port;      /* -p */
	const char *host_ip;    /* -I: TCP listener address (never NULL) */
	uint16_t host_port;     /* -P; 0 = any free port */
	bool host_port_random;  /* host_port was drawn at random: draw again if taken */
	/* The password's three sources, in this order (espota_password_pick):
	 * password when not empty, else the first line of password_file, else
	 * password_env. UTF-8 bytes; NULL or "" = none from that source. */
	const char *password;      /* -a */
	const char *password_file; /* --auth-file */
	const char *password_env;  /* $ESPOTA_PASSWORD, read by espota_config_init */
	const char *image_path; /* -f */
	int command;            /* ESPOTA_CMD_FLASH or ESPOTA_CMD_FS */
	int timeout_s;          /* -t: wait for an answer to the invitation */
	int wait_s;             /* --wait: keep inviting this long (0 = use timeout_s) */
	bool md5_target;        /* -m: 3.3.1+ scheme with the MD5 password hash only */
	bool compress;          /* --compress: gzip (libdeflate level 12) before sending */
	bool stop_and_wait;     /* --stop-and-wait: espota.py's chunk-then-ack pattern */
	size_t chunk_size;      /* chunk for --stop-and-wait */
	enum progress_style progress;
	FILE *progress_out;     /* where progress is drawn; NULL = no progress */
	const struct logger *log; /* every message of the library; NULL = silent */
	/* espota.py's plain notices, each on its own line without a stamp (the
	 * signed-image line); NULL = none */
	const struct logger *notice;
};

struct espota_result {
	enum espota_error err;
	char message[768];      /* what failed and what to do; empty on success */
	char device_text[256];  /* the device's own words (ERR/refusal/error text) */
	char device_addr[64];   /* ip:port the invitation went to */
	char file[1024];        /* the file uploaded (FILE.signed when substituted) */
	uint64_t size;          /* bytes in the invitation (compressed size with --compress) */
	uint64_t file_size;     /* bytes of the file itself */
	char md5[33];
	uint64_t bytes_sent;
	double seconds;
	enum espota_auth_scheme auth;
	bool compressed;
	bool signed_substituted;
};

/* espota.py's defaults: device port 8266, listener on 0.0.0.0 at a random
 * port from 10000 to 60000 (drawn again if taken), -t 10, command 0,
 * 1460-byte chunks, no progress, no logger; password_env from the
 * environment. */
void espota_config_init(struct espota_config *cfg);

/* A password picked from the config; value is "" for none. */
struct espota_secret {
	const char *value;
	char *owned; /* the line read from password_file (wiped when freed) */
};

/* Picks the password from the config's sources (see struct espota_config):
 * a trailing CR and everything from the first LF on are not part of the
 * file's password, and an empty file means none. Returns ESPOTA_OK, or
 * ESPOTA_ERR_PASSWORD / ESPOTA_ERR_NOMEM with a message in msg. The
 * message names the file only when it is plainly a path (it exists, or
 * its directory does): a password given to --auth-file by mistake is
 * never printed. */
enum espota_error espota_password_pick(const struct espota_config *cfg, struct espota_secret *out,
				       char *msg, size_t msglen);
void espota_secret_free(struct espota_secret *s);

/* Runs one upload: checks the config (ESPOTA_ERR_USAGE without a device
 * or an image), picks the password, then the legs. The result is always
 * filled; returns result->err. */
enum espota_error espota_upload(const struct espota_config *cfg, struct espota_result *result);

/* Clears r and records a failure that happened before any upload (a bad
 * command line): err and the formatted message. */
void espota_result_fail(struct espota_result *r, enum espota_error err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The exit status for err, as espota-c exits and --json reports it:
 * 0 success, 2 a bad command line (as getopt tools exit), 1 any other
 * failure. */
int espota_exit_status(enum espota_error err);

/* A random port from 10000 to 60000, as espota.py draws its default -P. */
uint16_t espota_random_host_port(void);

const char *espota_strerror(enum espota_error err);
/* A stable identifier for err, for scripts (--json's error_name): "usage",
 * "no_connect"... */
const char *espota_error_name(enum espota_error err);
const char *espota_auth_scheme_name(enum espota_auth_scheme s);

/* Writes the one-line JSON summary (--json). Returns 0 or -1. */
int espota_result_json(const struct espota_result *r, FILE *out);

#endif
