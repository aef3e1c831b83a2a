/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* SHA-256 (FIPS 180-4), streaming, caller-owned state. */
#ifndef ESPOTA_FW_SHA256_H
#define ESPOTA_FW_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_SIZE 32

struct sha256_ctx {
	uint32_t state[8];
	uint64_t count; /* bytes */
	uint8_t buf[64];
};

void sha256_init(struct sha256_ctx *c);
void sha256_update(struct sha256_ctx *c, const void *data, size_t len);
/* Writes the digest; c stays usable for more updates. */
void sha256_out(const struct sha256_ctx *c, uint8_t out[SHA256_SIZE]);

#endif
