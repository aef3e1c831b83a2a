/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The UDP half of the device: invitation parsing, the challenge and the
 * check of the host's answer, as docs/protocol/ota-protocol.md §3-§5 and §12.2
 * describe ArduinoOTA. */
#include "fakedev.h"

#include <errno.h>
#include <inttypes.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "clock.h"
#include "digest.h"
#include "hex.h"

#define PBKDF2_ROUNDS 10000

/* ArduinoOTA's integer reader: skip spaces, up to 16 digits. */
static long long read_int(const char *buf, size_t len, size_t *pos)
{
	long long v = 0;
	int digits = 0;

	while (*pos < len && buf[*pos] == ' ')
		(*pos)++;
	while (*pos < len && digits < 16 && buf[*pos] >= '0' && buf[*pos] <= '9') {
		v = v * 10 + (buf[*pos] - '0');
		(*pos)++;
		digits++;
	}
	if (digits == 16 && *pos >= len)
		return 0;
	return v;
}

/* Copies buf[pos..) up to a stop char into out, trimmed of whitespace. */
static size_t read_field(const char *buf, size_t len, size_t *pos, char stop, char *out, size_t outlen)
{
	size_t n = 0;

	while (*pos < len && buf[*pos] != stop && buf[*pos] != '\n' && buf[*pos] != '\0') {
		if (n + 1 < outlen)
			out[n] = buf[*pos];
		n++;
		(*pos)++;
	}
	if (n >= outlen)
		n = outlen - 1;
	out[n] = '\0';
	while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\r' || out[n - 1] == '\t'))
		out[--n] = '\0';
	return strlen(out);
}

static int parse_invite(const char *buf, size_t len, struct fd_invite *inv)
{
	size_t pos = 0;
	long long cmd = read_int(buf, len, &pos), port, size;

	if (cmd != 0 && cmd != 100)
		return -1;
	port = read_int(buf, len, &pos);
	size = read_int(buf, len, &pos);
	if (pos < len)
		pos++; /* the separating space */
	if (read_field(buf, len, &pos, '\0', inv->md5, sizeof(inv->md5)) != 32)
		return -1;
	inv->cmd = (int)cmd;
	inv->host_port = (uint16_t)port;
	inv->size = size;
	return 0;
}

static void make_nonce(int nonce_len, char *nonce)
{
	if (nonce_len == 64) {
		uint8_t raw[32];

		if (RAND_bytes(raw, sizeof(raw)) != 1)
			memset(raw, 0x5a, sizeof(raw));
		digest_hex(DIGEST_SHA256, raw, sizeof(raw), nonce);
	} else {
		char us[32];
		int n = snprintf(us, sizeof(us), "%" PRIu64, clock_us());

		digest_hex(DIGEST_MD5, us, (size_t)n, nonce);
	}
}

/* The response this device expects for nonce and cnonce. */
static int expected_response(const struct fd_options *o, const char *nonce, const char *cnonce,
			     char *out)
{
	char stored[DIGEST_MAX_HEX], text[256];
	int n;

	if (o->nonce_len == 32 || o->hash_md5)
		digest_hex(DIGEST_MD5, o->password, strlen(o->password), stored);
	else
		digest_hex(DIGEST_SHA256, o->password, strlen(o->password), stored);
	if (o->nonce_len == 32) {
		n = snprintf(text, sizeof(text), "%s:%s:%s", stored, nonce, cnonce);
		return digest_hex(DIGEST_MD5, text, (size_t)n, out);
	} else {
		uint8_t key[32];
		char keyhex[65], salt[160];
		int sn = snprintf(salt, sizeof(salt), "%s:%s", nonce, cnonce);

		if (PKCS5_PBKDF2_HMAC(stored, (int)strlen(stored), (const unsigned char *)salt, sn,
				      PBKDF2_ROUNDS, EVP_sha256(), sizeof(key), key) != 1)
			return -1;
		hex_encode(key, sizeof(key), keyhex);
		n = snprintf(text, sizeof(text), "%s:%s:%s", keyhex, nonce, cnonce);
		return digest_hex(DIGEST_SHA256, text, (size_t)n, out);
	}
}

static void reply(int udp, const struct sockaddr_in *to, const char *text, size_t len)
{
	sendto(udp, text, len, 0, (const struct sockaddr *)to, sizeof(*to));
}

/* Drops every datagram already queued (ArduinoOTA does after a decision). */
static void drain(int udp)
{
	char buf[512];

	while (recv(udp, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
}

static ssize_t receive(int udp, char *buf, size_t len, struct sockaddr_in *from, int delay_ms)
{
	socklen_t flen = sizeof(*from);
	ssize_t n;

	do
		n = recvfrom(udp, buf, len, 0, (struct sockaddr *)from, &flen);
	while (n < 0 && errno == EINTR);
	/* a slow sketch loop: ArduinoOTA.handle() takes one datagram per loop */
	if (n > 0 && delay_ms > 0)
		clock_sleep_ms((uint32_t)delay_ms);
	return n;
}

/* WAITAUTH: 1 right, 0 wrong (answered), -1 malformed (silently idle). */
static int check_auth(int udp, const struct fd_options *o, const struct fd_invite *inv,
		      const char *nonce)
{
	char buf[512], cnonce[130], resp[130], want[DIGEST_MAX_HEX];
	struct sockaddr_in from;
	size_t pos = 0, want_len = (size_t)o->nonce_len;
	ssize_t n = receive(udp, buf, sizeof(buf), &from, o->reply_delay_ms);

	if (n <= 0)
		return -1;
	if (read_int(buf, (size_t)n, &pos) != 200)
		return -1;
	pos++;
	if (read_field(buf, (size_t)n, &pos, ' ', cnonce, sizeof(cnonce)) != want_len)
		return -1;
	if (pos < (size_t)n)
		pos++;
	if (read_field(buf, (size_t)n, &pos, '\0', resp, sizeof(resp)) != want_len)
		return -1;
	if (expected_response(o, nonce, cnonce, want) != 0)
		return -1;
	if (CRYPTO_memcmp(want, resp, want_len) != 0) {
		/* esp8266 answers the invitation's address, not the auth sender's */
		reply(udp, &inv->from, "Authentication Failed", 21);
		printf("auth failed\n");
		fflush(stdout);
		drain(udp);
		return 0;
	}
	drain(udp);
	return 1;
}

int fd_handshake(int udp, const struct fd_options *o, struct fd_invite *inv)
{
	char buf[512];

	for (;;) {
		ssize_t n = receive(udp, buf, sizeof(buf) - 1, &inv->from, o->reply_delay_ms);

		if (n < 0)
			return -1;
		buf[n] = '\0';
		if (o->silent || parse_invite(buf, (size_t)n, inv) != 0)
			continue;
		printf("invitation cmd=%d port=%u size=%lld md5=%s\n", inv->cmd, inv->host_port,
		       inv->size, inv->md5);
		fflush(stdout);
		if (o->password && *o->password) {
			char nonce[DIGEST_MAX_HEX], msg[80];
			int m, rc;

			make_nonce(o->nonce_len, nonce);
			m = snprintf(msg, sizeof(msg), "AUTH %s", nonce);
			reply(udp, &inv->from, msg, (size_t)m);
			rc = check_auth(udp, o, inv, nonce);
			if (rc <= 0)
				continue;
			printf("auth ok\n");
		} else {
			drain(udp);
		}
		if (o->refuse) {
			reply(udp, &inv->from, o->refuse, strlen(o->refuse));
			return 0;
		}
		reply(udp, &inv->from, "OK", 2);
		return 1;
	}
}
