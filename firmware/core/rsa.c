/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* RSASSA-PKCS1-v1_5 verification over a SHA-256 digest (RFC 8017 8.2.2),
 * as the esp8266 Updater does it with BearSSL. */
#include "rsa.h"

#include "bignum.h"
#include "fwmem.h"

#define RSA_HASH_LEN 32

/* DigestInfo prefixes for SHA-256 (RFC 8017 9.2, note 1): with the NULL
 * parameters, and without them as some signers write it. */
static const uint8_t di_sha256_null[19] = { 0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60,
					    0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
					    0x01, 0x05, 0x00, 0x04, 0x20 };
static const uint8_t di_sha256_bare[17] = { 0x30, 0x2f, 0x30, 0x0b, 0x06, 0x09,
					    0x60, 0x86, 0x48, 0x01, 0x65, 0x03,
					    0x04, 0x02, 0x01, 0x04, 0x20 };

/* Compares the recovered block in x (k bytes) with 00 01 FF..FF 00 prefix
 * hash, touching every byte whatever it finds: 0 when equal. */
static unsigned block_diff(const uint32_t *x, size_t k, const uint8_t *prefix, size_t plen,
			   const uint8_t *hash)
{
	size_t sep = k - plen - RSA_HASH_LEN - 1; /* index of the 00 before the prefix */
	unsigned acc = 0;

	for (size_t i = 0; i < k; i++) {
		uint8_t want;

		if (i == 0 || i == sep)
			want = 0x00;
		else if (i == 1)
			want = 0x01;
		else if (i < sep)
			want = 0xff;
		else if (i - sep - 1 < plen)
			want = prefix[i - sep - 1];
		else
			want = hash[i - sep - 1 - plen];
		acc |= (unsigned)(bn_be_byte(x, k, i) ^ want);
	}
	return acc;
}

enum rsa_status rsa_verify_sha256_ws(const struct rsa_pubkey *key, const uint8_t *sig,
				     size_t siglen, const uint8_t hash[32], bool legacy,
				     struct rsa_workspace *ws)
{
	size_t k = key->nlen, limbs = (key->nlen + 3) / 4;
	struct bn_mont mont;
	uint32_t e = 0;
	unsigned diff;

	/* 64 bytes leave room for 00 01, eight FF, 00 and the longest T */
	if (k > RSA_MAX_BYTES || k < 64 || key->n[0] == 0)
		return RSA_ERR_KEY_SIZE;
	if (siglen != k)
		return RSA_ERR_SIG_SIZE;
	for (size_t i = 0; i < key->elen && i < sizeof(key->e); i++)
		e = e << 8 | key->e[i];
	if (!(key->n[k - 1] & 1) || key->elen > sizeof(key->e) || e < 3 || !(e & 1))
		return RSA_ERR_KEY_PARAMS;

	bn_from_be(ws->n, limbs, key->n, k);
	bn_from_be(ws->x, limbs, sig, siglen);
	if (!bn_less(ws->x, ws->n, limbs))
		return RSA_ERR_MISMATCH;
	bn_mont_setup(&mont, ws->n, limbs);
	bn_mont_r2(&mont, ws->r2);
	bn_modexp_u32(&mont, ws->x, e, ws->r2, ws->t);

	if (legacy) {
		diff = block_diff(ws->x, k, NULL, 0, hash);
	} else {
		unsigned d1 = block_diff(ws->x, k, di_sha256_null, sizeof(di_sha256_null), hash);
		unsigned d2 = block_diff(ws->x, k, di_sha256_bare, sizeof(di_sha256_bare), hash);

		/* zero when either matched */
		diff = (unsigned)((d1 != 0) & (d2 != 0));
	}
	fw_memset(ws, 0, sizeof(*ws));
	return diff == 0 ? RSA_OK : RSA_ERR_MISMATCH;
}

enum rsa_status rsa_verify_sha256(const struct rsa_pubkey *key, const uint8_t *sig,
				  size_t siglen, const uint8_t hash[32], bool legacy)
{
	struct rsa_workspace ws;

	return rsa_verify_sha256_ws(key, sig, siglen, hash, legacy, &ws);
}

const char *rsa_strerror(enum rsa_status st)
{
	switch (st) {
	case RSA_OK:
		return "success";
	case RSA_ERR_PEM:
		return "public key is not PEM text with a PUBLIC KEY or RSA PUBLIC KEY block";
	case RSA_ERR_DER:
		return "public key has malformed DER contents";
	case RSA_ERR_NOT_RSA:
		return "public key is not an RSA key: use an RSA key for signed updates";
	case RSA_ERR_KEY_SIZE:
		return "RSA key size is outside 512 to 4096 bits";
	case RSA_ERR_SIG_SIZE:
		return "signature length differs from the key's modulus length";
	case RSA_ERR_MISMATCH:
		return "signature does not match the image";
	case RSA_ERR_KEY_PARAMS:
		return "RSA key has an even modulus or an unusable exponent";
	}
	return "unknown RSA error";
}
