/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Base64 (RFC 4648) decoding for PEM bodies. */
#ifndef ESPOTA_FW_BASE64_H
#define ESPOTA_FW_BASE64_H

#include <stddef.h>
#include <stdint.h>

/* Decodes text[0..len) into out[0..cap), skipping white space (PEM line
 * breaks). '=' padding may only end the text. Returns the number of bytes
 * written; -1 for a character outside the alphabet, misplaced padding or
 * an incomplete final group; -2 when the output does not fit in cap. */
long b64_decode(const char *text, size_t len, uint8_t *out, size_t cap);

#endif
