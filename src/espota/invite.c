/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "invite.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <sys/socket.h>

#include "clock.h"
#include "sock.h"

int espota_invite_format(int command, uint16_t host_port, uint64_t size, const char *md5,
			 char *out, size_t outlen)
{
	int n = snprintf(out, outlen, "%d %u %" PRIu64 " %s\n", command, host_port, size, md5);

	return (n < 0 || (size_t)n >= outlen) ? -1 : n;
}

int espota_udp_ask(int udp, const char *msg, size_t len, struct udp_ask *ask, char *reply,
		   size_t replymax)
{
	uint64_t start = clock_ms(), next_send = start;
	uint64_t gap = (uint64_t)ask->resend_ms;

	ask->sends = 0;
	for (;;) {
		uint64_t now = clock_ms();
		int wait_ms;

		if (now >= start + (uint64_t)ask->window_ms)
			return 0;
		if (now >= next_send) {
			ssize_t s = send(udp, msg, len, 0);

			if (s < 0 && errno == ECONNREFUSED) {
				/* a pending ICMP error from the last send; the datagram may not have gone */
				ask->port_unreachable = true;
				s = send(udp, msg, len, 0);
			}
			if (s < 0 && errno != ECONNREFUSED)
				return -1;
			ask->sends++;
			next_send = now + gap;
			if (ask->backoff)
				gap *= 2;
		}
		wait_ms = (int)((next_send < start + (uint64_t)ask->window_ms ? next_send
				 : start + (uint64_t)ask->window_ms) - now);
		if (wait_ms < 1)
			wait_ms = 1;
		if (sock_wait(udp, POLLIN, wait_ms) > 0) {
			ssize_t n = recv(udp, reply, replymax - 1, MSG_DONTWAIT);

			if (n > 0) {
				reply[n] = '\0';
				ask->elapsed_ms = (int)(clock_ms() - start);
				return (int)n;
			}
			if (n < 0 && errno == ECONNREFUSED)
				ask->port_unreachable = true;
			else if (n < 0 && errno != EAGAIN && errno != EINTR)
				return -1;
			/* ICMP error: wait out this round before sending again */
			if (n < 0 && errno == ECONNREFUSED) {
				uint64_t t = clock_ms();

				if (next_send > t)
					clock_sleep_ms((uint32_t)(next_send - t));
			}
		}
	}
}
