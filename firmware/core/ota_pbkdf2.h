/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * HMAC-SHA256 (RFC 2104) and PBKDF2-HMAC-SHA256 (RFC 8018) over sha256.h,
 * for the arduino-esp32 3.3.1+ OTA challenge. Caller-owned state, no
 * allocation.
 */
#ifndef ESPOTA_FW_OTA_PBKDF2_H
#define ESPOTA_FW_OTA_PBKDF2_H

#include <stddef.h>
#include <stdint.h>

#include "sha256.h"

#define HMAC_SHA256_BLOCK 64u

struct hmac_sha256_ctx {
	struct sha256_ctx inner;
	struct sha256_ctx outer; /* already fed with key ^ opad */
};

void hmac_sha256_init(struct hmac_sha256_ctx *c, const void *key, size_t key_len);
void hmac_sha256_update(struct hmac_sha256_ctx *c, const void *data, size_t len);
/* Writes the MAC; c stays usable for more updates. */
void hmac_sha256_out(const struct hmac_sha256_ctx *c, uint8_t out[SHA256_SIZE]);

/* PBKDF2 with HMAC-SHA256 as the PRF: out_len bytes of key derived from
 * the password and salt with the given iteration count (>= 1). */
void pbkdf2_hmac_sha256(const void *password, size_t password_len, const void *salt,
			size_t salt_len, uint32_t iterations, uint8_t *out, size_t out_len);

#endif
