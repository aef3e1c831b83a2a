/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* firmware/core sha256.c against libcrypto: FIPS 180 vectors, many lengths,
 * every split of the input, and digests taken in the middle of a stream. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "sha256.h"

static void ref_sha256(const uint8_t *p, size_t len, uint8_t out[SHA256_SIZE])
{
	unsigned n = 0;

	assert_int_equal(EVP_Digest(p, len, out, &n, EVP_sha256(), NULL), 1);
	assert_int_equal(n, SHA256_SIZE);
}

static void fill(uint8_t *buf, size_t len, uint32_t seed)
{
	for (size_t i = 0; i < len; i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (uint8_t)(seed >> 16);
	}
}

static void test_fips180_vectors(void **state)
{
	static const struct {
		const char *msg;
		const char *hex;
	} v[] = {
		{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "a", "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb" },
		{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
		{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
		  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct sha256_ctx c;
		uint8_t out[SHA256_SIZE];
		char hex[2 * SHA256_SIZE + 1];

		sha256_init(&c);
		sha256_update(&c, v[i].msg, strlen(v[i].msg));
		sha256_out(&c, out);
		for (int j = 0; j < SHA256_SIZE; j++)
			snprintf(hex + 2 * j, 3, "%02x", out[j]);
		assert_string_equal(hex, v[i].hex);
	}
}

/* Whole, byte by byte, and split in two at every offset, for every length
 * around the block and padding boundaries. */
static void test_every_split(void **state)
{
	uint8_t msg[300], want[SHA256_SIZE], got[SHA256_SIZE];

	(void)state;
	fill(msg, sizeof(msg), 1);
	for (size_t len = 0; len <= sizeof(msg); len++) {
		struct sha256_ctx c;

		ref_sha256(msg, len, want);
		sha256_init(&c);
		sha256_update(&c, msg, len);
		sha256_out(&c, got);
		assert_memory_equal(got, want, SHA256_SIZE);

		sha256_init(&c);
		for (size_t i = 0; i < len; i++)
			sha256_update(&c, msg + i, 1);
		sha256_out(&c, got);
		assert_memory_equal(got, want, SHA256_SIZE);

		for (size_t cut = 0; cut <= len; cut++) {
			sha256_init(&c);
			sha256_update(&c, msg, cut);
			sha256_update(&c, msg + cut, len - cut);
			sha256_out(&c, got);
			assert_memory_equal(got, want, SHA256_SIZE);
		}
	}
}

/* Long inputs in random pieces, with sha256_out() after every piece: the
 * state must stay usable and each intermediate digest must be right. */
static void test_long_streams(void **state)
{
	static uint8_t msg[200000];
	uint32_t r = 7;

	(void)state;
	fill(msg, sizeof(msg), 2);
	for (int round = 0; round < 4; round++) {
		struct sha256_ctx c;
		size_t off = 0;
		uint8_t want[SHA256_SIZE], got[SHA256_SIZE];

		sha256_init(&c);
		while (off < sizeof(msg)) {
			size_t n;

			r = r * 1664525u + 1013904223u;
			n = (r >> 8) % (round == 0 ? 7u : 5000u);
			if (n > sizeof(msg) - off)
				n = sizeof(msg) - off;
			sha256_update(&c, msg + off, n);
			off += n;
			if ((r & 0x1f) == 0 || off == sizeof(msg)) {
				sha256_out(&c, got);
				ref_sha256(msg, off, want);
				assert_memory_equal(got, want, SHA256_SIZE);
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fips180_vectors),
		cmocka_unit_test(test_every_split),
		cmocka_unit_test(test_long_streams),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
