/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ota_pbkdf2.h"

#include "fwmem.h"

void hmac_sha256_init(struct hmac_sha256_ctx *c, const void *key, size_t key_len)
{
	uint8_t block[HMAC_SHA256_BLOCK];

	fw_memset(block, 0, sizeof(block));
	/* A key longer than one block is replaced by its digest. */
	if (key_len > HMAC_SHA256_BLOCK) {
		sha256_init(&c->inner);
		sha256_update(&c->inner, key, key_len);
		sha256_out(&c->inner, block);
	} else {
		fw_memcpy(block, key, key_len);
	}
	for (size_t i = 0; i < sizeof(block); i++)
		block[i] ^= 0x36;
	sha256_init(&c->inner);
	sha256_update(&c->inner, block, sizeof(block));
	for (size_t i = 0; i < sizeof(block); i++)
		block[i] ^= 0x36 ^ 0x5c;
	sha256_init(&c->outer);
	sha256_update(&c->outer, block, sizeof(block));
	fw_memset(block, 0, sizeof(block));
}

void hmac_sha256_update(struct hmac_sha256_ctx *c, const void *data, size_t len)
{
	sha256_update(&c->inner, data, len);
}

void hmac_sha256_out(const struct hmac_sha256_ctx *c, uint8_t out[SHA256_SIZE])
{
	struct sha256_ctx outer = c->outer;
	uint8_t inner[SHA256_SIZE];

	sha256_out(&c->inner, inner);
	sha256_update(&outer, inner, sizeof(inner));
	sha256_out(&outer, out);
}

void pbkdf2_hmac_sha256(const void *password, size_t password_len, const void *salt,
			size_t salt_len, uint32_t iterations, uint8_t *out, size_t out_len)
{
	struct hmac_sha256_ctx keyed, c;
	uint8_t u[SHA256_SIZE], t[SHA256_SIZE], index[4];
	uint32_t block = 1;

	/* The keyed state is computed once and copied for every MAC: the
	 * iterations then cost two compressions each, not four. */
	hmac_sha256_init(&keyed, password, password_len);
	while (out_len > 0) {
		size_t take = out_len < SHA256_SIZE ? out_len : SHA256_SIZE;

		index[0] = (uint8_t)(block >> 24);
		index[1] = (uint8_t)(block >> 16);
		index[2] = (uint8_t)(block >> 8);
		index[3] = (uint8_t)block;
		c = keyed;
		hmac_sha256_update(&c, salt, salt_len);
		hmac_sha256_update(&c, index, sizeof(index));
		hmac_sha256_out(&c, u);
		fw_memcpy(t, u, sizeof(t));
		for (uint32_t i = 1; i < iterations; i++) {
			c = keyed;
			hmac_sha256_update(&c, u, sizeof(u));
			hmac_sha256_out(&c, u);
			for (size_t j = 0; j < sizeof(t); j++)
				t[j] ^= u[j];
		}
		fw_memcpy(out, t, take);
		out += take;
		out_len -= take;
		block++;
	}
	fw_memset(u, 0, sizeof(u));
	fw_memset(t, 0, sizeof(t));
}
