/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The UDP conversation before the upload: invitation, challenge, answer,
 * and the 3.3.1+ fall back to the MD5 password hash
 * (docs/protocol/ota-protocol.md §2, §5, §12.2). */
#ifndef ESPOTA_HANDSHAKE_H
#define ESPOTA_HANDSHAKE_H

#include <stdbool.h>
#include <stddef.h>

#include "espota.h"

struct handshake {
	int udp;                  /* connected to the device */
	const char *invitation;   /* the invitation datagram */
	size_t invitation_len;
	const char *cnonce_text;
	const char *password;
	bool md5_target;
	int window_ms;            /* how long to keep inviting */
	const struct logger *log;
};

/* On success the device has said OK and will connect back. On failure
 * r->err, r->message and r->device_text say what happened. */
enum espota_error espota_handshake(const struct handshake *h, struct espota_result *r);

#endif
