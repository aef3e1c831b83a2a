/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reads what the device sends on the TCP connection: unframed decimal acks,
 * then "OK" or an error text, however TCP splits or joins them
 * (docs/protocol/ota-protocol.md §6, §8 pitfalls 1-3). Pure: fed bytes, no socket. */
#ifndef ESPOTA_ACKSCAN_H
#define ESPOTA_ACKSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ackscan_verdict {
	ACKSCAN_PENDING,  /* only acks so far, or a text not yet complete */
	ACKSCAN_OK,       /* the device said OK */
	ACKSCAN_ERROR,    /* the device sent a complete error text */
};

struct ackscan {
	uint64_t ack_digits; /* ack characters seen: "some ack arrived" */
	bool in_text;        /* a non-digit arrived: the rest is the result */
	bool text_done;      /* the error text ended with a newline */
	char text[256];
	size_t text_len;
};

void ackscan_init(struct ackscan *s);
enum ackscan_verdict ackscan_feed(struct ackscan *s, const void *buf, size_t len);
/* The verdict now, taking the stream as ended: a started text counts as
 * complete, and nothing at all stays PENDING (no result). */
enum ackscan_verdict ackscan_end(struct ackscan *s);
/* The device's text, trimmed of line ends (valid after ACKSCAN_ERROR). */
const char *ackscan_text(const struct ackscan *s);

#endif
