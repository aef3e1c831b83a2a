/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Public-key operations only: nothing here is secret, so the code is
 * written for size and clarity, not for constant time. */
#include "bignum.h"

#include "fwmem.h"

void bn_from_be(uint32_t *x, size_t nlimbs, const uint8_t *src, size_t len)
{
	fw_memset(x, 0, nlimbs * sizeof(*x));
	for (size_t i = 0; i < len; i++) {
		size_t bit = 8 * (len - 1 - i);

		x[bit / 32] |= (uint32_t)src[i] << (bit % 32);
	}
}

uint8_t bn_be_byte(const uint32_t *x, size_t len, size_t i)
{
	size_t bit = 8 * (len - 1 - i);

	return (uint8_t)(x[bit / 32] >> (bit % 32));
}

bool bn_less(const uint32_t *x, const uint32_t *n, size_t nlimbs)
{
	for (size_t i = nlimbs; i-- > 0;)
		if (x[i] != n[i])
			return x[i] < n[i];
	return false;
}

/* a * b as 64 bits from four 16 x 16 products: the lx106 has no widening
 * multiply, and the libgcc of its toolchain has no __muldi3. */
static uint64_t mul_wide(uint32_t a, uint32_t b)
{
	uint32_t al = a & 0xffffu, ah = a >> 16, bl = b & 0xffffu, bh = b >> 16;
	uint32_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
	uint32_t mid = (ll >> 16) + (lh & 0xffffu) + (hl & 0xffffu);

	return (uint64_t)(hh + (lh >> 16) + (hl >> 16) + (mid >> 16)) << 32 | (ll & 0xffffu) | mid << 16;
}

/* x -= n over nlimbs limbs; returns the borrow. */
static uint32_t bn_sub(uint32_t *x, const uint32_t *n, size_t nlimbs)
{
	uint32_t borrow = 0;

	for (size_t i = 0; i < nlimbs; i++) {
		uint64_t d = (uint64_t)x[i] - n[i] - borrow;

		x[i] = (uint32_t)d;
		borrow = (uint32_t)(d >> 63);
	}
	return borrow;
}

void bn_mont_setup(struct bn_mont *m, const uint32_t *n, size_t nlimbs)
{
	/* Newton's iteration for n^-1 mod 2^32: each step doubles the
	 * number of correct low bits, and n0 * 3 ^ 2 is right to 5 bits. */
	uint32_t n0 = n[0], inv = (n0 * 3u) ^ 2u;

	for (int i = 0; i < 3; i++)
		inv *= 2u - n0 * inv;
	m->n = n;
	m->nlimbs = nlimbs;
	m->n0inv = 0u - inv;
}

void bn_mont_mul(const struct bn_mont *m, uint32_t *out, const uint32_t *a, const uint32_t *b,
		 uint32_t *t)
{
	const uint32_t *n = m->n;
	size_t k = m->nlimbs;

	/* CIOS: multiply one limb of b, then reduce one limb at a time */
	fw_memset(t, 0, (k + 2) * sizeof(*t));
	for (size_t i = 0; i < k; i++) {
		uint64_t acc = 0;
		uint32_t q;

		for (size_t j = 0; j < k; j++) {
			acc += mul_wide(a[j], b[i]) + t[j];
			t[j] = (uint32_t)acc;
			acc >>= 32;
		}
		acc += t[k];
		t[k] = (uint32_t)acc;
		t[k + 1] = (uint32_t)(acc >> 32);

		q = t[0] * m->n0inv;
		acc = (mul_wide(q, n[0]) + t[0]) >> 32;
		for (size_t j = 1; j < k; j++) {
			acc += mul_wide(q, n[j]) + t[j];
			t[j - 1] = (uint32_t)acc;
			acc >>= 32;
		}
		acc += t[k];
		t[k - 1] = (uint32_t)acc;
		t[k] = t[k + 1] + (uint32_t)(acc >> 32);
	}
	/* t < 2n: one conditional subtraction brings it below n */
	if (t[k] != 0 || !bn_less(t, n, k))
		bn_sub(t, n, k);
	fw_memcpy(out, t, k * sizeof(*t));
}

void bn_mont_r2(const struct bn_mont *m, uint32_t *out)
{
	size_t k = m->nlimbs;
	size_t top = 32 * k - 1;
	uint32_t hibit;

	/* Start from the highest power of two below n, then double modulo n
	 * up to 2^(64k): each step is a shift and at most one subtraction. */
	while (!(m->n[top / 32] >> (top % 32) & 1u))
		top--;
	fw_memset(out, 0, k * sizeof(*out));
	out[top / 32] = 1u << (top % 32);
	for (size_t i = top; i < 64 * k; i++) {
		hibit = out[k - 1] >> 31;
		for (size_t j = k - 1; j > 0; j--)
			out[j] = (out[j] << 1) | (out[j - 1] >> 31);
		out[0] <<= 1;
		if (hibit || !bn_less(out, m->n, k))
			bn_sub(out, m->n, k);
	}
}

void bn_modexp_u32(const struct bn_mont *m, uint32_t *x, uint32_t e, uint32_t *r2, uint32_t *t)
{
	uint32_t *xm = r2; /* R^2 is needed once, then its room holds x * R */
	int bit = 31;

	bn_mont_mul(m, xm, x, r2, t);
	while (bit > 0 && !(e >> bit & 1u))
		bit--;
	fw_memcpy(x, xm, m->nlimbs * sizeof(*x));
	while (bit-- > 0) {
		bn_mont_mul(m, x, x, x, t);
		if (e >> bit & 1u)
			bn_mont_mul(m, x, x, xm, t);
	}
	/* leave Montgomery form: multiply by 1 */
	fw_memset(xm, 0, m->nlimbs * sizeof(*xm));
	xm[0] = 1;
	bn_mont_mul(m, x, x, xm, t);
}
