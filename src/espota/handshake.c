/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "handshake.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>

#include "auth.h"
#include "clock.h"
#include "invite.h"
#include "sock.h"

#define INVITE_RESEND_MS 1000
#define AUTH_WAIT_MS 10000
#define AUTH_WAIT_REPEATED_MS 3000
#define REPLY_MAX 128
#define SETTLE_MIN_MS 2500 /* no reply for this long: the device is idle */
#define SETTLE_MAX_MS 8000

/* "OK" exactly, tolerating trailing line ends a sloppy device may add. */
static bool is_ok(const char *s)
{
	return strncmp(s, "OK", 2) == 0 && strspn(s + 2, "\r\n ") == strlen(s + 2);
}

static void keep_text(struct espota_result *r, const char *text)
{
	size_t n = strcspn(text, "\r\n");

	if (n >= sizeof(r->device_text))
		n = sizeof(r->device_text) - 1;
	memcpy(r->device_text, text, n);
	r->device_text[n] = '\0';
}

static enum espota_error fail(struct espota_result *r, enum espota_error err)
{
	r->err = err;
	return err;
}

/* Sends the invitation until the device answers. */
static enum espota_error invite(const struct handshake *h, struct espota_result *r, char *reply,
				 int resend_ms, int *sends, int *latency_ms)
{
	/* 1 s, 2 s, 4 s...: quick on a lost first datagram, yet few invitations
	 * queue up at a device whose loop is slow (pitfall 4) */
	struct udp_ask ask = { .window_ms = h->window_ms, .resend_ms = resend_ms, .backoff = true };
	int n;

	log_info(h->log, "Sending invitation to: %s", r->device_addr);
	n = espota_udp_ask(h->udp, h->invitation, h->invitation_len, &ask, reply, REPLY_MAX);
	if (n < 0) {
		snprintf(r->message, sizeof(r->message),
			 "cannot send the invitation to '%s': %s: check the address given with -i",
			 r->device_addr, strerror(errno));
		return fail(r, ESPOTA_ERR_UDP);
	}
	if (n == 0) {
		if (ask.port_unreachable)
			snprintf(r->message, sizeof(r->message),
				 "no answer to the invitation from '%s': nothing listens on that UDP port "
				 "(port unreachable): check the device runs ArduinoOTA and the port given with -p",
				 r->device_addr);
		else
			snprintf(r->message, sizeof(r->message),
				 "no answer to the invitation from '%s' after %d tries in %d s: check the "
				 "device is on and reachable, the port given with -p, and that no firewall "
				 "drops UDP; the device then connects back over TCP, so also allow inbound TCP "
				 "to the port given with -P (use --wait SECONDS for a device still booting)",
				 r->device_addr, ask.sends, h->window_ms / 1000);
		return fail(r, ESPOTA_ERR_NO_ANSWER);
	}
	log_debug(h->log, "Invitation answered after %d datagram(s)", ask.sends);
	*sends = ask.sends;
	*latency_ms = ask.elapsed_ms;
	return ESPOTA_OK;
}

/* A reply that is neither OK nor AUTH: a refusal (ERR ...) or garbage. */
static enum espota_error other_reply(struct espota_result *r, const char *reply)
{
	keep_text(r, reply);
	if (strncmp(reply, "ERR", 3) == 0) {
		snprintf(r->message, sizeof(r->message),
			 "the device at '%s' refused the update: %s: check the image fits the device's "
			 "flash layout (-s for a filesystem image)",
			 r->device_addr, r->device_text);
		return fail(r, ESPOTA_ERR_REFUSED);
	}
	snprintf(r->message, sizeof(r->message),
		 "unexpected answer '%s' from '%s': check that -p names the device's OTA port",
		 r->device_text, r->device_addr);
	return fail(r, ESPOTA_ERR_BAD_ANSWER);
}

/* Answers one challenge; 1 accepted, 0 refused or silent (reply says which), <0 fatal. */
static int answer(const struct handshake *h, struct espota_result *r, const char *challenge,
		  bool md5_hash, bool repeated, int latency_ms, char *reply, int *got)
{
	char datagram[ESPOTA_AUTH_DATAGRAM_MAX];
	const char *nonce = challenge + 4;
	struct udp_ask ask = { .window_ms = AUTH_WAIT_MS, .resend_ms = AUTH_WAIT_MS };
	size_t nonce_len;
	int n;

	nonce += strspn(nonce, " ");
	nonce_len = strcspn(nonce, " \r\n");
	/* An MD5 device answers at once; after repeated invitations it may have
	 * dropped this challenge (docs/protocol/ota-protocol.md §8 pitfall 4),
	 * so do not wait long. */
	if (repeated && nonce_len == 32) {
		/* ...but as long as the device took to answer the invitation, twice */
		int wait = 2 * latency_ms;

		if (wait < AUTH_WAIT_REPEATED_MS)
			wait = AUTH_WAIT_REPEATED_MS;
		ask.window_ms = ask.resend_ms = wait < AUTH_WAIT_MS ? wait : AUTH_WAIT_MS;
	}
	n = espota_auth_datagram(h->password, strlen(h->password), h->cnonce_text, nonce, nonce_len,
				 md5_hash, datagram, &r->auth);
	if (n == -2) {
		keep_text(r, challenge);
		snprintf(r->message, sizeof(r->message),
			 "unexpected challenge '%s' from '%s': nonce of %zu characters, expected 32 or 64: "
			 "report this device's core version",
			 r->device_text, r->device_addr, nonce_len);
		return -ESPOTA_ERR_BAD_NONCE;
	}
	if (n < 0) {
		snprintf(r->message, sizeof(r->message), "cannot compute the authentication: libcrypto failed");
		return -ESPOTA_ERR_CRYPTO;
	}
	log_info(h->log, "Authenticating (%s)...", espota_auth_scheme_name(r->auth));
	*got = espota_udp_ask(h->udp, datagram, (size_t)n, &ask, reply, REPLY_MAX);
	OPENSSL_cleanse(datagram, sizeof(datagram));
	if (*got < 0) {
		snprintf(r->message, sizeof(r->message), "cannot send the authentication to '%s': %s",
			 r->device_addr, strerror(errno));
		return -ESPOTA_ERR_UDP;
	}
	return *got > 0 && is_ok(reply);
}

static enum espota_error auth_failed(struct espota_result *r,
				     const char *reply, int got)
{
	if (got == 0) {
		snprintf(r->message, sizeof(r->message),
			 "no answer to our authentication from '%s': retry, and check no other "
			 "uploader talks to the device",
			 r->device_addr);
		return fail(r, ESPOTA_ERR_AUTH_NO_ANSWER);
	}
	if (strncmp(reply, "ERR", 3) == 0)
		return other_reply(r, reply);
	keep_text(r, reply);
	snprintf(r->message, sizeof(r->message),
		 "authentication failed at '%s': %s: check the password (-a, --auth-file or "
		 "ESPOTA_PASSWORD)%s",
		 r->device_addr, r->device_text,
		 r->auth == ESPOTA_AUTH_SHA256_MD5 ? " (both the SHA-256 and the MD5 password hash were tried)" : "");
	return fail(r, ESPOTA_ERR_AUTH_FAILED);
}

/* Reads and drops replies until the device has been quiet for a while, so
 * a stale answer is not taken for the answer to what we send next. */
static void settle(const struct handshake *h, int quiet_ms)
{
	uint64_t end = clock_ms() + 3 * (uint64_t)quiet_ms;
	char buf[REPLY_MAX];

	while (clock_ms() < end && sock_wait(h->udp, POLLIN, quiet_ms) > 0) {
		ssize_t n = recv(h->udp, buf, sizeof(buf) - 1, MSG_DONTWAIT);

		if (n > 0) {
			buf[n] = '\0';
			log_debug(h->log, "Dropped a stale reply: %.40s", buf);
		}
	}
}

/* Invites and answers the challenge with the chosen password hash.
 * 1 accepted, 0 refused or unanswered (reply and got say which), -1 failed
 * otherwise (r says why). */
static int challenge_round(const struct handshake *h, struct espota_result *r, char *reply,
			   bool md5_hash, int *got)
{
	int resend_ms = INVITE_RESEND_MS, sends = 0, latency_ms = 0, rc;

	for (int round = 0;; round++) {
		if (invite(h, r, reply, resend_ms, &sends, &latency_ms) != ESPOTA_OK)
			return -1;
		if (is_ok(reply)) {
			r->auth = ESPOTA_AUTH_NONE;
			return 1;
		}
		if (strncmp(reply, "AUTH", 4) != 0) {
			other_reply(r, reply);
			return -1;
		}
		rc = answer(h, r, reply, md5_hash, sends > 1, latency_ms, reply, got);
		if (rc < 0) {
			fail(r, (enum espota_error)-rc);
			return -1;
		}
		if (rc == 1 || sends == 1 || round == 1)
			return rc;
		/* A repeated invitation may have reached the device while it waited
		 * for our answer and reset its challenge (pitfall 4), which ends in
		 * silence, a refusal or a new challenge. Let the device finish what
		 * is queued, then invite once more, without repeats. */
		log_info(h->log, "Authentication not accepted after a repeated invitation: "
				 "inviting again without repeats");
		/* a device that took this long to answer takes as long per datagram */
		settle(h, latency_ms < SETTLE_MIN_MS ? SETTLE_MIN_MS
			  : latency_ms > SETTLE_MAX_MS ? SETTLE_MAX_MS : latency_ms);
		resend_ms = h->window_ms;
	}
}

enum espota_error espota_handshake(const struct handshake *h, struct espota_result *r)
{
	char reply[REPLY_MAX];
	int rc, got = 0;

	rc = challenge_round(h, r, reply, h->md5_target, &got);
	if (rc < 0)
		return r->err;
	if (rc == 1)
		return ESPOTA_OK;
	if (r->auth != ESPOTA_AUTH_SHA256 || (got > 0 && strncmp(reply, "ERR", 3) == 0))
		return auth_failed(r, reply, got);

	/* 3.3.1+: the device may store the MD5 hash; invite again and retry once. */
	log_info(h->log, "SHA-256 password hash refused: retrying with the MD5 password hash");
	rc = challenge_round(h, r, reply, true, &got);
	if (rc < 0)
		return r->err;
	if (rc == 1)
		return ESPOTA_OK;
	return auth_failed(r, reply, got);
}
