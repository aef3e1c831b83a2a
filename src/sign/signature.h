/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The signed-image formats of esp8266 signing.py
 * (docs/protocol/signed-image-format.md §1-2): payload ‖ signature ‖ uint32 LE length,
 * with an RSASSA-PKCS1-v1_5 SHA-256 signature (current) or a PKCS#1
 * type-1 signature over the bare digest (legacy, core <= 2.5.2). */
#ifndef ESPOTA_SIGN_SIGNATURE_H
#define ESPOTA_SIGN_SIGNATURE_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "file.h"
#include "sign_error.h"

#define SIG_TRAILER_LEN 4
_Static_assert(SIG_TRAILER_LEN == sizeof(uint32_t), "the trailer is one uint32 LE");
#define SIG_HASH_LEN 32
/* RSA-8192: the largest signature a trailer may announce. */
#define SIG_MAX_LEN 1024

enum sig_format { SIG_FORMAT_NONE, SIG_FORMAT_CURRENT, SIG_FORMAT_LEGACY };

const char *sig_format_name(enum sig_format fmt);

/* Signs data the way `openssl dgst -sha256 -sign` does. sig holds
 * EVP_PKEY_get_size(key) bytes; *siglen receives the length. */
enum sign_error sig_sign_current(EVP_PKEY *key, const uint8_t *data, size_t len, uint8_t *sig,
                                 size_t *siglen, struct sign_status *st);
/* Signs the bare digest the way `openssl pkeyutl -sign` does (no DigestInfo). */
enum sign_error sig_sign_legacy(EVP_PKEY *key, const uint8_t hash[SIG_HASH_LEN], uint8_t *sig,
                                size_t *siglen, struct sign_status *st);

/* The current format from a SHA-256 already computed: DigestInfo and
 * PKCS#1 type-1 padding, the same bytes as sig_sign_current. */
enum sign_error sig_sign_digest(EVP_PKEY *key, const uint8_t hash[SIG_HASH_LEN], uint8_t *sig,
                                size_t *siglen, struct sign_status *st);

/* The length word after the signature: slen as uint32 LE. */
void sig_trailer(size_t slen, uint8_t out[SIG_TRAILER_LEN]);

/* payload ‖ sig ‖ uint32 LE siglen, into a new buffer. */
enum sign_error sig_build_file(const uint8_t *payload, size_t plen, const uint8_t *sig, size_t slen,
                               struct file_buf *out);

/* The parts of a signed file. */
struct sig_parts {
	size_t payload_len;
	const uint8_t *sig;
	size_t sig_len; /* the trailer's value */
};

/* Reads the trailer; fails with SIGN_ERR_SIG_LENGTH when the length
 * field is 0, above SIG_MAX_LEN, or leaves no payload byte. */
enum sign_error sig_split(const uint8_t *data, size_t len, struct sig_parts *out);

/* Which format the data recovered from a PKCS#1 type-1 block is, given
 * the payload hash: DigestInfo(SHA-256) with or without the NULL
 * parameters (the device accepts both) → current; the bare hash → legacy. */
enum sig_format sig_classify_recovered(const uint8_t *rec, size_t len,
                                       const uint8_t hash[SIG_HASH_LEN]);

/* Checks a signed file against a public key. On success *fmt says which
 * format it is. Failures: SIGN_ERR_SIG_LENGTH, SIGN_ERR_KEY_SIZE,
 * SIGN_ERR_SIG_MISMATCH; st->msg names file and key. */
enum sign_error sig_verify(EVP_PKEY *key, const uint8_t *data, size_t len, const char *file,
                           const char *keyfile, enum sig_format *fmt, struct sign_status *st);

#endif
