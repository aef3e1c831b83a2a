/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The UDP invitation (docs/protocol/ota-protocol.md §3) and the ask-and-wait
 * exchange every UDP step of the protocol uses. */
#ifndef ESPOTA_INVITE_H
#define ESPOTA_INVITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ESPOTA_INVITE_MAX 96
/* The longest: command 100 (filesystem), port 65535, a 20-digit size, 32 hex digits, "\n". */
_Static_assert(ESPOTA_INVITE_MAX >= sizeof "100 65535 18446744073709551615 " + 32 + 1,
	       "the longest invitation fits");

/* "CMD HOSTPORT SIZE MD5\n" into out; returns its length or -1. */
int espota_invite_format(int command, uint16_t host_port, uint64_t size, const char *md5,
			 char *out, size_t outlen);

struct udp_ask {
	int window_ms;        /* give up after this long */
	int resend_ms;        /* send again after this much silence */
	bool backoff;         /* double resend_ms after each resend */
	int sends;            /* out: datagrams sent */
	int elapsed_ms;       /* out: from the first send to the reply */
	bool port_unreachable; /* out: an ICMP port unreachable came back */
};

/* Sends msg on the connected UDP socket and waits for one reply, sending
 * again on silence. Returns the reply length (NUL-terminated in reply),
 * 0 on silence for the whole window, -1 when sending failed (errno). */
int espota_udp_ask(int udp, const char *msg, size_t len, struct udp_ask *ask, char *reply,
		   size_t replymax);

#endif
