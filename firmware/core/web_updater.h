/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The web updater: ESP8266HTTPUpdateServer's behaviour
 * (docs/protocol/http-update.md §B) as a non-blocking HTTP/1.1 service
 * over the HAL, in the same loop as the OTA agent (agent.h's poll-set
 * pattern): web_poll_set, hal_poll, web_step.
 *
 *   GET  <path>      the upload page (two forms: firmware, filesystem)
 *   POST <path>      multipart/form-data: field "filesystem" to the
 *                    filesystem, any other file field to the sketch
 *   POST <path>?mode=firmware|filesystem, application/octet-stream:
 *                    the raw image (X-MD5 / X-SHA256 checked)
 *   OPTIONS <path>   the CORS preflight ("y")
 *   GET  /info       the running image as JSON
 *
 * Both ends of every upload go through the Updater, so every check of the
 * OTA path applies. Where it answers differently from upstream, each
 * deviation is listed in docs/webupdater.md: refusals are 4xx (a flash
 * fault 5xx) instead of 200; a wrong login gets its 401 as soon as the
 * headers are read (before "100 Continue" when the client asked for it);
 * "Expect: 100-continue" is answered; a second upload gets 409; every
 * answer closes the connection and is sent whole before the reboot.
 * Caller-owned state, compile-time sizes, no allocation.
 */
#ifndef ESPOTA_FW_WEB_UPDATER_H
#define ESPOTA_FW_WEB_UPDATER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hal.h"
#include "http_auth.h"
#include "http_request.h"
#include "multipart.h"
#include "sha256.h"
#include "updater.h"

#define WEB_CONNS 3u                  /* connections served at once */
#define WEB_POLL_ENTRIES (1u + WEB_CONNS)
#define WEB_IO_SIZE 1460u             /* one TCP segment per read */
#define WEB_HEAD_TIMEOUT_MS 10000u    /* a request head must arrive within this */
#define WEB_STREAM_TIMEOUT_MS 60000u  /* the Updater's stream timeout (upload body) */
#define WEB_DRAIN_MS 1000u            /* after an early answer: read what is in flight */
#define WEB_REBOOT_PAUSE_MS 100u      /* upstream's pause before ESP.restart() */
#define WEB_VERSION_MAX 32u

/* What GET /info reports, filled by the port when asked. */
struct web_info {
	uint32_t chip_id;
	uint32_t flash_size;
	uint32_t free_sketch_space;
	uint32_t app_size;
	char app_md5[33];
	char version[WEB_VERSION_MAX + 1];
};

struct web_config {
	uint32_t bind_ip;      /* 0: any address */
	uint16_t port;         /* 80; 0: the port picks one */
	char path[HTTP_PATH_MAX + 1]; /* "" = "/update" */
	const char *user;      /* login when both user and password are set */
	const char *password;
	uint32_t stream_timeout_ms;   /* 0: WEB_STREAM_TIMEOUT_MS */
	void (*info)(void *ctx, struct web_info *out);
	void (*on_start)(void *ctx, bool filesystem);
	void (*on_end)(void *ctx, bool ok, const char *error_text);
	void *ctx;
};

enum web_conn_state {
	WEB_CONN_FREE = 0,
	WEB_CONN_HEAD,   /* reading the request head */
	WEB_CONN_BODY,   /* reading the request body into the Updater */
	WEB_CONN_SEND,   /* sending the answer */
	WEB_CONN_DRAIN,  /* the answer is out; reading what the client still sends */
};

enum web_body {
	WEB_BODY_NONE,
	WEB_BODY_DISCARD,   /* read and dropped (a body on a request that has none) */
	WEB_BODY_MULTIPART,
	WEB_BODY_RAW,
};

struct web_conn {
	enum web_conn_state state;
	hal_sock sock;
	uint32_t deadline;
	enum web_body body;
	uint32_t body_left;     /* request body bytes not yet read */
	bool uploading;         /* this connection owns the Updater */
	bool file_started;      /* a file part began the Updater */
	bool in_file;           /* the current part is that file */
	bool failed;            /* the Updater refused (its error text says why) */
	bool reboot_after;      /* reset once the answer is out */
	bool check_sha256;
	struct sha256_ctx sha;
	struct http_request req;
	struct multipart mp;
	char head[640];         /* the answer's status line and headers */
	size_t head_len;
	const char *payload;    /* the answer's body: the page, or text */
	size_t payload_len;
	size_t sent;            /* bytes of head then payload sent */
	char text[UPDATER_ERROR_TEXT_MAX + 32]; /* a short answer body */
};

struct web_updater {
	struct hal *hal;
	struct updater *updater;
	struct web_config cfg;
	struct http_auth auth;
	hal_sock listener;
	bool listening;
	uint16_t port;
	bool reboot_pending;
	uint32_t reboot_at;
	struct multipart_sink sink;
	struct web_conn *sink_conn; /* the connection whose body the sink reads */
	struct web_conn conn[WEB_CONNS];
	uint8_t io[WEB_IO_SIZE];
};

/* Opens the listener. u is an initialised Updater shared with other
 * services (one upload at a time across them: a running Updater refuses
 * begin). Returns 0, HAL_ERANGE for a login too long, or the HAL's error. */
int web_begin(struct web_updater *w, struct hal *h, struct updater *u, const struct web_config *cfg);
void web_stop(struct web_updater *w);
uint16_t web_port(const struct web_updater *w);

/* As agent_poll_set / agent_step. */
size_t web_poll_set(struct web_updater *w, struct hal_pollset *set, size_t cap, uint32_t now,
		    uint32_t *wait_ms);
void web_step(struct web_updater *w, const struct hal_pollset *set, size_t n, uint32_t now);

/* True while an upload runs through this service. */
bool web_busy(const struct web_updater *w);

#endif
