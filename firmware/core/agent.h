/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The OTA agent: ArduinoOTA's receiver (docs/protocol/ota-protocol.md) as a
 * non-blocking state machine over the HAL's sockets, so that one event loop
 * in the port can serve it beside other services (web updater, pull
 * client, mDNS) later.
 *
 *   IDLE --invitation--> WAITAUTH --right response--> RUNUPDATE
 *     \--invitation, no password------------------------^   |
 *   RUNUPDATE: Update.begin; "ERR: ..." (REFUSED, 100 ms) or "OK"
 *   (ACCEPTED, 100 ms) -> CONNECTING back to the inviter -> RECEIVING
 *   (decimal acks) -> end(): "OK" after 1 s (FINISHING), close after 1 s
 *   (CLOSING), end callback, reset after 100 ms (REBOOTING -> RESET), or
 *   the Updater's error text and back to IDLE.
 *
 * The loop, per turn: n = agent_poll_set(...); hal_poll(set, n, wait);
 * agent_step(a, set, n, hal_millis()). The agent never blocks or sleeps:
 * the device's delays are timers, so the loop can serve others meanwhile.
 * Caller-owned state, compile-time sizes, no allocation.
 */
#ifndef ESPOTA_FW_AGENT_H
#define ESPOTA_FW_AGENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hal.h"
#include "ota_auth.h"
#include "ota_invite.h"

struct updater;

/* ArduinoOTA's ota_error_t, same order. */
enum agent_error {
	AGENT_AUTH_ERROR = 0,
	AGENT_BEGIN_ERROR = 1,
	AGENT_CONNECT_ERROR = 2,
	AGENT_RECEIVE_ERROR = 3,
	AGENT_END_ERROR = 4,
};

/* The callback name of an error: "OTA_AUTH_ERROR" ... "OTA_END_ERROR". */
const char *agent_error_name(enum agent_error err);

enum agent_state {
	AGENT_STOPPED = 0, /* before agent_begin / after agent_stop */
	AGENT_IDLE,        /* waiting for an invitation */
	AGENT_WAITAUTH,    /* AUTH <nonce> sent, waiting for the response */
	AGENT_RUNUPDATE,   /* accepted: Update.begin on the next step */
	AGENT_REFUSED,     /* "ERR: ..." sent: 100 ms before listening again */
	AGENT_ACCEPTED,    /* "OK" sent: 100 ms before connecting back */
	AGENT_CONNECTING,  /* TCP connect to the inviter in progress */
	AGENT_RECEIVING,   /* image bytes into the Updater, acks back */
	AGENT_FINISHING,   /* end() succeeded: 1 s before "OK" */
	AGENT_CLOSING,     /* "OK" sent: 1 s before closing */
	AGENT_REBOOTING,   /* end callback done: 100 ms before the reset */
	AGENT_RESET,       /* reset requested from the HAL: nothing more to do */
};

const char *agent_state_name(enum agent_state s);

/* The device's timings (ms), kept as the core has them. */
#define AGENT_REPLY_PAUSE_MS 100u    /* after UDP "OK"/"ERR" */
#define AGENT_CONNECT_TIMEOUT_MS 5000u /* WiFiClient's default */
#define AGENT_STALL_REPORT_MS 1000u  /* OTA_RECEIVE_ERROR per second of silence */
#define AGENT_STREAM_TIMEOUT_MS 60000u /* the Updater's stream timeout */
#define AGENT_FINAL_PAUSE_MS 1000u   /* before "OK" and again before close */
#define AGENT_REBOOT_PAUSE_MS 100u   /* after the end callback */

#define AGENT_IO_SIZE 1460u          /* one TCP segment / the biggest datagram read */
#define AGENT_POLL_ENTRIES 2u        /* what agent_poll_set may fill */

struct agent_config {
	uint32_t bind_ip;  /* 0: any address */
	uint16_t port;     /* UDP port (8266; 0: the port picks one) */
	enum ota_auth_scheme scheme;
	/* The stored password hash (setPasswordHash); empty: no
	 * authentication. Use ota_auth_password_hash for a plain password. */
	char password_hash[OTA_AUTH_STORED_MAX + 1];
	bool reboot_on_success;      /* setRebootOnSuccess (default true) */
	uint32_t stream_timeout_ms;  /* 0: AGENT_STREAM_TIMEOUT_MS */
};

struct agent_callbacks {
	void (*on_start)(void *ctx);
	void (*on_progress)(void *ctx, uint32_t done, uint32_t total);
	void (*on_end)(void *ctx);
	void (*on_error)(void *ctx, enum agent_error err);
	void *ctx;
};

struct agent {
	struct hal *hal;
	struct updater *updater;
	struct agent_config cfg;
	struct agent_callbacks cb;
	enum agent_state state;

	hal_sock udp, tcp;
	bool udp_open, tcp_open;
	uint16_t udp_port; /* the port actually bound */

	/* the accepted invitation and where it came from */
	struct ota_invite invite;
	uint32_t ota_ip;
	uint16_t ota_udp_port;
	uint32_t reply_ip; /* where UDP replies go (see agent.c) */
	uint16_t reply_port;
	char nonce[OTA_AUTH_HEX_MAX + 1];

	uint32_t deadline;     /* end of the current pause or timeout */
	uint32_t last_data;    /* last time image bytes arrived */
	uint32_t next_report;  /* next OTA_RECEIVE_ERROR while stalled */
	uint32_t received;     /* bytes accepted by the Updater */

	/* text queued for the TCP peer (acks, "OK", the error text) */
	char out[160];
	size_t out_len;
	/* the last error text sent ("ERROR[n]: ...", no line end) */
	char error_text[160];

	uint8_t io[AGENT_IO_SIZE];
};

/* Opens the UDP listener. u is an initialised Updater the agent drives.
 * Returns 0 or the HAL's error. */
int agent_begin(struct agent *a, struct hal *h, struct updater *u, const struct agent_config *cfg,
		const struct agent_callbacks *cb);
/* Closes every socket and abandons a running update. */
void agent_stop(struct agent *a);

/* Fills up to cap poll entries (AGENT_POLL_ENTRIES is enough) with what
 * the agent waits for; *wait_ms is lowered to the time until its next
 * timer. Returns the number of entries. */
size_t agent_poll_set(struct agent *a, struct hal_pollset *set, size_t cap, uint32_t now,
		      uint32_t *wait_ms);
/* Handles whatever is ready (set/n: the entries from agent_poll_set with
 * revents filled by hal_poll) and every timer due at now. */
void agent_step(struct agent *a, const struct hal_pollset *set, size_t n, uint32_t now);

enum agent_state agent_get_state(const struct agent *a);
uint16_t agent_port(const struct agent *a);
/* The last error text sent to an uploader ("" when none). */
const char *agent_error_text(const struct agent *a);

#endif
