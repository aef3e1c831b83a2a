/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "digest.h"

#include <openssl/evp.h>

#include "hex.h"

static const EVP_MD *digest_md(enum digest_alg alg)
{
	switch (alg) {
	case DIGEST_MD5:
		return EVP_md5();
	case DIGEST_SHA256:
		return EVP_sha256();
	}
	return NULL;
}

size_t digest_size(enum digest_alg alg)
{
	return alg == DIGEST_MD5 ? 16 : 32;
}

int digest_init(struct digest *d, enum digest_alg alg)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	d->alg = alg;
	d->ctx = ctx;
	if (!ctx || EVP_DigestInit_ex(ctx, digest_md(alg), NULL) != 1) {
		EVP_MD_CTX_free(ctx);
		d->ctx = NULL;
		return -1;
	}
	return 0;
}

int digest_update(struct digest *d, const void *data, size_t len)
{
	return EVP_DigestUpdate(d->ctx, data, len) == 1 ? 0 : -1;
}

int digest_out(const struct digest *d, uint8_t *out)
{
	/* Finalise a copy so the running state can take more data. */
	EVP_MD_CTX *copy = EVP_MD_CTX_new();
	int rc = -1;

	if (copy && EVP_MD_CTX_copy_ex(copy, d->ctx) == 1 &&
	    EVP_DigestFinal_ex(copy, out, NULL) == 1)
		rc = 0;
	EVP_MD_CTX_free(copy);
	return rc;
}

void digest_free(struct digest *d)
{
	EVP_MD_CTX_free(d->ctx);
	d->ctx = NULL;
}

int digest_hex(enum digest_alg alg, const void *data, size_t len, char *hex)
{
	uint8_t raw[DIGEST_MAX_SIZE];
	size_t n = digest_size(alg);

	if (EVP_Digest(data, len, raw, NULL, digest_md(alg), NULL) != 1)
		return -1;
	hex_encode(raw, n, hex);
	return 0;
}
