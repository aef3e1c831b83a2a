/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Message digests over libcrypto, in BearSSL's init/update/out shape. */
#ifndef ESPOTA_COMMON_DIGEST_H
#define ESPOTA_COMMON_DIGEST_H

#include <stddef.h>
#include <stdint.h>

enum digest_alg { DIGEST_MD5, DIGEST_SHA256 };

#define DIGEST_MAX_SIZE 32
#define DIGEST_MAX_HEX (2 * DIGEST_MAX_SIZE + 1)

struct digest {
	enum digest_alg alg;
	void *ctx; /* EVP_MD_CTX, kept opaque so callers need no OpenSSL headers */
};

size_t digest_size(enum digest_alg alg);
/* All return 0 on success, -1 when libcrypto fails (out of memory). */
int digest_init(struct digest *d, enum digest_alg alg);
int digest_update(struct digest *d, const void *data, size_t len);
/* Writes digest_size() bytes; the state stays usable for more updates. */
int digest_out(const struct digest *d, uint8_t *out);
void digest_free(struct digest *d);

/* One-shot: lower-case hex of the digest of data into hex (DIGEST_MAX_HEX). */
int digest_hex(enum digest_alg alg, const void *data, size_t len, char *hex);

#endif
