/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "sock.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int sock_resolve_ipv4(const char *host, struct in_addr *out, char *err, size_t errlen)
{
	struct addrinfo hints = { .ai_family = AF_INET }, *res = NULL;
	int rc;

	if (inet_pton(AF_INET, host, out) == 1)
		return 0;
	rc = getaddrinfo(host, NULL, &hints, &res);
	if (rc != 0 || !res) {
		snprintf(err, errlen, "cannot resolve '%s': %s", host,
			 rc ? gai_strerror(rc) : "no IPv4 address");
		return -1;
	}
	*out = ((struct sockaddr_in *)(void *)res->ai_addr)->sin_addr;
	freeaddrinfo(res);
	return 0;
}

static int sock_bind_any(int type, const char *ip, uint16_t port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	int one = 1, fd, saved;

	if (ip && *ip && inet_pton(AF_INET, ip, &sa.sin_addr) != 1) {
		errno = EINVAL;
		return -1;
	}
	fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

int sock_tcp_listen(const char *ip, uint16_t port, int backlog)
{
	int fd = sock_bind_any(SOCK_STREAM, ip, port), saved;

	if (fd >= 0 && listen(fd, backlog) != 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

int sock_udp_bind(const char *ip, uint16_t port)
{
	return sock_bind_any(SOCK_DGRAM, ip, port);
}

uint16_t sock_local_port(int fd)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);

	if (getsockname(fd, (struct sockaddr *)&sa, &len) != 0)
		return 0;
	return ntohs(sa.sin_port);
}

int sock_set_nonblock(int fd, bool on)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0)
		return -1;
	fl = on ? (fl | O_NONBLOCK) : (fl & ~O_NONBLOCK);
	return fcntl(fd, F_SETFL, fl);
}

int sock_wait(int fd, short events, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	int rc;

	do
		rc = poll(&p, 1, timeout_ms);
	while (rc < 0 && errno == EINTR);
	if (rc > 0 && (p.revents & (events | POLLHUP | POLLERR)))
		return 1;
	return rc < 0 ? -1 : 0;
}

int sock_route_source(struct in_addr dst, struct in_addr *out)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(9), .sin_addr = dst };
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = -1;

	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sa, &len) == 0) {
		*out = sa.sin_addr;
		rc = 0;
	}
	close(fd);
	return rc;
}

int sock_send_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}
