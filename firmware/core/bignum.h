/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unsigned big integers on 32-bit limbs (least significant first) and
 * Montgomery arithmetic modulo an odd modulus: just what RSA public-key
 * operations need. Every number has the modulus's limb count; the caller
 * owns all storage. */
#ifndef ESPOTA_FW_BIGNUM_H
#define ESPOTA_FW_BIGNUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BN_MAX_LIMBS 128 /* 4096 bits */

/* Big-endian bytes to limbs; len <= 4 * nlimbs, the rest is zeroed. */
void bn_from_be(uint32_t *x, size_t nlimbs, const uint8_t *src, size_t len);
/* Byte i of the len-byte big-endian form of x. */
uint8_t bn_be_byte(const uint32_t *x, size_t len, size_t i);
/* x < n */
bool bn_less(const uint32_t *x, const uint32_t *n, size_t nlimbs);

/* A Montgomery context: the modulus and -n^-1 mod 2^32. */
struct bn_mont {
	const uint32_t *n;
	size_t nlimbs; /* n's top limb is non-zero */
	uint32_t n0inv;
};

/* n must be odd with a non-zero top limb. */
void bn_mont_setup(struct bn_mont *m, const uint32_t *n, size_t nlimbs);
/* out = a * b / R mod n, with R = 2^(32 * nlimbs); a, b < n. out may alias
 * a or b; t is scratch of nlimbs + 2 limbs. */
void bn_mont_mul(const struct bn_mont *m, uint32_t *out, const uint32_t *a, const uint32_t *b,
		 uint32_t *t);
/* out = R^2 mod n, the constant that takes numbers into Montgomery form. */
void bn_mont_r2(const struct bn_mont *m, uint32_t *out);

/* x = x^e mod n for a public exponent e >= 1 and x < n. r2 holds R^2 mod
 * n on entry and is used as scratch (clobbered); t is scratch of
 * nlimbs + 2 limbs. Three numbers in all, for the ESP8266's small stack. */
void bn_modexp_u32(const struct bn_mont *m, uint32_t *x, uint32_t e, uint32_t *r2, uint32_t *t);

#endif
