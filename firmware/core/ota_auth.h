/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The OTA challenge (docs/protocol/ota-protocol.md §5, §12.2): the device's nonce,
 * the stored password hash, and the check of the uploader's response.
 *
 *   MD5 scheme (esp8266, esp32 before 3.3.1), 32-hex values:
 *     response = md5hex(stored ":" nonce ":" cnonce)
 *   SHA-256 scheme (arduino-esp32 3.3.1+), 64-hex values:
 *     key      = PBKDF2-HMAC-SHA256(stored, nonce ":" cnonce, 10000, 32)
 *     response = sha256hex(hex(key) ":" nonce ":" cnonce)
 *
 * "stored" is the password hash as the device keeps it (setPasswordHash),
 * compared as text: an upper-case hash never matches, as on the device.
 */
#ifndef ESPOTA_FW_OTA_AUTH_H
#define ESPOTA_FW_OTA_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hal;

enum ota_auth_scheme {
	OTA_AUTH_MD5 = 0,
	OTA_AUTH_SHA256 = 1,
};

#define OTA_AUTH_HEX_MAX 64u          /* longest nonce/cnonce/response */
#define OTA_AUTH_PBKDF2_ROUNDS 10000u /* arduino-esp32 3.3.1+ */
#define OTA_AUTH_STORED_MAX 64u       /* longest stored password hash */

/* Length in hex characters of the nonce, cnonce and response: 32 or 64. */
size_t ota_auth_hex_len(enum ota_auth_scheme scheme);

/* Lower-case hex of len bytes into out (2 * len characters and a NUL). */
void ota_hex_lower(const uint8_t *bin, size_t len, char *out);

/* What setPassword(password) stores: md5hex (MD5 scheme) or sha256hex
 * (SHA-256 scheme) of the password. Returns the length (32 or 64). */
size_t ota_auth_password_hash(enum ota_auth_scheme scheme, const char *password, size_t len,
			      char out[OTA_AUTH_HEX_MAX + 1]);

/* A fresh nonce of ota_auth_hex_len(scheme) hex characters from the HAL's
 * random source. Returns 0 or the HAL's error. */
int ota_auth_nonce(struct hal *h, enum ota_auth_scheme scheme, char out[OTA_AUTH_HEX_MAX + 1]);

/* The response the device expects, NUL-terminated in out. nonce and
 * cnonce are ota_auth_hex_len(scheme) characters each. */
void ota_auth_expected(enum ota_auth_scheme scheme, const char *stored, size_t stored_len,
		       const char *nonce, const char *cnonce, char out[OTA_AUTH_HEX_MAX + 1]);

/* True when response (response_len characters) is the expected one; the
 * comparison takes the same time whatever the bytes are. */
bool ota_auth_verify(enum ota_auth_scheme scheme, const char *stored, size_t stored_len,
		     const char *nonce, const char *cnonce, const char *response,
		     size_t response_len);

#endif
