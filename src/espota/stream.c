/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * espota.py writes 1460 bytes, then blocks until the device acks them, so
 * each chunk costs a round trip plus the device's flash write. Here the
 * socket is non-blocking: poll() keeps the send buffer full and TCP's own
 * flow control paces the stream to what the device's window takes, while
 * acks are read as they arrive. --stop-and-wait keeps the old pattern.
 */
#include "stream.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ackscan.h"
#include "clock.h"
#include "escape.h"
#include "sock.h"

#define STALL_MS 10000     /* espota.py's per-chunk timeout */
#define RESULT_MS 60000    /* espota.py's wait for the result */
#define TEXT_GRACE_MS 1000 /* an error text with no newline: wait this much for the rest */
#define SEND_MAX (256u << 10)
/* The slowest stream still taken for a working device: bytes per second
 * the default overall limit allows on top of RESULT_MS (a device that
 * takes a byte now and then never trips STALL_MS, so only this ends it). */
#define STREAM_FLOOR_BPS 2048

struct stream {
	int fd;
	const uint8_t *data;
	size_t len, sent;
	struct ackscan scan;
	const struct stream_opts *o;
	struct espota_result *r;
	int last_errno;
	bool finished; /* done() has filled the result */
	bool bar_done; /* the progress line is finished */
	size_t taken;  /* the most the device's TCP stack was seen to have taken */
	uint64_t deadline_us; /* clock_us() by which the whole stream must be done */
	bool past_deadline;   /* ended by the deadline, not by a quiet device */
	bool ok_early;        /* the peer said OK before it had taken the whole image */
};

int espota_stream_limit_s(size_t len, int max_time_s)
{
	if (max_time_s > 0)
		return max_time_s;
	return RESULT_MS / 1000 + (int)(len / STREAM_FLOOR_BPS);
}

int espota_accept(int listener, struct in_addr device, int timeout_ms, const struct logger *log)
{
	uint64_t end = clock_us() + (uint64_t)timeout_ms * 1000;

	for (;;) {
		struct sockaddr_in peer;
		socklen_t plen = sizeof(peer);
		uint64_t now = clock_us();
		char addr[INET_ADDRSTRLEN];
		int fd;

		if (now >= end || sock_wait(listener, POLLIN, (int)((end - now + 999) / 1000)) <= 0)
			return -1;
		do
			fd = accept4(listener, (struct sockaddr *)&peer, &plen, SOCK_CLOEXEC);
		while (fd < 0 && errno == EINTR);
		if (fd < 0)
			return -1;
		if (peer.sin_family == AF_INET && peer.sin_addr.s_addr == device.s_addr)
			return fd;
		/* only the invited device gets the image (anyone on the network could
		 * connect to the port it was told first) */
		inet_ntop(AF_INET, &peer.sin_addr, addr, sizeof(addr));
		log_debug(log, "Closed a connection from %s:%u: not the invited device", addr,
			  ntohs(peer.sin_port));
		close(fd);
	}
}

/* Bytes the device's TCP stack has taken: sent minus what still waits in
 * our send queue (so the bar follows the device, not our buffer). */
static size_t delivered(struct stream *s)
{
	int queued = 0;
	size_t d = s->sent;

	if (ioctl(s->fd, TIOCOUTQ, &queued) == 0 && queued >= 0 && (size_t)queued <= s->sent)
		d = s->sent - (size_t)queued;
	if (d > s->taken)
		s->taken = d;
	return d;
}

/* Draws what the device has taken; once it has everything the line is
 * finished (100%, as espota.py shows after its last chunk) and the wait
 * for the result begins. */
static void show_progress(struct stream *s)
{
	size_t d;

	(void)delivered(s);
	d = s->taken;
	if (s->bar_done)
		return;
	if (d < s->len) {
		if (s->o->progress)
			progress_update(s->o->progress, d);
		return;
	}
	s->bar_done = true;
	if (s->o->progress)
		progress_finish(s->o->progress, s->len);
	log_info(s->o->log, "Waiting for result...");
}

static enum espota_error done(struct stream *s, enum espota_error err)
{
	struct espota_result *r = s->r;
	size_t acked = s->taken;

	s->finished = true;
	r->err = err;
	r->bytes_sent = s->sent;
	if (err != ESPOTA_OK && s->o->progress && !s->bar_done) {
		/* end the progress line so the error starts on its own */
		fputc('\n', s->o->progress->out);
		s->bar_done = true;
	}
	switch (err) {
	case ESPOTA_OK:
		s->taken = s->len;
		show_progress(s);
		break;
	case ESPOTA_ERR_DEVICE: {
		char shown[ESCAPE_TEXT_SIZE(sizeof(r->device_text))];

		snprintf(r->device_text, sizeof(r->device_text), "%s", ackscan_text(&s->scan));
		escape_text(shown, sizeof(shown), r->device_text, strlen(r->device_text));
		if (s->sent < s->len)
			snprintf(r->message, sizeof(r->message),
				 "the device at '%s' stopped the upload after %zu of %zu bytes: %.300s",
				 r->device_addr, s->sent, s->len, shown);
		else
			snprintf(r->message, sizeof(r->message),
				 "the device at '%s' rejected the image: %.300s: check the image is built for "
				 "this device (and signed with its key)",
				 r->device_addr, shown);
		break;
	}
	case ESPOTA_ERR_DROPPED:
		snprintf(r->message, sizeof(r->message),
			 "the connection to '%s' dropped after %zu of %zu bytes sent (%zu taken by the "
			 "device): %s: check the device's power and signal, then upload again",
			 r->device_addr, s->sent, s->len, acked,
			 s->last_errno ? strerror(s->last_errno) : "closed by the device");
		break;
	case ESPOTA_ERR_STALLED:
		if (s->past_deadline) {
			snprintf(r->message, sizeof(r->message),
				 "the device at '%s' took only %zu of %zu bytes within the upload's limit "
				 "of %d s: check the device's signal, or allow more time with --max-time",
				 r->device_addr, acked, s->len, s->o->limit_s);
			break;
		}
		snprintf(r->message, sizeof(r->message),
			 "the device at '%s' took no data for %d s after %zu of %zu bytes: check the "
			 "device's power and signal, then upload again",
			 r->device_addr, STALL_MS / 1000, acked, s->len);
		break;
	case ESPOTA_ERR_NO_RESULT:
		if (s->past_deadline) {
			snprintf(r->message, sizeof(r->message),
				 "no result from '%s' within the upload's limit of %d s, though it took "
				 "all %zu bytes: check it on its serial console, or allow more time with "
				 "--max-time",
				 r->device_addr, s->o->limit_s, s->len);
			break;
		}
		snprintf(r->message, sizeof(r->message),
			 "no result from '%s' after all %zu bytes were sent: the device %s without "
			 "saying OK: check it on its serial console",
			 r->device_addr, s->len,
			 s->last_errno == ETIMEDOUT ? "stayed silent" : "closed the connection");
		break;
	default:
		break;
	}
	if (s->ok_early && err != ESPOTA_OK) {
		size_t n = strlen(r->message);

		snprintf(r->message + n, sizeof(r->message) - n,
			 " (it said OK before it had taken the image, which a device never does)");
	}
	return err;
}

/* Reads what is there. 1 data, 0 end of stream, -1 error, -2 nothing yet. */
static int read_some(struct stream *s, enum ackscan_verdict *v)
{
	char buf[512];
	ssize_t n = recv(s->fd, buf, sizeof(buf), MSG_DONTWAIT);

	if (n > 0) {
		*v = ackscan_feed(&s->scan, buf, (size_t)n);
		return 1;
	}
	if (n == 0)
		return 0;
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
		return -2;
	s->last_errno = errno;
	return -1;
}

/* What an ended or broken stream means, given what was sent and said. */
static enum espota_error ended(struct stream *s)
{
	enum ackscan_verdict v = ackscan_end(&s->scan);

	if (!s->last_errno)
		(void)delivered(s); /* after a reset the queue is gone: keep the last count */

	if (v == ACKSCAN_OK && s->taken == s->len)
		return done(s, ESPOTA_OK);
	if (v == ACKSCAN_ERROR)
		return done(s, ESPOTA_ERR_DEVICE);
	/* a reset, or a close before the device took everything, is a drop */
	if (s->sent < s->len || s->taken < s->len || s->last_errno == ECONNRESET ||
	    s->last_errno == EPIPE)
		return done(s, ESPOTA_ERR_DROPPED);
	return done(s, ESPOTA_ERR_NO_RESULT);
}

/* Drains the socket; returns a final error code, or -1 to go on. */
static int take_input(struct stream *s)
{
	for (;;) {
		enum ackscan_verdict v = ACKSCAN_PENDING;
		int rc = read_some(s, &v);

		if (rc == -2)
			return -1;
		if (rc <= 0)
			return (int)ended(s);
		if (v == ACKSCAN_ERROR)
			return (int)done(s, ESPOTA_ERR_DEVICE);
		/* an OK counts once TCP has acknowledged the whole image: a peer that
		 * says OK with bytes still queued for it never took them */
		if (v == ACKSCAN_OK) {
			if (s->sent == s->len && delivered(s) == s->len)
				return (int)done(s, ESPOTA_OK);
			s->ok_early = true;
		}
	}
}

/* Sends as much as the socket takes now; -1 to go on, or a final code. */
static int push(struct stream *s, size_t limit)
{
	while (s->sent < limit) {
		size_t want = limit - s->sent;
		ssize_t n = send(s->fd, s->data + s->sent, want < SEND_MAX ? want : SEND_MAX,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n > 0) {
			s->sent += (size_t)n;
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
			return -1;
		s->last_errno = errno;
		/* the device may have said why before it closed */
		if (take_input(s) == (int)ESPOTA_ERR_DEVICE)
			return (int)ESPOTA_ERR_DEVICE;
		return (int)done(s, ESPOTA_ERR_DROPPED);
	}
	return -1;
}

/* One poll round: send up to limit, read what came. -1 to go on, or a
 * final code. */
static int step(struct stream *s, size_t limit, int timeout_ms)
{
	struct pollfd p = { .fd = s->fd, .events = POLLIN };
	uint64_t now = clock_us();
	int left_ms, rc;

	if (now >= s->deadline_us) {
		s->past_deadline = true;
		s->last_errno = ETIMEDOUT;
		if (s->scan.in_text && !s->ok_early)
			return (int)done(s, ESPOTA_ERR_DEVICE);
		return (int)done(s, delivered(s) < s->len ? ESPOTA_ERR_STALLED : ESPOTA_ERR_NO_RESULT);
	}
	left_ms = (int)((s->deadline_us - now + 999) / 1000);
	if (s->sent < limit)
		p.events |= POLLOUT;
	if (s->scan.in_text && !s->ok_early)
		timeout_ms = TEXT_GRACE_MS;
	if (timeout_ms > left_ms)
		timeout_ms = left_ms;
	rc = poll(&p, 1, timeout_ms);
	if (rc < 0 && errno == EINTR)
		return -1;
	if (rc < 0) {
		s->last_errno = errno;
		return (int)done(s, ESPOTA_ERR_DROPPED);
	}
	if (rc == 0) {
		size_t before = s->taken;

		if (s->scan.in_text && !s->ok_early)
			return (int)done(s, ESPOTA_ERR_DEVICE);
		/* a device that takes data but does not ack is slow, not stalled;
		 * the deadline (checked above) still bounds it */
		if (delivered(s) > before || clock_us() >= s->deadline_us)
			return -1;
		s->last_errno = ETIMEDOUT;
		return (int)done(s, s->taken < s->len ? ESPOTA_ERR_STALLED : ESPOTA_ERR_NO_RESULT);
	}
	if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
		rc = take_input(s);
		if (rc >= 0)
			return rc;
	}
	if (p.revents & POLLOUT) {
		rc = push(s, limit);
		if (rc >= 0)
			return rc;
	}
	show_progress(s);
	return -1;
}

static enum espota_error stream_all(struct stream *s)
{
	int rc;

	while (s->sent < s->len)
		if ((rc = step(s, s->len, STALL_MS)) >= 0)
			return (enum espota_error)rc;
	return ESPOTA_OK;
}

static enum espota_error stop_and_wait(struct stream *s)
{
	size_t chunk = s->o->chunk_size ? s->o->chunk_size : ESPOTA_DEFAULT_CHUNK;
	int rc;

	while (s->sent < s->len) {
		size_t limit = s->len - s->sent < chunk ? s->len : s->sent + chunk;
		uint64_t acks = s->scan.ack_digits;
		bool in_text = s->scan.in_text;

		while (s->sent < limit)
			if ((rc = step(s, limit, STALL_MS)) >= 0)
				return (enum espota_error)rc;
		/* espota.py blocks for the device's answer to each chunk */
		while (s->scan.ack_digits == acks && s->scan.in_text == in_text)
			if ((rc = step(s, limit, STALL_MS)) >= 0)
				return (enum espota_error)rc;
	}
	return ESPOTA_OK;
}

enum espota_error espota_stream(int fd, const uint8_t *data, size_t len, const struct stream_opts *o,
				struct espota_result *r)
{
	struct stream s = { .fd = fd, .data = data, .len = len, .o = o, .r = r };
	int one = 1;
	enum espota_error err;
	int rc;

	ackscan_init(&s.scan);
	s.deadline_us = clock_us() + (uint64_t)o->limit_s * 1000000u;
	/* Streaming sends whole segments anyway; without Nagle the tail of each
	 * window goes at once instead of waiting for the device's ACK. The
	 * stop-and-wait baseline keeps Nagle, as espota.py's socket does. */
	if (!o->stop_and_wait)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (sock_set_nonblock(fd, true) != 0) {
		s.last_errno = errno;
		return done(&s, ESPOTA_ERR_DROPPED);
	}
	if (o->progress)
		progress_update(o->progress, 0);
	err = o->stop_and_wait ? stop_and_wait(&s) : stream_all(&s);
	if (s.finished)
		return err;
	if (s.scan.in_text && ackscan_end(&s.scan) == ACKSCAN_OK && delivered(&s) == len)
		return done(&s, ESPOTA_OK);
	/* the device may still be taking what sits in our send queue */
	for (;;)
		if ((rc = step(&s, len, s.taken < len ? STALL_MS : RESULT_MS)) >= 0)
			return (enum espota_error)rc;
}
