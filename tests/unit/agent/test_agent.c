/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The agent's state machine over the POSIX HAL: real UDP and TCP sockets
 * on 127.0.0.1, a real flash file and the real Updater. The test plays the
 * uploader in the same thread, pumping the agent's loop between its own
 * steps, so every transition (and every dropped datagram) is observed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "flash_layout.h"
#include "hal_posix.h"
#include "ota_auth.h"
#include "stage2_standin.h"
#include "test_device.h"
#include "updater.h"

#define LOOPBACK 0x7f000001u
#define FLASH_SIZE (1024u * 1024u)

struct rig {
	struct test_device dev;
	struct hal *h;
	struct updater_config ucfg;
	struct updater u;
	struct agent a;
	int udp; /* the uploader's UDP socket */
	int errors[32];
	size_t n_errors;
	int starts, ends;
	uint32_t progress_done, progress_total;
};

static void on_start(void *ctx)
{
	((struct rig *)ctx)->starts++;
}

static void on_progress(void *ctx, uint32_t done, uint32_t total)
{
	struct rig *r = ctx;

	r->progress_done = done;
	r->progress_total = total;
}

static void on_end(void *ctx)
{
	((struct rig *)ctx)->ends++;
}

static void on_error(void *ctx, enum agent_error err)
{
	struct rig *r = ctx;

	if (r->n_errors < sizeof(r->errors) / sizeof(r->errors[0]))
		r->errors[r->n_errors++] = (int)err;
}

static struct rig *rig_open(const char *password, enum ota_auth_scheme scheme,
			    uint32_t stream_timeout_ms)
{
	struct rig *r = calloc(1, sizeof(*r));
	struct agent_config ac = { 0 };
	struct agent_callbacks cb = { on_start, on_progress, on_end, on_error, NULL };
	struct sockaddr_in sa = { 0 };

	assert_non_null(r);
	test_device_open(&r->dev, "agent-sm", FLASH_SIZE);
	r->h = r->dev.h;
	assert_int_equal(flash_layout_default(&r->ucfg.layout, FLASH_SIZE), 0);
	/* A stage 2, or the Updater schedules nothing. */
	assert_int_equal(stage2_standin_write(r->h, r->ucfg.layout.stage2), HAL_OK);
	updater_init(&r->u, r->h, &r->ucfg, NULL);

	ac.bind_ip = LOOPBACK;
	ac.port = 0;
	ac.scheme = scheme;
	ac.reboot_on_success = true;
	ac.stream_timeout_ms = stream_timeout_ms;
	if (password)
		ota_auth_password_hash(scheme, password, strlen(password), ac.password_hash);
	cb.ctx = r;
	assert_int_equal(agent_begin(&r->a, r->h, &r->u, &ac, &cb), 0);
	assert_int_not_equal(agent_port(&r->a), 0);
	assert_int_equal(agent_get_state(&r->a), AGENT_IDLE);

	r->udp = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(r->udp >= 0);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(LOOPBACK);
	assert_int_equal(bind(r->udp, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return r;
}

static void rig_close(struct rig *r)
{
	agent_stop(&r->a);
	test_device_close(&r->dev);
	close(r->udp);
	free(r);
}

static uint32_t ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint32_t)(ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* One turn of the device's loop, waiting at most max_wait ms. */
static void turn(struct rig *r, uint32_t max_wait)
{
	struct hal_pollset set[AGENT_POLL_ENTRIES];
	uint32_t wait = max_wait;
	size_t n = agent_poll_set(&r->a, set, AGENT_POLL_ENTRIES, hal_millis(r->h), &wait);

	assert_true(hal_poll(r->h, set, n, wait) >= 0);
	agent_step(&r->a, set, n, hal_millis(r->h));
}

static void pump(struct rig *r, uint32_t ms)
{
	uint32_t end = ms_now() + ms;

	while ((int32_t)(ms_now() - end) < 0)
		turn(r, end - ms_now());
}

static void send_to_agent(struct rig *r, const char *text)
{
	struct sockaddr_in sa = { 0 };

	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(LOOPBACK);
	sa.sin_port = htons(agent_port(&r->a));
	assert_int_equal(sendto(r->udp, text, strlen(text), 0, (struct sockaddr *)&sa, sizeof(sa)),
			 (ssize_t)strlen(text));
}

/* The agent's next reply to the uploader's socket, "" when none came. */
static size_t reply(struct rig *r, char *buf, size_t cap)
{
	ssize_t n = recv(r->udp, buf, cap - 1, MSG_DONTWAIT);

	if (n < 0) {
		buf[0] = '\0';
		return 0;
	}
	buf[n] = '\0';
	return (size_t)n;
}

/* A TCP listener on 127.0.0.1, as espota opens before inviting. */
static int host_listen(uint16_t *port)
{
	struct sockaddr_in sa = { 0 };
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	assert_true(fd >= 0);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 1), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	*port = ntohs(sa.sin_port);
	return fd;
}

static void md5_hex(const uint8_t *p, size_t len, char out[33])
{
	uint8_t d[16];
	unsigned n = 0;

	assert_int_equal(EVP_Digest(p, len, d, &n, EVP_md5(), NULL), 1);
	for (int i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* A minimal app image the Updater's end() accepts: magic, one segment,
 * a 512 KiB size nibble, then noise. */
/* Puts one ROM image of one segment (load address load, n data bytes
 * already in place after the two headers) at p, with its checksum. */
static void rom_image(uint8_t *p, uint32_t load, uint32_t n)
{
	uint8_t sum = 0xEF;

	p[0] = 0xE9;
	p[1] = 1;
	p[2] = 0;
	p[3] = 0x00;
	p[4] = (uint8_t)load;
	p[5] = (uint8_t)(load >> 8);
	p[6] = (uint8_t)(load >> 16);
	p[7] = (uint8_t)(load >> 24);
	memcpy(p + 8, p + 4, 4);
	p[12] = (uint8_t)n;
	p[13] = (uint8_t)(n >> 8);
	p[14] = (uint8_t)(n >> 16);
	p[15] = (uint8_t)(n >> 24);
	for (uint32_t i = 0; i < n; i++)
		sum ^= p[16 + i];
	p[(16 + n) | 15u] = sum;
}

/* A .bin of len bytes of noise that the Updater takes as bootable when
 * len allows one (eboot at 0, the app at 0x1000, the rest after the
 * app's checksum); a shorter one only starts with an image header. */
static uint8_t *make_image(size_t len)
{
	uint8_t *p = malloc(len);
	uint32_t seed = 12345;

	assert_non_null(p);
	for (size_t i = 0; i < len; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = (uint8_t)(seed >> 16);
	}
	if (len >= 0x1040) {
		rom_image(p, 0x4010F000u, 16);
		rom_image(p + 0x1000, 0x40100000u, (uint32_t)(len - 0x1000 - 32) & ~15u);
		return p;
	}
	p[0] = 0xE9;
	p[1] = 1;
	p[2] = 0;
	p[3] = 0x00;
	return p;
}

struct upload {
	size_t send_limit;    /* stop sending after this many bytes (then hold or close) */
	bool close_at_limit;  /* close the connection at the limit */
	char from_device[4096];
	size_t got;
	bool connected, peer_closed;
};

/* Plays espota's TCP phase against the agent for at most ms. */
static void host_stream(struct rig *r, int lfd, const uint8_t *img, size_t len, struct upload *up,
			uint32_t ms)
{
	uint32_t end = ms_now() + ms;
	size_t sent = 0;
	int c = -1;

	while ((int32_t)(ms_now() - end) < 0 && !up->peer_closed) {
		turn(r, 5);
		if (c < 0) {
			c = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
			if (c >= 0)
				up->connected = true;
			continue;
		}
		if (sent < len && sent < up->send_limit) {
			size_t take = len - sent < 1460 ? len - sent : 1460;
			ssize_t n;

			if (take > up->send_limit - sent)
				take = up->send_limit - sent;
			n = send(c, img + sent, take, MSG_NOSIGNAL);
			if (n > 0)
				sent += (size_t)n;
		} else if (sent == up->send_limit && up->close_at_limit) {
			close(c);
			c = -1;
			up->peer_closed = true;
			break;
		}
		for (;;) {
			ssize_t n = recv(c, up->from_device + up->got,
					 sizeof(up->from_device) - 1 - up->got, 0);

			if (n == 0) {
				up->peer_closed = true;
				break;
			}
			if (n < 0)
				break;
			up->got += (size_t)n;
			up->from_device[up->got] = '\0';
		}
	}
	if (c >= 0)
		close(c);
}

static void test_ignored_invitations(void **state)
{
	struct rig *r = rig_open(NULL, OTA_AUTH_MD5, 0);
	char buf[256];

	(void)state;
	send_to_agent(r, "1 5000 77 0123456789abcdef0123456789abcdef\n");
	send_to_agent(r, "0 5000 77 0123456789abcdef0123456789abcde\n");
	send_to_agent(r, "200 5000 77 0123456789abcdef0123456789abcdef\n");
	pump(r, 150);
	assert_int_equal(reply(r, buf, sizeof(buf)), 0);
	assert_int_equal(agent_get_state(&r->a), AGENT_IDLE);
	assert_int_equal(r->n_errors, 0);
	rig_close(r);
}

static void test_auth_challenge_and_failure(void **state)
{
	struct rig *r = rig_open("secret", OTA_AUTH_MD5, 0);
	char buf[256], nonce[33], resp[65];
	char bad[128];

	(void)state;
	send_to_agent(r, "0 5000 77 0123456789abcdef0123456789abcdef\n");
	pump(r, 100);
	assert_int_equal(reply(r, buf, sizeof(buf)), 37);
	assert_memory_equal(buf, "AUTH ", 5);
	assert_int_equal(strspn(buf + 5, "0123456789abcdef"), 32);
	assert_int_equal(agent_get_state(&r->a), AGENT_WAITAUTH);
	memcpy(nonce, buf + 5, 33);

	/* A right response with the wrong password */
	{
		char stored[65];

		ota_auth_password_hash(OTA_AUTH_MD5, "wrong", 5, stored);
		ota_auth_expected(OTA_AUTH_MD5, stored, 32, nonce,
				  "ffeeddccbbaa99887766554433221100", resp);
	}
	snprintf(bad, sizeof(bad), "200 ffeeddccbbaa99887766554433221100 %s\n", resp);
	send_to_agent(r, bad);
	pump(r, 100);
	assert_int_equal(reply(r, buf, sizeof(buf)), 21);
	assert_string_equal(buf, "Authentication Failed");
	assert_int_equal(agent_get_state(&r->a), AGENT_IDLE);
	assert_int_equal(r->n_errors, 1);
	assert_int_equal(r->errors[0], AGENT_AUTH_ERROR);
	rig_close(r);
}

static void test_waitauth_swallows_a_retry(void **state)
{
	struct rig *r = rig_open("secret", OTA_AUTH_MD5, 0);
	char buf[256];

	(void)state;
	send_to_agent(r, "0 5000 77 0123456789abcdef0123456789abcdef\n");
	pump(r, 100);
	assert_int_equal(reply(r, buf, sizeof(buf)), 37);
	/* A repeated invitation in WAITAUTH: back to IDLE, no reply. */
	send_to_agent(r, "0 5000 77 0123456789abcdef0123456789abcdef\n");
	pump(r, 100);
	assert_int_equal(reply(r, buf, sizeof(buf)), 0);
	assert_int_equal(agent_get_state(&r->a), AGENT_IDLE);
	/* Malformed auth (short response): IDLE, no reply, no error. */
	send_to_agent(r, "0 5000 77 0123456789abcdef0123456789abcdef\n");
	pump(r, 100);
	assert_int_equal(reply(r, buf, sizeof(buf)), 37);
	send_to_agent(r, "200 ffeeddccbbaa99887766554433221100 abc\n");
	pump(r, 100);
	assert_int_equal(reply(r, buf, sizeof(buf)), 0);
	assert_int_equal(agent_get_state(&r->a), AGENT_IDLE);
	assert_int_equal(r->n_errors, 0);
	rig_close(r);
}

static void test_queue_draining(void **state)
{
	struct rig *r = rig_open("secret", OTA_AUTH_MD5, 0);
	char buf[256];

	(void)state;
	/* Early exits do not drain: an ignored datagram, then an invitation
	 * queued behind it, both handled in one turn. */
	send_to_agent(r, "7 5000 77 0123456789abcdef0123456789abcdef\n");
	send_to_agent(r, "0 5000 77 0123456789abcdef0123456789abcdef\n");
	usleep(20000);
	turn(r, 0);
	assert_int_equal(reply(r, buf, sizeof(buf)), 37);
	assert_int_equal(agent_get_state(&r->a), AGENT_WAITAUTH);
	/* A complete auth check drains: the invitation queued behind a wrong
	 * response is dropped, so no second AUTH comes. */
	send_to_agent(r, "200 ffeeddccbbaa99887766554433221100 ffeeddccbbaa99887766554433221100\n");
	send_to_agent(r, "0 5000 77 0123456789abcdef0123456789abcdef\n");
	usleep(20000);
	turn(r, 0);
	assert_int_equal(reply(r, buf, sizeof(buf)), 21);
	pump(r, 100);
	assert_int_equal(reply(r, buf, sizeof(buf)), 0);
	assert_int_equal(agent_get_state(&r->a), AGENT_IDLE);
	rig_close(r);
}

static void test_begin_refused(void **state)
{
	struct rig *r = rig_open(NULL, OTA_AUTH_MD5, 0);
	char buf[256];

	(void)state;
	send_to_agent(r, "0 5000 0 0123456789abcdef0123456789abcdef\n");
	turn(r, 50);
	assert_int_equal(agent_get_state(&r->a), AGENT_REFUSED);
	reply(r, buf, sizeof(buf));
	assert_string_equal(buf, "ERR: ERROR[5]: Bad Size Given\n");
	assert_int_equal(r->errors[0], AGENT_BEGIN_ERROR);
	/* Busy for 100 ms: an invitation now is dropped. */
	send_to_agent(r, "0 5000 0 0123456789abcdef0123456789abcdef\n");
	pump(r, 150);
	assert_int_equal(reply(r, buf, sizeof(buf)), 0);
	assert_int_equal(agent_get_state(&r->a), AGENT_IDLE);
	/* Too big for the chip */
	send_to_agent(r, "0 5000 2000000 0123456789abcdef0123456789abcdef\n");
	pump(r, 50);
	reply(r, buf, sizeof(buf));
	assert_string_equal(buf, "ERR: ERROR[4]: Not Enough Space\n");
	rig_close(r);
}

static void invite_for(struct rig *r, const uint8_t *img, size_t len, uint16_t port, int cmd)
{
	char md5[33], text[128];

	md5_hex(img, len, md5);
	snprintf(text, sizeof(text), "%d %u %zu %s\n", cmd, port, len, md5);
	send_to_agent(r, text);
}

static void test_full_upload_and_reset(void **state)
{
	struct rig *r = rig_open(NULL, OTA_AUTH_MD5, 0);
	size_t len = 20000;
	uint8_t *img = make_image(len);
	struct upload up = { .send_limit = SIZE_MAX };
	uint16_t port;
	int lfd = host_listen(&port);
	char buf[64];
	unsigned long sum = 0;

	(void)state;
	invite_for(r, img, len, port, 0);
	/* A second invitation queued behind the first is dropped. */
	invite_for(r, img, len, port, 0);
	usleep(20000);
	turn(r, 0);
	assert_int_equal(agent_get_state(&r->a), AGENT_ACCEPTED);
	assert_int_equal(reply(r, buf, sizeof(buf)), 2);
	assert_string_equal(buf, "OK");
	host_stream(r, lfd, img, len, &up, 5000);
	assert_true(up.connected);
	assert_true(up.peer_closed);
	/* Decimal acks summing to the size, then "OK" after a pause. */
	assert_true(up.got >= 2);
	assert_memory_equal(up.from_device + up.got - 2, "OK", 2);
	up.from_device[up.got - 2] = '\0';
	assert_int_equal(strspn(up.from_device, "0123456789"), up.got - 2);
	assert_int_equal(reply(r, buf, sizeof(buf)), 0);
	for (size_t i = 0; i < up.got - 2;) {
		/* acks are unframed; each is at most 1460, so split greedily */
		unsigned v = 0;
		size_t j = i;

		while (j < up.got - 2 && v * 10 + (unsigned)(up.from_device[j] - '0') <= 1460)
			v = v * 10 + (unsigned)(up.from_device[j++] - '0');
		sum += v;
		i = j;
	}
	assert_int_equal(sum, len);
	assert_int_equal(r->starts, 1);
	assert_int_equal(r->progress_done, len);
	assert_int_equal(r->progress_total, len);
	/* The close came after the second pause, with the end callback. */
	assert_int_equal(r->ends, 1);
	assert_int_equal(agent_get_state(&r->a), AGENT_REBOOTING);
	assert_false(hal_posix_reset_requested(r->h));
	pump(r, 200);
	assert_int_equal(r->n_errors, 0);
	assert_int_equal(agent_get_state(&r->a), AGENT_RESET);
	assert_true(hal_posix_reset_requested(r->h));
	close(lfd);
	free(img);
	rig_close(r);
}

static void test_bad_md5(void **state)
{
	struct rig *r = rig_open(NULL, OTA_AUTH_MD5, 0);
	size_t len = 5000;
	uint8_t *img = make_image(len);
	struct upload up = { .send_limit = SIZE_MAX };
	uint16_t port;
	int lfd = host_listen(&port);
	char text[128];

	(void)state;
	snprintf(text, sizeof(text), "0 %u %zu 0123456789abcdef0123456789abcdef\n", port, len);
	send_to_agent(r, text);
	host_stream(r, lfd, img, len, &up, 3000);
	assert_true(up.peer_closed);
	assert_non_null(strstr(up.from_device, "ERROR[7]: MD5 verification failed: expected: "
					       "0123456789abcdef0123456789abcdef, calculated: "));
	assert_int_equal(r->n_errors, 1);
	assert_int_equal(r->errors[0], AGENT_END_ERROR);
	assert_int_equal(agent_get_state(&r->a), AGENT_IDLE);
	assert_false(hal_posix_reset_requested(r->h));
	assert_false(updater_is_running(&r->u));
	close(lfd);
	free(img);
	rig_close(r);
}

static void test_dropped_connection(void **state)
{
	struct rig *r = rig_open(NULL, OTA_AUTH_MD5, 0);
	size_t len = 30000;
	uint8_t *img = make_image(len);
	struct upload up = { .send_limit = 12000, .close_at_limit = true };
	uint16_t port;
	int lfd = host_listen(&port);

	(void)state;
	invite_for(r, img, len, port, 0);
	host_stream(r, lfd, img, len, &up, 3000);
	pump(r, 200);
	assert_int_equal(agent_get_state(&r->a), AGENT_IDLE);
	assert_int_equal(r->n_errors, 1);
	assert_int_equal(r->errors[0], AGENT_END_ERROR);
	assert_string_equal(agent_error_text(&r->a), "ERROR[0]: No Error");
	assert_false(updater_is_running(&r->u));
	assert_false(hal_posix_reset_requested(r->h));
	close(lfd);
	free(img);
	rig_close(r);
}

static void test_silent_uploader(void **state)
{
	struct rig *r = rig_open(NULL, OTA_AUTH_MD5, 2500);
	size_t len = 30000;
	uint8_t *img = make_image(len);
	struct upload up = { .send_limit = 2920 };
	uint16_t port;
	int lfd = host_listen(&port);

	(void)state;
	invite_for(r, img, len, port, 0);
	host_stream(r, lfd, img, len, &up, 4500);
	assert_true(up.peer_closed);
	assert_non_null(strstr(up.from_device, "ERROR[6]: Stream Read Timeout\n"));
	/* one OTA_RECEIVE_ERROR per silent second, then end() fails */
	assert_int_equal(r->n_errors, 3);
	assert_int_equal(r->errors[0], AGENT_RECEIVE_ERROR);
	assert_int_equal(r->errors[1], AGENT_RECEIVE_ERROR);
	assert_int_equal(r->errors[2], AGENT_END_ERROR);
	assert_int_equal(agent_get_state(&r->a), AGENT_IDLE);
	close(lfd);
	free(img);
	rig_close(r);
}

static void test_connect_refused(void **state)
{
	struct rig *r = rig_open(NULL, OTA_AUTH_MD5, 0);
	uint16_t port;
	int lfd = host_listen(&port);
	uint8_t *img = make_image(4096);

	(void)state;
	close(lfd); /* nobody listens there any more */
	invite_for(r, img, 4096, port, 0);
	pump(r, 400);
	assert_int_equal(agent_get_state(&r->a), AGENT_IDLE);
	assert_int_equal(r->n_errors, 2);
	assert_int_equal(r->errors[0], AGENT_CONNECT_ERROR);
	assert_int_equal(r->errors[1], AGENT_END_ERROR);
	assert_string_equal(agent_error_text(&r->a), "ERROR[13]: No data supplied");
	free(img);
	rig_close(r);
}

static void test_sha256_scheme(void **state)
{
	struct rig *r = rig_open("admin", OTA_AUTH_SHA256, 0);
	static const char cnonce[] =
		"364957b70148640af7c7d8f9a60574d11dbd7cd29a409ceece3a66d6c08e4d07";
	char buf[256], text[256], nonce[65], salt[160], key_hex[65], resp[65];
	uint8_t key[32], digest[32];
	unsigned dl = 0;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	static const char stored[] =
		"8c6976e5b5410415bde908bd4dee15dfb167a9c873fc4bb8a81f6f2ab448a918";

	(void)state;
	send_to_agent(r, "0 5000 0 0123456789abcdef0123456789abcdef\n");
	pump(r, 100);
	assert_int_equal(reply(r, buf, sizeof(buf)), 5 + 64);
	memcpy(nonce, buf + 5, 65);
	/* The response computed with libcrypto, as the 3.3.1+ host does. */
	snprintf(salt, sizeof(salt), "%s:%s", nonce, cnonce);
	assert_int_equal(PKCS5_PBKDF2_HMAC(stored, 64, (const uint8_t *)salt, (int)strlen(salt),
					   10000, EVP_sha256(), 32, key),
			 1);
	for (int i = 0; i < 32; i++)
		snprintf(key_hex + 2 * i, 3, "%02x", key[i]);
	snprintf(text, sizeof(text), "%s:%s:%s", key_hex, nonce, cnonce);
	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	EVP_DigestUpdate(md, text, strlen(text));
	EVP_DigestFinal_ex(md, digest, &dl);
	EVP_MD_CTX_free(md);
	for (int i = 0; i < 32; i++)
		snprintf(resp + 2 * i, 3, "%02x", digest[i]);
	snprintf(text, sizeof(text), "200 %s %s\n", cnonce, resp);
	send_to_agent(r, text);
	pump(r, 100);
	/* Accepted: the size 0 then makes begin() refuse, which proves it. */
	reply(r, buf, sizeof(buf));
	assert_string_equal(buf, "ERR: ERROR[5]: Bad Size Given\n");
	assert_int_equal(r->errors[0], AGENT_BEGIN_ERROR);
	rig_close(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ignored_invitations),
		cmocka_unit_test(test_auth_challenge_and_failure),
		cmocka_unit_test(test_waitauth_swallows_a_retry),
		cmocka_unit_test(test_queue_draining),
		cmocka_unit_test(test_begin_refused),
		cmocka_unit_test(test_full_upload_and_reset),
		cmocka_unit_test(test_bad_md5),
		cmocka_unit_test(test_dropped_connection),
		cmocka_unit_test(test_silent_uploader),
		cmocka_unit_test(test_connect_refused),
		cmocka_unit_test(test_sha256_scheme),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
