/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* firmware/core md5.c against libcrypto: RFC 1321 vectors, many lengths,
 * every split of the input, and digests taken in the middle of a stream. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "md5.h"

static void ref_md5(const uint8_t *p, size_t len, uint8_t out[MD5_SIZE])
{
	unsigned n = 0;

	assert_int_equal(EVP_Digest(p, len, out, &n, EVP_md5(), NULL), 1);
	assert_int_equal(n, MD5_SIZE);
}

static void fill(uint8_t *buf, size_t len, uint32_t seed)
{
	for (size_t i = 0; i < len; i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (uint8_t)(seed >> 16);
	}
}

static void test_rfc1321_vectors(void **state)
{
	static const struct {
		const char *msg;
		const char *hex;
	} v[] = {
		{ "", "d41d8cd98f00b204e9800998ecf8427e" },
		{ "a", "0cc175b9c0f1b6a831c399e269772661" },
		{ "abc", "900150983cd24fb0d6963f7d28e17f72" },
		{ "message digest", "f96b697d7cb7938d525a2f31aaf161d0" },
		{ "abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b" },
		{ "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
		  "57edf4a22be3c955ac49da2e2107b67a" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct md5_ctx c;
		uint8_t out[MD5_SIZE];
		char hex[2 * MD5_SIZE + 1];

		md5_init(&c);
		md5_update(&c, v[i].msg, strlen(v[i].msg));
		md5_out(&c, out);
		for (int j = 0; j < MD5_SIZE; j++)
			snprintf(hex + 2 * j, 3, "%02x", out[j]);
		assert_string_equal(hex, v[i].hex);
	}
}

/* Whole, byte by byte, and split in two at every offset, for every length
 * around the block and padding boundaries. */
static void test_every_split(void **state)
{
	uint8_t msg[300], want[MD5_SIZE], got[MD5_SIZE];

	(void)state;
	fill(msg, sizeof(msg), 1);
	for (size_t len = 0; len <= sizeof(msg); len++) {
		struct md5_ctx c;

		ref_md5(msg, len, want);
		md5_init(&c);
		md5_update(&c, msg, len);
		md5_out(&c, got);
		assert_memory_equal(got, want, MD5_SIZE);

		md5_init(&c);
		for (size_t i = 0; i < len; i++)
			md5_update(&c, msg + i, 1);
		md5_out(&c, got);
		assert_memory_equal(got, want, MD5_SIZE);

		for (size_t cut = 0; cut <= len; cut++) {
			md5_init(&c);
			md5_update(&c, msg, cut);
			md5_update(&c, msg + cut, len - cut);
			md5_out(&c, got);
			assert_memory_equal(got, want, MD5_SIZE);
		}
	}
}

/* Long inputs in random pieces, with md5_out() after every piece: the
 * state must stay usable and each intermediate digest must be right. */
static void test_long_streams(void **state)
{
	static uint8_t msg[200000];
	uint32_t r = 7;

	(void)state;
	fill(msg, sizeof(msg), 2);
	for (int round = 0; round < 4; round++) {
		struct md5_ctx c;
		size_t off = 0;
		uint8_t want[MD5_SIZE], got[MD5_SIZE];

		md5_init(&c);
		while (off < sizeof(msg)) {
			size_t n;

			r = r * 1664525u + 1013904223u;
			n = (r >> 8) % (round == 0 ? 7u : 5000u);
			if (n > sizeof(msg) - off)
				n = sizeof(msg) - off;
			md5_update(&c, msg + off, n);
			off += n;
			if ((r & 0x1f) == 0 || off == sizeof(msg)) {
				md5_out(&c, got);
				ref_md5(msg, off, want);
				assert_memory_equal(got, want, MD5_SIZE);
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc1321_vectors),
		cmocka_unit_test(test_every_split),
		cmocka_unit_test(test_long_streams),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
