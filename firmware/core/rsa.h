/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* RSA public keys and PKCS#1 v1.5 signature verification for signed
 * updates. No allocation: keys and work space are caller-owned. */
#ifndef ESPOTA_FW_RSA_H
#define ESPOTA_FW_RSA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RSA_MAX_BYTES 512 /* RSA-4096 */

struct rsa_pubkey {
	uint8_t n[RSA_MAX_BYTES]; /* modulus, big-endian, no leading zero */
	size_t nlen;              /* modulus length in bytes = signature length */
	uint8_t e[4];             /* public exponent, big-endian */
	size_t elen;
};

enum rsa_status {
	RSA_OK = 0,
	RSA_ERR_PEM = 1,       /* no PEM armour, bad base64 */
	RSA_ERR_DER = 2,       /* malformed ASN.1 */
	RSA_ERR_NOT_RSA = 3,   /* SubjectPublicKeyInfo of another algorithm (EC) */
	RSA_ERR_KEY_SIZE = 4,  /* modulus over RSA_MAX_BYTES or under 512 bits */
	RSA_ERR_SIG_SIZE = 5,  /* signature length differs from the modulus */
	RSA_ERR_MISMATCH = 6,  /* padding or digest does not match */
	RSA_ERR_KEY_PARAMS = 7, /* even modulus, or exponent even, under 3 or over 32 bits */
};

/* Parses a PEM public key: SubjectPublicKeyInfo ("BEGIN PUBLIC KEY") or
 * PKCS#1 ("BEGIN RSA PUBLIC KEY"), as signing.py embeds it. */
enum rsa_status rsa_pubkey_from_pem(struct rsa_pubkey *key, const char *pem, size_t len);

/* Checks an RSASSA-PKCS1-v1_5 signature over a SHA-256 digest.
 * legacy=false: the block is 00 01 FF.. 00 DigestInfo(SHA-256) hash, the
 *   DigestInfo with or without the NULL parameters (as BearSSL accepts).
 * legacy=true: 00 01 FF.. 00 hash (core <= 2.5.2, no DigestInfo).
 * The final compare is constant-time. */
enum rsa_status rsa_verify_sha256(const struct rsa_pubkey *key, const uint8_t *sig,
				  size_t siglen, const uint8_t hash[32], bool legacy);

/* Work space for one verification, about 2 KiB for RSA-4096: the modulus,
 * R^2 mod n, the number being exponentiated and the multiplication
 * scratch, all in 32-bit limbs. */
struct rsa_workspace {
	uint32_t n[RSA_MAX_BYTES / 4];
	uint32_t r2[RSA_MAX_BYTES / 4];
	uint32_t x[RSA_MAX_BYTES / 4];
	uint32_t t[RSA_MAX_BYTES / 4 + 2];
};

/* rsa_verify_sha256() with the work space supplied by the caller, for
 * stacks too small for it (rsa_verify_sha256() keeps it on its own). */
enum rsa_status rsa_verify_sha256_ws(const struct rsa_pubkey *key, const uint8_t *sig,
				     size_t siglen, const uint8_t hash[32], bool legacy,
				     struct rsa_workspace *ws);

const char *rsa_strerror(enum rsa_status st);

#endif
