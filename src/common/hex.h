/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef ESPOTA_COMMON_HEX_H
#define ESPOTA_COMMON_HEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Lower-case hex of len bytes into out, which holds 2 * len + 1 chars. */
void hex_encode(const uint8_t *in, size_t len, char *out);
/* Decodes exactly 2 * outlen hex chars (either case); -1 on a bad char or length. */
int hex_decode(const char *in, size_t inlen, uint8_t *out, size_t outlen);
/* True when s[0..len) is all lower-case hex digits. */
bool hex_is_lower(const char *s, size_t len);

#endif
