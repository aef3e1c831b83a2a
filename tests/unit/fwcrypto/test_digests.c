/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* firmware/core md5.c and sha256.c against libcrypto: RFC 1321 and FIPS 180
 * vectors, many lengths, every split of the input, and digests taken in the
 * middle of a stream. Each test runs once per hash (cmocka state). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "md5.h"
#include "sha256.h"

#define MAX_SIZE SHA256_SIZE

union hash_ctx {
	struct md5_ctx md5;
	struct sha256_ctx sha256;
};

struct vector {
	const char *msg;
	const char *hex;
};

/* One hash under test: our functions, libcrypto's twin, known answers. */
struct hash {
	size_t size;
	void (*init)(union hash_ctx *c);
	void (*update)(union hash_ctx *c, const void *p, size_t len);
	void (*out)(const union hash_ctx *c, uint8_t *out);
	const EVP_MD *(*ref)(void);
	const struct vector *vectors;
};

static void md5_init_u(union hash_ctx *c)
{
	md5_init(&c->md5);
}
static void md5_update_u(union hash_ctx *c, const void *p, size_t n)
{
	md5_update(&c->md5, p, n);
}
static void md5_out_u(const union hash_ctx *c, uint8_t *o)
{
	md5_out(&c->md5, o);
}
static void sha256_init_u(union hash_ctx *c)
{
	sha256_init(&c->sha256);
}
static void sha256_update_u(union hash_ctx *c, const void *p, size_t n)
{
	sha256_update(&c->sha256, p, n);
}
static void sha256_out_u(const union hash_ctx *c, uint8_t *o)
{
	sha256_out(&c->sha256, o);
}

static const struct vector rfc1321[] = {
    {"", "d41d8cd98f00b204e9800998ecf8427e"},
    {"a", "0cc175b9c0f1b6a831c399e269772661"},
    {"abc", "900150983cd24fb0d6963f7d28e17f72"},
    {"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
    {"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
    {"12345678901234567890123456789012345678901234567890123456789012345678901234567890",
     "57edf4a22be3c955ac49da2e2107b67a"},
    {NULL, NULL},
};

static const struct vector fips180[] = {
    {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"a", "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"},
    {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnop"
     "qrsmnopqrstnopqrstu",
     "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
    {NULL, NULL},
};

static struct hash md5_hash = {MD5_SIZE, md5_init_u, md5_update_u, md5_out_u, EVP_md5, rfc1321};
static struct hash sha256_hash = {SHA256_SIZE,  sha256_init_u, sha256_update_u,
                                  sha256_out_u, EVP_sha256,    fips180};

static void reference(const struct hash *h, const uint8_t *p, size_t len, uint8_t *out)
{
	unsigned n = 0;

	assert_int_equal(EVP_Digest(p, len, out, &n, h->ref(), NULL), 1);
	assert_int_equal(n, h->size);
}

static void fill(uint8_t *buf, size_t len, uint32_t seed)
{
	for (size_t i = 0; i < len; i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (uint8_t)(seed >> 16);
	}
}

static void test_known_answers(void **state)
{
	const struct hash *h = *state;

	for (const struct vector *v = h->vectors; v->msg; v++) {
		union hash_ctx c;
		uint8_t out[MAX_SIZE];
		char hex[2 * MAX_SIZE + 1];

		h->init(&c);
		h->update(&c, v->msg, strlen(v->msg));
		h->out(&c, out);
		for (size_t j = 0; j < h->size; j++)
			snprintf(hex + 2 * j, 3, "%02x", out[j]);
		assert_string_equal(hex, v->hex);
	}
}

/* Whole, byte by byte, and split in two at every offset, for every length
 * around the block and padding boundaries. */
static void test_every_split(void **state)
{
	const struct hash *h = *state;
	uint8_t msg[300], want[MAX_SIZE], got[MAX_SIZE];

	fill(msg, sizeof(msg), 1);
	for (size_t len = 0; len <= sizeof(msg); len++) {
		union hash_ctx c;

		reference(h, msg, len, want);
		h->init(&c);
		h->update(&c, msg, len);
		h->out(&c, got);
		assert_memory_equal(got, want, h->size);

		h->init(&c);
		for (size_t i = 0; i < len; i++)
			h->update(&c, msg + i, 1);
		h->out(&c, got);
		assert_memory_equal(got, want, h->size);

		for (size_t cut = 0; cut <= len; cut++) {
			h->init(&c);
			h->update(&c, msg, cut);
			h->update(&c, msg + cut, len - cut);
			h->out(&c, got);
			assert_memory_equal(got, want, h->size);
		}
	}
}

/* Long inputs in random pieces, with the digest read after some pieces:
 * the state must stay usable and each intermediate digest must be right. */
static void test_long_streams(void **state)
{
	const struct hash *h = *state;
	static uint8_t msg[200000];
	uint32_t r = 7;

	fill(msg, sizeof(msg), 2);
	for (int round = 0; round < 4; round++) {
		union hash_ctx c;
		size_t off = 0;
		uint8_t want[MAX_SIZE], got[MAX_SIZE];

		h->init(&c);
		while (off < sizeof(msg)) {
			size_t n;

			r = r * 1664525u + 1013904223u;
			n = (r >> 8) % (round == 0 ? 7u : 5000u);
			if (n > sizeof(msg) - off)
				n = sizeof(msg) - off;
			h->update(&c, msg + off, n);
			off += n;
			if ((r & 0x1f) == 0 || off == sizeof(msg)) {
				h->out(&c, got);
				reference(h, msg, off, want);
				assert_memory_equal(got, want, h->size);
			}
		}
	}
}

#define FOR_HASH(test, h) cmocka_unit_test_prestate(test, &h)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    FOR_HASH(test_known_answers, md5_hash),  FOR_HASH(test_every_split, md5_hash),
	    FOR_HASH(test_long_streams, md5_hash),   FOR_HASH(test_known_answers, sha256_hash),
	    FOR_HASH(test_every_split, sha256_hash), FOR_HASH(test_long_streams, sha256_hash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
