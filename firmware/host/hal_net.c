/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The network part of hal.h over non-blocking BSD sockets (IPv4). Handles
 * are indexes into a small table, as lwIP's PCBs are a fixed pool. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hal_net.h"
#include "hal_posix_state.h"

struct hal_net {
	int fd[HAL_NET_SOCKETS]; /* -1: free */
	uint32_t rx_window;
};

static void net_free(struct hal_net *net)
{
	for (int i = 0; i < HAL_NET_SOCKETS; i++)
		if (net->fd[i] >= 0)
			close(net->fd[i]);
	free(net);
}

static struct hal_net *net_of(struct hal *h)
{
	if (!h->net) {
		struct hal_net *net = calloc(1, sizeof(*net));

		if (!net)
			return NULL;
		for (int i = 0; i < HAL_NET_SOCKETS; i++)
			net->fd[i] = -1;
		h->net = net;
		h->net_free = net_free;
	}
	return h->net;
}

static int fd_of(struct hal *h, hal_sock s)
{
	struct hal_net *net = h->net;

	if (!net || s < 0 || s >= HAL_NET_SOCKETS)
		return -1;
	return net->fd[s];
}

/* Takes ownership of fd; returns its handle or HAL_EIO (fd closed) when
 * the table is full. */
static int adopt(struct hal *h, int fd, hal_sock *out)
{
	struct hal_net *net = net_of(h);

	if (net) {
		for (int i = 0; i < HAL_NET_SOCKETS; i++) {
			if (net->fd[i] < 0) {
				net->fd[i] = fd;
				*out = i;
				return HAL_OK;
			}
		}
	}
	close(fd);
	return HAL_EIO;
}

static struct sockaddr_in ipv4(uint32_t ip, uint16_t port)
{
	struct sockaddr_in sa;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(ip);
	sa.sin_port = htons(port);
	return sa;
}

int hal_net_set_rx_window(struct hal *h, uint32_t bytes)
{
	struct hal_net *net = net_of(h);

	if (!net)
		return HAL_EIO;
	net->rx_window = bytes;
	return HAL_OK;
}

int hal_udp_open(struct hal *h, uint32_t bind_ip, uint16_t port, hal_sock *out)
{
	struct sockaddr_in sa = ipv4(bind_ip, port);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return HAL_EIO;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return HAL_EIO;
	}
	return adopt(h, fd, out);
}

int hal_udp_recv(struct hal *h, hal_sock s, void *buf, size_t cap, uint32_t *from_ip,
		 uint16_t *from_port)
{
	struct sockaddr_in sa;
	socklen_t salen = sizeof(sa);
	int fd = fd_of(h, s);
	ssize_t n;

	if (fd < 0)
		return HAL_EIO;
	do
		n = recvfrom(fd, buf, cap, 0, (struct sockaddr *)&sa, &salen);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? HAL_EAGAIN : HAL_EIO;
	if (from_ip)
		*from_ip = ntohl(sa.sin_addr.s_addr);
	if (from_port)
		*from_port = ntohs(sa.sin_port);
	return n > INT32_MAX ? INT32_MAX : (int)n;
}

int hal_udp_send(struct hal *h, hal_sock s, uint32_t ip, uint16_t port, const void *buf,
		 size_t len)
{
	struct sockaddr_in sa = ipv4(ip, port);
	int fd = fd_of(h, s);
	ssize_t n;

	if (fd < 0)
		return HAL_EIO;
	do
		n = sendto(fd, buf, len, 0, (struct sockaddr *)&sa, sizeof(sa));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? HAL_EAGAIN : HAL_EIO;
	return HAL_OK;
}

uint16_t hal_sock_port(struct hal *h, hal_sock s)
{
	struct sockaddr_in sa;
	socklen_t salen = sizeof(sa);
	int fd = fd_of(h, s);

	if (fd < 0 || getsockname(fd, (struct sockaddr *)&sa, &salen) < 0)
		return 0;
	return ntohs(sa.sin_port);
}

/* A non-blocking TCP socket with the device's receive window, which must
 * be set before the handshake fixes it: before connect, or on a listener
 * (accepted sockets inherit it). -1 when none can be made. */
static int tcp_socket(struct hal *h)
{
	struct hal_net *net = net_of(h);
	int fd;

	if (!net)
		return -1;
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd >= 0 && net->rx_window > 0) {
		int bytes = (int)net->rx_window;

		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes));
	}
	return fd;
}

int hal_tcp_connect(struct hal *h, uint32_t ip, uint16_t port, hal_sock *out)
{
	struct sockaddr_in sa = ipv4(ip, port);
	int fd = tcp_socket(h), one = 1;

	if (fd < 0)
		return HAL_EIO;
	/* ArduinoOTA sets no-delay: its acks are a few bytes each. */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 && errno != EINPROGRESS) {
		close(fd);
		return HAL_EIO;
	}
	return adopt(h, fd, out);
}

int hal_tcp_listen(struct hal *h, uint32_t bind_ip, uint16_t port, hal_sock *out)
{
	struct sockaddr_in sa = ipv4(bind_ip, port);
	int fd = tcp_socket(h), one = 1;

	if (fd < 0)
		return HAL_EIO;
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 4) < 0) {
		close(fd);
		return HAL_EIO;
	}
	return adopt(h, fd, out);
}

int hal_tcp_accept(struct hal *h, hal_sock listener, hal_sock *out, uint32_t *peer_ip)
{
	struct sockaddr_in sa;
	socklen_t salen = sizeof(sa);
	int lfd = fd_of(h, listener), fd, one = 1;

	if (lfd < 0)
		return HAL_EIO;
	do
		fd = accept4(lfd, (struct sockaddr *)&sa, &salen, SOCK_NONBLOCK | SOCK_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK || errno == ECONNABORTED ? HAL_EAGAIN
											 : HAL_EIO;
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (peer_ip)
		*peer_ip = ntohl(sa.sin_addr.s_addr);
	return adopt(h, fd, out);
}

static int tcp_errno(void)
{
	switch (errno) {
	case EAGAIN:
#if EWOULDBLOCK != EAGAIN
	case EWOULDBLOCK:
#endif
	case ENOTCONN: /* still connecting */
		return HAL_EAGAIN;
	case EPIPE:
	case ECONNRESET:
		return HAL_ECLOSED;
	default:
		return HAL_EIO;
	}
}

int hal_tcp_send(struct hal *h, hal_sock s, const void *buf, size_t len)
{
	int fd = fd_of(h, s);
	ssize_t n;

	if (fd < 0)
		return HAL_EIO;
	do
		n = send(fd, buf, len, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return tcp_errno();
	return n > INT32_MAX ? INT32_MAX : (int)n;
}

int hal_tcp_recv(struct hal *h, hal_sock s, void *buf, size_t cap)
{
	int fd = fd_of(h, s);
	ssize_t n;

	if (fd < 0)
		return HAL_EIO;
	if (cap > INT32_MAX)
		cap = INT32_MAX;
	do
		n = recv(fd, buf, cap, 0);
	while (n < 0 && errno == EINTR);
	if (n == 0)
		return cap == 0 ? HAL_EAGAIN : HAL_ECLOSED;
	if (n < 0)
		return tcp_errno();
	return (int)n;
}

void hal_sock_close(struct hal *h, hal_sock s)
{
	int fd = fd_of(h, s);

	if (fd < 0)
		return;
	close(fd);
	h->net->fd[s] = -1;
}

int hal_poll(struct hal *h, struct hal_pollset *set, size_t n, uint32_t timeout_ms)
{
	struct pollfd pfd[HAL_NET_SOCKETS];
	int timeout = timeout_ms > INT32_MAX ? -1 : (int)timeout_ms;
	int rc, ready = 0;

	if (n > HAL_NET_SOCKETS)
		return HAL_ERANGE;
	for (size_t i = 0; i < n; i++) {
		pfd[i].fd = fd_of(h, set[i].sock); /* -1 is skipped by poll */
		pfd[i].events = (short)(((set[i].events & HAL_POLL_IN) ? POLLIN : 0) |
					((set[i].events & HAL_POLL_OUT) ? POLLOUT : 0));
		pfd[i].revents = 0;
		set[i].revents = 0;
	}
	rc = poll(pfd, n, timeout);
	if (rc < 0)
		/* A signal (the stop request) ends the wait like a timeout. */
		return errno == EINTR ? 0 : HAL_EIO;
	for (size_t i = 0; i < n; i++) {
		unsigned ev = 0;

		if (pfd[i].revents & POLLIN)
			ev |= HAL_POLL_IN;
		if (pfd[i].revents & POLLOUT)
			ev |= HAL_POLL_OUT;
		if (pfd[i].revents & (POLLERR | POLLHUP | POLLNVAL))
			ev |= HAL_POLL_ERR;
		set[i].revents = ev;
		if (ev)
			ready++;
	}
	return ready;
}
