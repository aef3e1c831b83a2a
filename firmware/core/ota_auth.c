/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ota_auth.h"

#include "fwmem.h"
#include "hal.h"
#include "md5.h"
#include "ota_pbkdf2.h"
#include "sha256.h"

size_t ota_auth_hex_len(enum ota_auth_scheme scheme)
{
	return scheme == OTA_AUTH_SHA256 ? 2 * SHA256_SIZE : 2 * MD5_SIZE;
}

void ota_hex_lower(const uint8_t *bin, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[bin[i] >> 4];
		out[2 * i + 1] = digits[bin[i] & 15];
	}
	out[2 * len] = '\0';
}

size_t ota_auth_password_hash(enum ota_auth_scheme scheme, const char *password, size_t len,
			      char out[OTA_AUTH_HEX_MAX + 1])
{
	uint8_t digest[SHA256_SIZE];

	if (scheme == OTA_AUTH_SHA256) {
		struct sha256_ctx c;

		sha256_init(&c);
		sha256_update(&c, password, len);
		sha256_out(&c, digest);
		ota_hex_lower(digest, SHA256_SIZE, out);
	} else {
		struct md5_ctx c;

		md5_init(&c);
		md5_update(&c, password, len);
		md5_out(&c, digest);
		ota_hex_lower(digest, MD5_SIZE, out);
	}
	fw_memset(digest, 0, sizeof(digest));
	return ota_auth_hex_len(scheme);
}

int ota_auth_nonce(struct hal *h, enum ota_auth_scheme scheme, char out[OTA_AUTH_HEX_MAX + 1])
{
	uint8_t raw[OTA_AUTH_HEX_MAX / 2];
	size_t n = ota_auth_hex_len(scheme) / 2;
	int rc = hal_random(h, raw, n);

	if (rc < 0)
		return rc;
	ota_hex_lower(raw, n, out);
	return 0;
}

/* Feeds "a:b:c" into a digest, one part at a time (no joined copy). */
#define FEED_CHALLENGE(update, ctx, a, alen, b, c, clen)                                           \
	do {                                                                                       \
		update(ctx, a, alen);                                                              \
		update(ctx, ":", 1);                                                               \
		update(ctx, b, clen);                                                              \
		update(ctx, ":", 1);                                                               \
		update(ctx, c, clen);                                                              \
	} while (0)

void ota_auth_expected(enum ota_auth_scheme scheme, const char *stored, size_t stored_len,
		       const char *nonce, const char *cnonce, char out[OTA_AUTH_HEX_MAX + 1])
{
	size_t n = ota_auth_hex_len(scheme);

	if (scheme == OTA_AUTH_SHA256) {
		/* salt = nonce ":" cnonce: 64 + 1 + 64 bytes */
		uint8_t salt[2 * OTA_AUTH_HEX_MAX + 1];
		uint8_t key[SHA256_SIZE], digest[SHA256_SIZE];
		char key_hex[2 * SHA256_SIZE + 1];
		struct sha256_ctx c;

		fw_memcpy(salt, nonce, n);
		salt[n] = ':';
		fw_memcpy(salt + n + 1, cnonce, n);
		pbkdf2_hmac_sha256(stored, stored_len, salt, 2 * n + 1, OTA_AUTH_PBKDF2_ROUNDS, key,
				   sizeof(key));
		ota_hex_lower(key, sizeof(key), key_hex);
		sha256_init(&c);
		FEED_CHALLENGE(sha256_update, &c, key_hex, 2 * SHA256_SIZE, nonce, cnonce, n);
		sha256_out(&c, digest);
		ota_hex_lower(digest, SHA256_SIZE, out);
		fw_memset(key, 0, sizeof(key));
		fw_memset(key_hex, 0, sizeof(key_hex));
	} else {
		uint8_t digest[MD5_SIZE];
		struct md5_ctx c;

		md5_init(&c);
		FEED_CHALLENGE(md5_update, &c, stored, stored_len, nonce, cnonce, n);
		md5_out(&c, digest);
		ota_hex_lower(digest, MD5_SIZE, out);
	}
}

bool ota_auth_verify(enum ota_auth_scheme scheme, const char *stored, size_t stored_len,
		     const char *nonce, const char *cnonce, const char *response,
		     size_t response_len)
{
	char expected[OTA_AUTH_HEX_MAX + 1];
	size_t n = ota_auth_hex_len(scheme);
	unsigned diff;

	if (response_len != n)
		return false;
	ota_auth_expected(scheme, stored, stored_len, nonce, cnonce, expected);
	diff = fw_memdiff_ct(expected, response, n);
	fw_memset(expected, 0, sizeof(expected));
	return diff == 0;
}
