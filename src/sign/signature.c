/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "signature.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/rsa.h>

#include "digest.h"
#include "key.h"

/* DigestInfo prefix for SHA-256 (RFC 8017 §9.2 note 1), and the same
 * without the NULL parameters, which BearSSL also accepts. */
static const uint8_t digestinfo_sha256[] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60,
                                            0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                                            0x01, 0x05, 0x00, 0x04, 0x20};
static const uint8_t digestinfo_sha256_nonull[] = {0x30, 0x2f, 0x30, 0x0b, 0x06, 0x09,
                                                   0x60, 0x86, 0x48, 0x01, 0x65, 0x03,
                                                   0x04, 0x02, 0x01, 0x04, 0x20};

const char *sig_format_name(enum sig_format fmt)
{
	switch (fmt) {
	case SIG_FORMAT_NONE:
		return "none";
	case SIG_FORMAT_CURRENT:
		return "current";
	case SIG_FORMAT_LEGACY:
		return "legacy";
	}
	return "?";
}

enum sign_error sig_sign_current(EVP_PKEY *key, const uint8_t *data, size_t len, uint8_t *sig,
                                 size_t *siglen, struct sign_status *st)
{
	EVP_MD_CTX *mctx = EVP_MD_CTX_new();
	size_t cap = (size_t)EVP_PKEY_get_size(key);
	int ok;

	*siglen = cap;
	ok = mctx && EVP_DigestSignInit_ex(mctx, NULL, "SHA256", NULL, NULL, key, NULL) == 1 &&
	     EVP_DigestSign(mctx, sig, siglen, data, len) == 1;
	EVP_MD_CTX_free(mctx);
	if (!ok) {
		unsigned long e = ERR_get_error();

		ERR_clear_error();
		return sign_fail(st, SIGN_ERR_CRYPTO, "cannot sign: libcrypto failed (%s)",
		                 e ? ERR_reason_error_string(e) : "no reason given");
	}
	return SIGN_OK;
}

enum sign_error sig_sign_digest(EVP_PKEY *key, const uint8_t hash[SIG_HASH_LEN], uint8_t *sig,
                                size_t *siglen, struct sign_status *st)
{
	EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
	int ok;

	*siglen = (size_t)EVP_PKEY_get_size(key);
	/* With the signature digest set, libcrypto wraps the hash in its DigestInfo. */
	ok = pctx && EVP_PKEY_sign_init(pctx) == 1 &&
	     EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1 &&
	     EVP_PKEY_CTX_set_signature_md(pctx, EVP_sha256()) == 1 &&
	     EVP_PKEY_sign(pctx, sig, siglen, hash, SIG_HASH_LEN) == 1;
	EVP_PKEY_CTX_free(pctx);
	if (!ok) {
		unsigned long e = ERR_get_error();

		ERR_clear_error();
		return sign_fail(st, SIGN_ERR_CRYPTO, "cannot sign: libcrypto failed (%s)",
		                 e ? ERR_reason_error_string(e) : "no reason given");
	}
	return SIGN_OK;
}

void sig_trailer(size_t slen, uint8_t out[SIG_TRAILER_LEN])
{
	out[0] = (uint8_t)slen;
	out[1] = (uint8_t)(slen >> 8);
	out[2] = (uint8_t)(slen >> 16);
	out[3] = (uint8_t)(slen >> 24);
}

enum sign_error sig_sign_legacy(EVP_PKEY *key, const uint8_t hash[SIG_HASH_LEN], uint8_t *sig,
                                size_t *siglen, struct sign_status *st)
{
	EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
	int ok;

	*siglen = (size_t)EVP_PKEY_get_size(key);
	/* No signature digest set: libcrypto pads the bytes as given. */
	ok = pctx && EVP_PKEY_sign_init(pctx) == 1 &&
	     EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1 &&
	     EVP_PKEY_sign(pctx, sig, siglen, hash, SIG_HASH_LEN) == 1;
	EVP_PKEY_CTX_free(pctx);
	if (!ok) {
		unsigned long e = ERR_get_error();

		ERR_clear_error();
		return sign_fail(st, SIGN_ERR_CRYPTO, "cannot legacy-sign: libcrypto failed (%s)",
		                 e ? ERR_reason_error_string(e) : "no reason given");
	}
	return SIGN_OK;
}

enum sign_error sig_build_file(const uint8_t *payload, size_t plen, const uint8_t *sig, size_t slen,
                               struct file_buf *out)
{
	size_t total = plen + slen + SIG_TRAILER_LEN;
	uint8_t *p = malloc(total);

	out->data = p;
	out->len = 0;
	if (!p)
		return SIGN_ERR_NOMEM;
	memcpy(p, payload, plen);
	memcpy(p + plen, sig, slen);
	sig_trailer(slen, p + plen + slen);
	out->len = total;
	return SIGN_OK;
}

enum sign_error sig_split(const uint8_t *data, size_t len, struct sig_parts *out)
{
	const uint8_t *t;
	uint32_t slen;

	memset(out, 0, sizeof(*out));
	if (len < SIG_TRAILER_LEN)
		return SIGN_ERR_SIG_LENGTH;
	t = data + len - SIG_TRAILER_LEN;
	slen = (uint32_t)t[0] | (uint32_t)t[1] << 8 | (uint32_t)t[2] << 16 | (uint32_t)t[3] << 24;
	out->sig_len = slen;
	if (slen == 0 || slen > SIG_MAX_LEN || (size_t)slen + SIG_TRAILER_LEN >= len)
		return SIGN_ERR_SIG_LENGTH;
	out->payload_len = len - SIG_TRAILER_LEN - slen;
	out->sig = data + out->payload_len;
	return SIGN_OK;
}

static int tail_matches(const uint8_t *rec, size_t len, const uint8_t *prefix, size_t plen,
                        const uint8_t hash[SIG_HASH_LEN])
{
	if (len != plen + SIG_HASH_LEN || (plen > 0 && memcmp(rec, prefix, plen) != 0))
		return 0;
	return CRYPTO_memcmp(rec + plen, hash, SIG_HASH_LEN) == 0;
}

enum sig_format sig_classify_recovered(const uint8_t *rec, size_t len,
                                       const uint8_t hash[SIG_HASH_LEN])
{
	if (tail_matches(rec, len, digestinfo_sha256, sizeof(digestinfo_sha256), hash) ||
	    tail_matches(rec, len, digestinfo_sha256_nonull, sizeof(digestinfo_sha256_nonull),
	                 hash))
		return SIG_FORMAT_CURRENT;
	if (tail_matches(rec, len, NULL, 0, hash))
		return SIG_FORMAT_LEGACY;
	return SIG_FORMAT_NONE;
}

enum sign_error sig_verify(EVP_PKEY *key, const uint8_t *data, size_t len, const char *file,
                           const char *keyfile, enum sig_format *fmt, struct sign_status *st)
{
	struct sig_parts parts;
	uint8_t hash[SIG_HASH_LEN], rec[SIG_MAX_LEN];
	size_t reclen = sizeof(rec), keylen = (size_t)EVP_PKEY_get_size(key);
	EVP_PKEY_CTX *pctx;
	struct digest d;
	int ok;

	*fmt = SIG_FORMAT_NONE;
	if (sig_split(data, len, &parts) != SIGN_OK)
		return sign_fail(
		    st, SIGN_ERR_SIG_LENGTH,
		    "signature length field out of range in '%s': it says %zu bytes, not "
		    "1..%d with an image before it in a %zu-byte file; the file is "
		    "truncated or was never signed",
		    file, parts.sig_len, SIG_MAX_LEN, len);
	if (parts.sig_len != keylen)
		return sign_fail(
		    st, SIGN_ERR_KEY_SIZE,
		    "key size mismatch: '%s' is not signed by '%s', its signature is %zu "
		    "bytes but the key is %u bits (%zu bytes); verify with the key the "
		    "image was signed with",
		    file, keyfile, parts.sig_len, key_bits(key), keylen);
	if (digest_init(&d, DIGEST_SHA256) != 0)
		return sign_fail(st, SIGN_ERR_NOMEM, "out of memory hashing '%s'", file);
	ok = digest_update(&d, data, parts.payload_len) == 0 && digest_out(&d, hash) == 0;
	digest_free(&d);
	if (!ok)
		return sign_fail(st, SIGN_ERR_CRYPTO, "cannot hash '%s': libcrypto failed", file);

	pctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
	ok = pctx && EVP_PKEY_verify_recover_init(pctx) == 1 &&
	     EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1 &&
	     EVP_PKEY_verify_recover(pctx, rec, &reclen, parts.sig, parts.sig_len) == 1;
	EVP_PKEY_CTX_free(pctx);
	ERR_clear_error();
	if (ok)
		*fmt = sig_classify_recovered(rec, reclen, hash);
	if (*fmt == SIG_FORMAT_NONE)
		return sign_fail(st, SIGN_ERR_SIG_MISMATCH,
		                 "signature mismatch: '%s' is not signed by '%s'; the image or the "
		                 "signature changed after signing, or another key signed it",
		                 file, keyfile);
	return SIGN_OK;
}
