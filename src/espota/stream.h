/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The TCP leg: wait for the device to connect back, send the image, read
 * acks and the final result (docs/protocol/ota-protocol.md §6-§8). */
#ifndef ESPOTA_STREAM_H
#define ESPOTA_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "espota.h"

struct stream_opts {
	bool stop_and_wait;   /* espota.py: one chunk, then wait for an ack */
	size_t chunk_size;
	struct progress *progress;
	const struct logger *log;
};

/* Waits up to timeout_ms for the device's connection on the listener.
 * Returns the connected fd, or -1 on timeout or error (errno). */
int espota_accept(int listener, int timeout_ms);

/* Sends data on fd and waits for the device's verdict. Fills r->err,
 * r->message, r->device_text and r->bytes_sent. */
enum espota_error espota_stream(int fd, const uint8_t *data, size_t len, const struct stream_opts *o,
				struct espota_result *r);

#endif
