/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The TCP half of the device: connect back to the host, take the image,
 * answer decimal acks, check size and MD5, answer OK or an Updater error
 * (docs/protocol/ota-protocol.md §6, §8). */
#include "fakedev.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include "clock.h"
#include "digest.h"
#include "file.h"
#include "sock.h"

#define READ_MAX 1460        /* one lwIP segment per read, as the devices see it */
#define SECTOR 4096
#define STALL_MS 15000       /* the real device loops forever; a test must not */
#define MAX_IMAGE (64L << 20)

struct acker {
	enum fd_acks mode;
	int fd;
	char pending[256];
	size_t plen;
	int held;
};

static void send_text(int fd, const char *s, size_t len)
{
	(void)sock_send_all(fd, s, len);
}

static void ack(struct acker *a, size_t n)
{
	char num[24];
	int len = snprintf(num, sizeof(num), "%zu", n);

	switch (a->mode) {
	case ACKS_NORMAL:
		send_text(a->fd, num, (size_t)len);
		break;
	case ACKS_SPLIT:
		/* first digit alone, the rest a moment later: two segments */
		send_text(a->fd, num, 1);
		clock_sleep_ms(2);
		if (len > 1)
			send_text(a->fd, num + 1, (size_t)len - 1);
		break;
	case ACKS_JOIN:
		memcpy(a->pending + a->plen, num, (size_t)len);
		a->plen += (size_t)len;
		if (++a->held == 3) {
			send_text(a->fd, a->pending, a->plen);
			a->plen = 0;
			a->held = 0;
		}
		break;
	}
}

static int connect_back(const struct fd_options *o, const struct fd_invite *inv)
{
	struct sockaddr_in sa = inv->from;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

	if (fd < 0)
		return -1;
	if (o->rx_window > 0) {
		/* Linux doubles SO_RCVBUF for its bookkeeping: ask for half. */
		int half = o->rx_window / 2;

		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &half, sizeof(half));
	}
	sa.sin_port = htons(inv->host_port);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		close(fd);
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

/* Inflates a gzip stream; 0 when it is one whole, valid stream. */
static int gunzip(const uint8_t *in, size_t len, struct file_buf *out, char *why, size_t whylen)
{
	z_stream zs = { 0 };
	size_t cap = len * 4 + 4096;
	int rc;

	out->data = malloc(cap);
	out->len = 0;
	if (!out->data || inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
		snprintf(why, whylen, "inflate setup failed");
		return -1;
	}
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = (uInt)len;
	do {
		if (out->len == cap) {
			uint8_t *p = realloc(out->data, cap * 2);

			if (!p) {
				rc = Z_MEM_ERROR;
				break;
			}
			out->data = p;
			cap *= 2;
		}
		zs.next_out = out->data + out->len;
		zs.avail_out = (uInt)(cap - out->len);
		rc = inflate(&zs, Z_NO_FLUSH);
		out->len = cap - zs.avail_out;
	} while (rc == Z_OK);
	inflateEnd(&zs);
	if (rc != Z_STREAM_END || zs.avail_in != 0) {
		snprintf(why, whylen, "inflate failed (zlib %d, %u bytes left)", rc, zs.avail_in);
		return -1;
	}
	return 0;
}

/* Checks what came; on failure err holds the Updater text to answer. */
static int finish_checks(const struct fd_options *o, const struct fd_invite *inv, const uint8_t *buf,
			 size_t got, char *err, size_t errlen, char *why, size_t whylen)
{
	char md5[DIGEST_MAX_HEX];
	struct file_buf plain = { 0 };
	const uint8_t *outp = buf;
	size_t outlen = got;

	digest_hex(DIGEST_MD5, buf, got, md5);
	if (strcmp(md5, inv->md5) != 0) {
		snprintf(err, errlen, "ERROR[7]: MD5 verification failed: expected: %s, calculated: %s\n",
			 inv->md5, md5);
		snprintf(why, whylen, "md5 mismatch: expected %s, got %s", inv->md5, md5);
		return -1;
	}
	if (o->inflate) {
		if (gunzip(buf, got, &plain, why, whylen) != 0) {
			snprintf(err, errlen, "ERROR[6]: Stream Read Timeout\n");
			file_buf_free(&plain);
			return -1;
		}
		outp = plain.data;
		outlen = plain.len;
	}
	if (o->out_path && file_write_atomic(o->out_path, outp, outlen, 0644) != FILE_OK) {
		snprintf(why, whylen, "cannot write '%s': %s", o->out_path, strerror(errno));
		file_buf_free(&plain);
		return -1;
	}
	snprintf(why, whylen, "ok cmd=%d bytes=%zu md5=%s%s%zu", inv->cmd, got, md5,
		 o->inflate ? " inflated=" : " written=", outlen);
	file_buf_free(&plain);
	return 0;
}

int fd_receive(const struct fd_options *o, const struct fd_invite *inv, char *why, size_t whylen)
{
	struct acker a = { .mode = o->acks };
	char err[200];
	size_t got = 0, want, sectors_done = 0;
	uint8_t *buf;
	int fd, rc = -1;

	if (inv->size < 0 || inv->size > MAX_IMAGE) {
		snprintf(why, whylen, "invitation size %lld out of range", inv->size);
		return -1;
	}
	want = (size_t)inv->size;
	if (!o->no_delays)
		clock_sleep_ms(100);
	fd = connect_back(o, inv);
	if (fd < 0) {
		snprintf(why, whylen, "cannot connect back to port %u: %s", inv->host_port, strerror(errno));
		return -1;
	}
	a.fd = fd;
	buf = malloc(want ? want : 1);
	if (!buf) {
		close(fd);
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	while (got < want) {
		size_t room = want - got;
		ssize_t n;
		int w = sock_wait(fd, POLLIN, STALL_MS);

		if (w <= 0) {
			snprintf(why, whylen, "stream stalled after %zu bytes", got);
			goto out;
		}
		n = recv(fd, buf + got, room < READ_MAX ? room : READ_MAX, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(why, whylen, "host closed after %zu of %zu bytes", got, want);
			goto out;
		}
		got += (size_t)n;
		if (o->drop_after >= 0 && (long long)got >= o->drop_after) {
			struct linger lg = { .l_onoff = 1, .l_linger = 0 };

			setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
			snprintf(why, whylen, "dropped after %zu bytes", got);
			goto out;
		}
		if (o->stall_after >= 0 && (long long)got >= o->stall_after) {
			/* a hung device: connection open, nothing read any more */
			clock_sleep_ms(STALL_MS);
			snprintf(why, whylen, "stalled on purpose after %zu bytes", got);
			goto out;
		}
		while (o->sector_ms > 0 && got / SECTOR > sectors_done) {
			clock_sleep_ms((uint32_t)o->sector_ms);
			sectors_done++;
		}
		ack(&a, (size_t)n);
	}
	err[0] = '\0';
	rc = finish_checks(o, inv, buf, got, err, sizeof(err), why, whylen);
	{
		const char *final = rc != 0 ? err : o->final_text ? o->final_text : "OK";

		if (a.mode == ACKS_JOIN) {
			/* the worst case of pitfall 2: last acks and OK in one segment */
			memcpy(a.pending + a.plen, final, strnlen(final, sizeof(a.pending) - a.plen - 1));
			a.plen += strnlen(final, sizeof(a.pending) - a.plen - 1);
			send_text(fd, a.pending, a.plen);
		} else {
			/* the real device waits 1 s around OK, not around an error */
			if (!o->no_delays && rc == 0)
				clock_sleep_ms(1000);
			send_text(fd, final, strlen(final));
		}
		if (!o->no_delays && rc == 0)
			clock_sleep_ms(1000);
	}
out:
	free(buf);
	close(fd);
	return rc;
}
