/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* IPv4 socket helpers shared by the host tools and the tests. */
#ifndef ESPOTA_COMMON_SOCK_H
#define ESPOTA_COMMON_SOCK_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Resolves a dotted quad or a host name (system resolver) to an IPv4
 * address. Returns 0, or -1 with a message in err. */
int sock_resolve_ipv4(const char *host, struct in_addr *out, char *err, size_t errlen);

/* A TCP listener on ip:port (ip NULL or "0.0.0.0" = any; port 0 =
 * ephemeral). Returns the fd, or -1 with errno set. */
int sock_tcp_listen(const char *ip, uint16_t port, int backlog);
/* A UDP socket bound to ip:port (same conventions). */
int sock_udp_bind(const char *ip, uint16_t port);
/* The port a bound socket actually got. */
uint16_t sock_local_port(int fd);

int sock_set_nonblock(int fd, bool on);
/* Waits up to timeout_ms (-1 forever) for events (POLLIN/POLLOUT) on fd.
 * Returns 1 ready, 0 timeout, -1 error. Restarts on EINTR. */
int sock_wait(int fd, short events, int timeout_ms);

/* The local address this host would use to reach dst (a connected UDP
 * socket's local address; nothing is sent). Returns 0 or -1. */
int sock_route_source(struct in_addr dst, struct in_addr *out);

/* Sends all len bytes on a blocking socket; 0 or -1 with errno. */
int sock_send_all(int fd, const void *buf, size_t len);

#endif
