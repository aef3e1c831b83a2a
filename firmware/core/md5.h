/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* MD5 (RFC 1321), streaming, caller-owned state. */
#ifndef ESPOTA_FW_MD5_H
#define ESPOTA_FW_MD5_H

#include <stddef.h>
#include <stdint.h>

#define MD5_SIZE 16

struct md5_ctx {
	uint32_t state[4];
	uint64_t count; /* bytes */
	uint8_t buf[64];
};

void md5_init(struct md5_ctx *c);
void md5_update(struct md5_ctx *c, const void *data, size_t len);
/* Writes the digest; c stays usable for more updates. */
void md5_out(const struct md5_ctx *c, uint8_t out[MD5_SIZE]);

#endif
