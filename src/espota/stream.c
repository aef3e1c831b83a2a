/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * espota.py writes 1460 bytes, then blocks until the device acks them, so
 * each chunk costs a round trip plus the device's flash write. Here the
 * socket is non-blocking: poll() keeps the send buffer full and TCP's own
 * flow control paces the stream to what the device's window takes, while
 * acks are read as they arrive. --stop-and-wait keeps the old pattern.
 */
#include "stream.h"

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
#include "sock.h"

#define STALL_MS 10000     /* espota.py's per-chunk timeout */
#define RESULT_MS 60000    /* espota.py's wait for the result */
#define TEXT_GRACE_MS 1000 /* an error text with no newline: wait this much for the rest */
#define SEND_MAX (256u << 10)

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
};

int espota_accept(int listener, int timeout_ms)
{
	int fd;

	if (sock_wait(listener, POLLIN, timeout_ms) <= 0)
		return -1;
	do
		fd = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	return fd;
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
	case ESPOTA_ERR_DEVICE:
		snprintf(r->device_text, sizeof(r->device_text), "%s", ackscan_text(&s->scan));
		if (s->sent < s->len)
			snprintf(r->message, sizeof(r->message),
				 "the device at '%s' stopped the upload after %zu of %zu bytes: %s",
				 r->device_addr, s->sent, s->len, r->device_text);
		else
			snprintf(r->message, sizeof(r->message),
				 "the device at '%s' rejected the image: %s: check the image is built for "
				 "this device (and signed with its key)",
				 r->device_addr, r->device_text);
		break;
	case ESPOTA_ERR_DROPPED:
		snprintf(r->message, sizeof(r->message),
			 "the connection to '%s' dropped after %zu of %zu bytes sent (%zu taken by the "
			 "device): %s: check the device's power and signal, then upload again",
			 r->device_addr, s->sent, s->len, acked,
			 s->last_errno ? strerror(s->last_errno) : "closed by the device");
		break;
	case ESPOTA_ERR_STALLED:
		snprintf(r->message, sizeof(r->message),
			 "the device at '%s' took no data for %d s after %zu of %zu bytes: check the "
			 "device's power and signal, then upload again",
			 r->device_addr, STALL_MS / 1000, acked, s->len);
		break;
	case ESPOTA_ERR_NO_RESULT:
		snprintf(r->message, sizeof(r->message),
			 "no result from '%s' after all %zu bytes were sent: the device %s without "
			 "saying OK: check it on its serial console",
			 r->device_addr, s->len,
			 s->last_errno == ETIMEDOUT ? "stayed silent" : "closed the connection");
		break;
	default:
		break;
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

	if (v == ACKSCAN_OK && s->sent == s->len)
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
		if (v == ACKSCAN_OK && s->sent == s->len)
			return (int)done(s, ESPOTA_OK);
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
	int rc;

	if (s->sent < limit)
		p.events |= POLLOUT;
	if (s->scan.in_text)
		timeout_ms = TEXT_GRACE_MS;
	rc = poll(&p, 1, timeout_ms);
	if (rc < 0 && errno == EINTR)
		return -1;
	if (rc < 0) {
		s->last_errno = errno;
		return (int)done(s, ESPOTA_ERR_DROPPED);
	}
	if (rc == 0) {
		size_t before = s->taken;

		if (s->scan.in_text)
			return (int)done(s, ESPOTA_ERR_DEVICE);
		/* a device that takes data but does not ack is slow, not stalled */
		if (delivered(s) > before)
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
	if (s.scan.in_text && ackscan_end(&s.scan) == ACKSCAN_OK)
		return done(&s, ESPOTA_OK);
	/* the device may still be taking what sits in our send queue */
	for (;;)
		if ((rc = step(&s, len, s.taken < len ? STALL_MS : RESULT_MS)) >= 0)
			return (enum espota_error)rc;
}
