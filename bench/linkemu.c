/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * linkemu: a Wi-Fi link emulator for the upload benchmark, for kernels
 * without netem. It sits between an uploader and an OTA device on two
 * loopback addresses and carries both legs of the ArduinoOTA protocol:
 *
 *   uploader --UDP--> [listen addr]  linkemu  [via addr] --UDP--> device
 *   uploader <--TCP-- [uploader ip:host port] linkemu [via addr:host port] <--TCP-- device
 *
 * Every byte is delayed by --delay-ms in each direction, and no more than
 * --window bytes toward the device are ever unacknowledged: a byte counts
 * until one delay after it was handed to the device, as a TCP sender's
 * bytes count until their ACK returns. So window / (2 * delay) is the
 * ceiling, as on a real link with that receive window and round trip.
 *
 * The device sees the invitation coming from the via address, so it
 * connects back there; linkemu learns the host port from the invitation.
 * Its own connection to the uploader comes from the listen address, the
 * one the uploader invited (as through a NAT): espota-c takes the image's
 * connection only from the address it invited.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "sock.h"

struct chunk {
	struct chunk *next;
	uint64_t due_us;
	size_t len, off;
	int release_after; /* toward the device: count against the window */
	uint8_t data[];
};

struct queue {
	struct chunk *head, *tail;
};

struct release {
	struct release *next;
	uint64_t at_us;
	size_t len;
};

struct pipe_dir {
	int from, to;
	struct queue q;
	bool from_eof, shut;
};

struct link {
	uint64_t delay_us;
	size_t window;
	size_t inflight;
	int mss;
	struct release *rel_head, *rel_tail;
	struct sockaddr_in up_addr;  /* uploader's UDP source */
	struct in_addr listen_ip;    /* the address the uploader invites */
	struct sockaddr_in dev_addr; /* device's UDP port */
	int udp_up, udp_dev;
	int listener;
	uint16_t listen_port;
	const char *via;
	struct pipe_dir down, up; /* down: uploader -> device (image); up: acks */
	struct queue udp_down, udp_up_q;
	bool tcp_active;
};

static void queue_push(struct queue *q, struct chunk *c)
{
	c->next = NULL;
	if (q->tail)
		q->tail->next = c;
	else
		q->head = c;
	q->tail = c;
}

static struct chunk *queue_pop(struct queue *q)
{
	struct chunk *c = q->head;

	if (c) {
		q->head = c->next;
		if (!q->head)
			q->tail = NULL;
	}
	return c;
}

static struct chunk *chunk_new(const void *data, size_t len, uint64_t due)
{
	struct chunk *c = malloc(sizeof(*c) + len);

	if (!c) {
		perror("linkemu");
		exit(1);
	}
	memcpy(c->data, data, len);
	c->len = len;
	c->off = 0;
	c->due_us = due;
	c->release_after = 0;
	return c;
}

static void release_add(struct link *l, uint64_t at, size_t len)
{
	struct release *r = malloc(sizeof(*r));

	if (!r) {
		perror("linkemu");
		exit(1);
	}
	r->next = NULL;
	r->at_us = at;
	r->len = len;
	if (l->rel_tail)
		l->rel_tail->next = r;
	else
		l->rel_head = r;
	l->rel_tail = r;
}

static void release_due(struct link *l, uint64_t now)
{
	while (l->rel_head && l->rel_head->at_us <= now) {
		struct release *r = l->rel_head;

		l->inflight -= r->len;
		l->rel_head = r->next;
		if (!l->rel_head)
			l->rel_tail = NULL;
		free(r);
	}
}

static int parse_addr(const char *s, struct sockaddr_in *sa)
{
	char host[64];
	const char *colon = strrchr(s, ':');

	if (!colon || (size_t)(colon - s) >= sizeof(host))
		return -1;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)atoi(colon + 1));
	return inet_pton(AF_INET, host, &sa->sin_addr) == 1 ? 0 : -1;
}

/* An invitation is "CMD PORT SIZE MD5\n"; learn PORT and listen on it. */
static void learn_host_port(struct link *l, const char *msg, size_t len)
{
	char buf[128];
	int cmd, port;

	if (len >= sizeof(buf))
		return;
	memcpy(buf, msg, len);
	buf[len] = '\0';
	if (sscanf(buf, "%d %d", &cmd, &port) != 2 || (cmd != 0 && cmd != 100))
		return;
	if (port <= 0 || port > 65535 || (uint16_t)port == l->listen_port)
		return;
	if (l->listener >= 0)
		close(l->listener);
	l->listener = sock_tcp_listen(l->via, (uint16_t)port, 4);
	if (l->listener < 0) {
		fprintf(stderr, "linkemu: cannot listen on %s:%d: %s\n", l->via, port, strerror(errno));
		exit(1);
	}
	/* The device's MSS (lwIP: 1460 or 536): on loopback it would be 64 KiB,
	 * and a small receive window could never fit one segment. */
	setsockopt(l->listener, IPPROTO_TCP, TCP_MAXSEG, &l->mss, sizeof(l->mss));
	l->listen_port = (uint16_t)port;
}

static void udp_forward(struct link *l, int from, struct queue *q, bool from_uploader, uint64_t now)
{
	uint8_t buf[2048];
	struct sockaddr_in src;
	socklen_t slen = sizeof(src);
	ssize_t n = recvfrom(from, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&src, &slen);

	if (n <= 0)
		return;
	if (from_uploader) {
		l->up_addr = src;
		learn_host_port(l, (const char *)buf, (size_t)n);
	}
	queue_push(q, chunk_new(buf, (size_t)n, now + l->delay_us));
}

static void udp_deliver(struct link *l, struct queue *q, int sock, const struct sockaddr_in *to,
			uint64_t now)
{
	while (q->head && q->head->due_us <= now) {
		struct chunk *c = queue_pop(q);

		sendto(sock, c->data, c->len, 0, (const struct sockaddr *)to, sizeof(*to));
		free(c);
	}
	(void)l;
}

static void tcp_accept(struct link *l)
{
	struct sockaddr_in up = l->up_addr;
	struct sockaddr_in self = { .sin_family = AF_INET, .sin_addr = l->listen_ip };
	int dev = accept(l->listener, NULL, NULL), host, one = 1;

	if (dev < 0)
		return;
	if (l->tcp_active) { /* one upload at a time */
		close(dev);
		return;
	}
	up.sin_port = htons(l->listen_port);
	host = socket(AF_INET, SOCK_STREAM, 0);
	if (host < 0 || bind(host, (struct sockaddr *)&self, sizeof(self)) != 0 ||
	    connect(host, (struct sockaddr *)&up, sizeof(up)) != 0) {
		fprintf(stderr, "linkemu: cannot reach the uploader: %s\n", strerror(errno));
		close(dev);
		if (host >= 0)
			close(host);
		return;
	}
	setsockopt(host, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(dev, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	/* A small send buffer toward the device, so the device's own receive
	 * window, not a kernel buffer in the relay, holds the bytes it has
	 * not read yet (the kernel rounds this up to its minimum). */
	int small = 1024;
	setsockopt(dev, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
	sock_set_nonblock(host, true);
	sock_set_nonblock(dev, true);
	l->down = (struct pipe_dir){ .from = host, .to = dev };
	l->up = (struct pipe_dir){ .from = dev, .to = host };
	l->inflight = 0;
	l->tcp_active = true;
}

static void tcp_read(struct link *l, struct pipe_dir *p, bool windowed, uint64_t now)
{
	uint8_t buf[65536];
	size_t room = sizeof(buf);
	ssize_t n;

	if (windowed) {
		if (l->inflight >= l->window)
			return;
		room = l->window - l->inflight;
		if (room > sizeof(buf))
			room = sizeof(buf);
	}
	n = recv(p->from, buf, room, MSG_DONTWAIT);
	if (n == 0) {
		p->from_eof = true;
		return;
	}
	if (n < 0)
		return;
	struct chunk *c = chunk_new(buf, (size_t)n, now + l->delay_us);

	c->release_after = windowed;
	if (windowed)
		l->inflight += (size_t)n;
	queue_push(&p->q, c);
}

static void tcp_deliver(struct link *l, struct pipe_dir *p, uint64_t now)
{
	while (p->q.head && p->q.head->due_us <= now) {
		struct chunk *c = p->q.head;
		ssize_t n = send(p->to, c->data + c->off, c->len - c->off, MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n <= 0)
			return; /* the receiver's buffer is full: try again later */
		c->off += (size_t)n;
		if (c->release_after)
			release_add(l, now + l->delay_us, (size_t)n);
		if (c->off < c->len)
			return;
		free(queue_pop(&p->q));
	}
	if (p->from_eof && !p->q.head && !p->shut) {
		shutdown(p->to, SHUT_WR);
		p->shut = true;
	}
}

static void tcp_close_if_done(struct link *l)
{
	if (!l->tcp_active || !l->down.shut || !l->up.shut)
		return;
	close(l->down.from);
	close(l->down.to);
	l->tcp_active = false;
}

static uint64_t next_due(const struct link *l)
{
	uint64_t due = UINT64_MAX;
	const struct queue *qs[] = { &l->udp_down, &l->udp_up_q, &l->down.q, &l->up.q };

	for (size_t i = 0; i < 4; i++)
		if (qs[i]->head && qs[i]->head->due_us < due)
			due = qs[i]->head->due_us;
	if (l->rel_head && l->rel_head->at_us < due)
		due = l->rel_head->at_us;
	return due;
}

static void run(struct link *l)
{
	for (;;) {
		struct pollfd p[5];
		int n = 0, idx_listen = -1, idx_down = -1, idx_up = -1, idx_downw = -1;
		uint64_t now = clock_us(), due = next_due(l);
		struct timespec ts, *tsp = NULL;

		p[n++] = (struct pollfd){ .fd = l->udp_up, .events = POLLIN };
		p[n++] = (struct pollfd){ .fd = l->udp_dev, .events = POLLIN };
		if (l->listener >= 0) {
			idx_listen = n;
			p[n++] = (struct pollfd){ .fd = l->listener, .events = POLLIN };
		}
		if (l->tcp_active) {
			short ev = 0;

			if (!l->down.from_eof && l->inflight < l->window)
				ev |= POLLIN;
			if (ev) {
				idx_down = n;
				p[n++] = (struct pollfd){ .fd = l->down.from, .events = ev };
			}
			if (!l->up.from_eof) {
				idx_up = n;
				p[n++] = (struct pollfd){ .fd = l->up.from, .events = POLLIN };
			}
			if (l->down.q.head && l->down.q.head->due_us <= now) {
				idx_downw = n;
				p[n++] = (struct pollfd){ .fd = l->down.to, .events = POLLOUT };
			}
		}
		if (due != UINT64_MAX) {
			uint64_t wait = due > now ? due - now : 0;

			ts.tv_sec = (time_t)(wait / 1000000u);
			ts.tv_nsec = (long)(wait % 1000000u) * 1000L;
			tsp = &ts;
		}
		if (ppoll(p, (nfds_t)n, tsp, NULL) < 0 && errno != EINTR) {
			perror("linkemu: poll");
			exit(1);
		}
		now = clock_us();
		release_due(l, now);
		if (p[0].revents & POLLIN)
			udp_forward(l, l->udp_up, &l->udp_down, true, now);
		if (p[1].revents & POLLIN)
			udp_forward(l, l->udp_dev, &l->udp_up_q, false, now);
		udp_deliver(l, &l->udp_down, l->udp_dev, &l->dev_addr, now);
		udp_deliver(l, &l->udp_up_q, l->udp_up, &l->up_addr, now);
		if (idx_listen >= 0 && (p[idx_listen].revents & POLLIN))
			tcp_accept(l);
		if (!l->tcp_active)
			continue;
		if (idx_down >= 0 && p[idx_down].revents)
			tcp_read(l, &l->down, true, now);
		if (idx_up >= 0 && p[idx_up].revents)
			tcp_read(l, &l->up, false, now);
		(void)idx_downw;
		tcp_deliver(l, &l->down, now);
		tcp_deliver(l, &l->up, now);
		tcp_close_if_done(l);
	}
}

static void usage(FILE *f)
{
	fputs("usage: linkemu --listen ADDR:PORT --device ADDR:PORT --via ADDR --delay-ms D --window BYTES\n"
	      "               [--mss BYTES]\n"
	      "Relays one ArduinoOTA upload between an uploader (which sends its invitation to\n"
	      "--listen) and a device, delaying each direction by D ms and keeping at most BYTES\n"
	      "unacknowledged toward the device. Prints 'relay on ADDR:PORT' when ready.\n",
	      f);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' }, { "device", required_argument, NULL, 'd' },
		{ "via", required_argument, NULL, 'v' },    { "delay-ms", required_argument, NULL, 'D' },
		{ "window", required_argument, NULL, 'w' }, { "mss", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct link l = { .listener = -1, .window = 5840, .mss = 1460, .via = "127.0.0.3" };
	struct sockaddr_in listen_addr = { 0 };
	const char *listen_s = "127.0.0.2:0", *device_s = NULL;
	double delay_ms = 10;
	char ip[INET_ADDRSTRLEN];
	int opt;

	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'l':
			listen_s = optarg;
			break;
		case 'd':
			device_s = optarg;
			break;
		case 'v':
			l.via = optarg;
			break;
		case 'D':
			delay_ms = atof(optarg);
			break;
		case 'w':
			l.window = (size_t)strtoul(optarg, NULL, 0);
			break;
		case 'm':
			l.mss = atoi(optarg);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!device_s || parse_addr(device_s, &l.dev_addr) || parse_addr(listen_s, &listen_addr) ||
	    l.window == 0 || delay_ms < 0 || l.mss < 88) {
		usage(stderr);
		return 2;
	}
	l.delay_us = (uint64_t)(delay_ms * 1000.0);
	l.listen_ip = listen_addr.sin_addr;
	inet_ntop(AF_INET, &listen_addr.sin_addr, ip, sizeof(ip));
	l.udp_up = sock_udp_bind(ip, ntohs(listen_addr.sin_port));
	l.udp_dev = sock_udp_bind(l.via, 0);
	if (l.udp_up < 0 || l.udp_dev < 0) {
		fprintf(stderr, "linkemu: cannot bind %s or %s: %s\n", listen_s, l.via, strerror(errno));
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	printf("relay on %s:%u\n", ip, sock_local_port(l.udp_up));
	fflush(stdout);
	run(&l);
	return 0;
}
