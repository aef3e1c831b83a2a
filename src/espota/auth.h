/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The answer to a device's AUTH challenge (docs/protocol/ota-protocol.md §5, §12.2).
 * Pure functions: no sockets, so the test vectors drive them directly. */
#ifndef ESPOTA_AUTH_H
#define ESPOTA_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "espota.h"

#define ESPOTA_PBKDF2_ROUNDS 10000
/* "200 " + 64 + " " + 64 + "\n" + NUL */
#define ESPOTA_AUTH_DATAGRAM_MAX 136
_Static_assert(ESPOTA_AUTH_DATAGRAM_MAX >= sizeof "200 " + 64 + 1 + 64 + 1,
	       "the longest answer datagram fits");

/* cnonce_text = filename + decimal size + md5 + esp_ip, as espota.py joins
 * them. Returns a new string (free it) or NULL when out of memory. */
char *espota_cnonce_text(const char *filename, uint64_t size, const char *md5, const char *esp_ip);

/* MD5 scheme: md5hex(md5hex(password) ":" nonce ":" cnonce) into out (33). */
int espota_auth_md5_response(const char *password, size_t pwlen, const char *nonce,
			     const char *cnonce, char *out);

/* 3.3.1+ scheme: key = PBKDF2-HMAC-SHA256(pwhash, nonce ":" cnonce, 10000, 32);
 * response = sha256hex(hex(key) ":" nonce ":" cnonce). key_hex (65) may be NULL. */
int espota_auth_pbkdf2_response(const char *pwhash, const char *nonce, const char *cnonce,
				char *key_hex, char *out);

/* Builds the whole "200 cnonce response\n" datagram for a challenge.
 * nonce_len picks the scheme (32 MD5, 64 PBKDF2); md5_hash picks the MD5
 * password hash in the PBKDF2 scheme. Returns the datagram length, or
 * -1 (libcrypto) / -2 (nonce of another length). *scheme says what was used. */
int espota_auth_datagram(const char *password, size_t pwlen, const char *cnonce_text,
			 const char *nonce, size_t nonce_len, bool md5_hash, char *out,
			 enum espota_auth_scheme *scheme);

#endif
