/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* MD5 (RFC 1321): one loop over the 64 steps with small tables, which
 * keeps the code small for the ESP8266's instruction RAM. */
#include "md5.h"

#include "fwmem.h"
#include "md_stream.h"

/* floor(abs(sin(i + 1)) * 2^32) */
static const uint32_t md5_k[64] = {
	0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
	0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
	0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
	0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
	0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
	0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
	0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
	0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};

/* Rotation amounts: four per round, repeated four times in the round. */
static const uint8_t md5_r[16] = { 7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21 };

static uint32_t rol32(uint32_t x, unsigned n)
{
	return (x << n) | (x >> (32u - n));
}

static void md5_block(uint32_t st[4], const uint8_t blk[64])
{
	uint32_t w[16];
	uint32_t a = st[0], b = st[1], c = st[2], d = st[3];

	for (unsigned i = 0; i < 16; i++)
		w[i] = fw_load_le32(blk + 4 * i);
	for (unsigned i = 0; i < 64; i++) {
		uint32_t f;
		unsigned g;

		switch (i >> 4) {
		case 0:
			f = (b & c) | (~b & d);
			g = i;
			break;
		case 1:
			f = (d & b) | (~d & c);
			g = 5 * i + 1;
			break;
		case 2:
			f = b ^ c ^ d;
			g = 3 * i + 5;
			break;
		default:
			f = c ^ (b | ~d);
			g = 7 * i;
			break;
		}
		f += a + md5_k[i] + w[g & 15];
		a = d;
		d = c;
		c = b;
		b += rol32(f, md5_r[((i >> 4) << 2) | (i & 3)]);
	}
	st[0] += a;
	st[1] += b;
	st[2] += c;
	st[3] += d;
}

void md5_init(struct md5_ctx *c)
{
	c->state[0] = 0x67452301;
	c->state[1] = 0xefcdab89;
	c->state[2] = 0x98badcfe;
	c->state[3] = 0x10325476;
	c->count = 0;
}

void md5_update(struct md5_ctx *c, const void *data, size_t len)
{
	md_stream_update(c->state, c->buf, &c->count, md5_block, data, len);
}

void md5_out(const struct md5_ctx *c, uint8_t out[MD5_SIZE])
{
	uint32_t st[4];

	fw_memcpy(st, c->state, sizeof(st));
	md_stream_final(st, c->buf, c->count, md5_block, false);
	for (unsigned i = 0; i < 4; i++)
		fw_store_le32(out + 4 * i, st[i]);
}
