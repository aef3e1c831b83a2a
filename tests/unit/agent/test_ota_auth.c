/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The OTA challenge: vectors V1-V3 (MD5 scheme) and E1/E2 (SHA-256 /
 * PBKDF2 scheme) of docs/protocol/ota-protocol.md §11, §12.2, HMAC-SHA256
 * and PBKDF2 against libcrypto, nonces from the HAL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hal_posix.h"
#include "ota_auth.h"
#include "ota_pbkdf2.h"

static void hex(const uint8_t *p, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", p[i]);
}

static void fill(uint8_t *buf, size_t len, uint32_t seed)
{
	for (size_t i = 0; i < len; i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (uint8_t)(seed >> 16);
	}
}

static void expect_response(enum ota_auth_scheme s, const char *stored, const char *nonce,
			    const char *cnonce, const char *want)
{
	char got[OTA_AUTH_HEX_MAX + 1];

	ota_auth_expected(s, stored, strlen(stored), nonce, cnonce, got);
	assert_string_equal(got, want);
	assert_true(ota_auth_verify(s, stored, strlen(stored), nonce, cnonce, want, strlen(want)));
}

static void test_md5_vectors(void **state)
{
	char hash[OTA_AUTH_HEX_MAX + 1];

	(void)state;
	/* V1: the nonce is md5hex("12345678") (micros on the chip). */
	assert_int_equal(ota_auth_password_hash(OTA_AUTH_MD5, "12345678", 8, hash), 32);
	assert_string_equal(hash, "25d55ad283aa400af464c76d713c07ad");
	ota_auth_password_hash(OTA_AUTH_MD5, "123", 3, hash);
	assert_string_equal(hash, "202cb962ac59075b964b07152d234b70");
	expect_response(OTA_AUTH_MD5, hash, "25d55ad283aa400af464c76d713c07ad",
			"4c4a44b157313b69923103490ec1ef5b", "3dd7e387c37ad26a0abae3f2a7ba1d78");
	/* V2 */
	ota_auth_password_hash(OTA_AUTH_MD5, "admin", 5, hash);
	assert_string_equal(hash, "21232f297a57a5a743894a0e4a801fc3");
	expect_response(OTA_AUTH_MD5, hash, "00112233445566778899aabbccddeeff",
			"ffeeddccbbaa99887766554433221100", "c6689071b9ed934014184db8287fafa3");
	/* V3: the empty password */
	ota_auth_password_hash(OTA_AUTH_MD5, "", 0, hash);
	assert_string_equal(hash, "d41d8cd98f00b204e9800998ecf8427e");
	expect_response(OTA_AUTH_MD5, hash, "00112233445566778899aabbccddeeff",
			"ffeeddccbbaa99887766554433221100", "40708b150f504c3ded6ccda8e3d33f5f");
}

static void test_md5_refusals(void **state)
{
	static const char stored[] = "21232f297a57a5a743894a0e4a801fc3";
	static const char nonce[] = "00112233445566778899aabbccddeeff";
	static const char cnonce[] = "ffeeddccbbaa99887766554433221100";
	char bad[] = "c6689071b9ed934014184db8287fafa3";

	(void)state;
	assert_true(ota_auth_verify(OTA_AUTH_MD5, stored, 32, nonce, cnonce, bad, 32));
	/* Case-sensitive, every position matters, length must be exact. */
	bad[0] = 'C';
	assert_false(ota_auth_verify(OTA_AUTH_MD5, stored, 32, nonce, cnonce, bad, 32));
	bad[0] = 'c';
	bad[31] = '4';
	assert_false(ota_auth_verify(OTA_AUTH_MD5, stored, 32, nonce, cnonce, bad, 32));
	bad[31] = '3';
	assert_false(ota_auth_verify(OTA_AUTH_MD5, stored, 32, nonce, cnonce, bad, 31));
	/* An upper-case stored hash never matches (pitfall 6). */
	assert_false(ota_auth_verify(OTA_AUTH_MD5, "21232F297A57A5A743894A0E4A801FC3", 32, nonce,
				     cnonce, bad, 32));
}

#define E_NONCE "0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f"
#define E_CNONCE "364957b70148640af7c7d8f9a60574d11dbd7cd29a409ceece3a66d6c08e4d07"

static void check_derived_key(const char *stored, const char *want)
{
	static const char salt[] = E_NONCE ":" E_CNONCE;
	uint8_t key[32];
	char got[65];

	pbkdf2_hmac_sha256(stored, strlen(stored), salt, sizeof(salt) - 1, 10000, key, 32);
	hex(key, 32, got);
	assert_string_equal(got, want);
}

static void test_sha256_vectors(void **state)
{
	char hash[OTA_AUTH_HEX_MAX + 1];

	(void)state;
	assert_int_equal(ota_auth_password_hash(OTA_AUTH_SHA256, "admin", 5, hash), 64);
	assert_string_equal(hash,
			    "8c6976e5b5410415bde908bd4dee15dfb167a9c873fc4bb8a81f6f2ab448a918");
	/* The cnonce is sha256hex(cnonce_text) of V1. */
	{
		static const char text[] = "/tmp/build/Blink.ino.bin265760"
					   "0123456789abcdef0123456789abcdef192.168.1.50";
		char cn[OTA_AUTH_HEX_MAX + 1];

		ota_auth_password_hash(OTA_AUTH_SHA256, text, sizeof(text) - 1, cn);
		assert_string_equal(cn, E_CNONCE);
	}
	/* E1 */
	check_derived_key(hash, "8b1a024950a2280fcb991c4ba3a0f1d2634345b518be23aa054e491d45d234f4");
	expect_response(OTA_AUTH_SHA256, hash, E_NONCE, E_CNONCE,
			"4a32b321772e19f3289de927e90f43eacabc3c0a75715b86403e477ac9f7b8bc");
	/* E2: an MD5 password hash under the PBKDF2 scheme */
	check_derived_key("21232f297a57a5a743894a0e4a801fc3",
			  "4f251af02dcff9048f48ae8e563058de0754cde5be7048079fca95e85e50056e");
	expect_response(OTA_AUTH_SHA256, "21232f297a57a5a743894a0e4a801fc3", E_NONCE, E_CNONCE,
			"f629dda1271f0ae0ba2d90c194ed3845ac8603119d62bbd743cf2ca298fe3faa");
	/* The E1 response does not open an E2 device, nor the reverse. */
	assert_false(ota_auth_verify(
		OTA_AUTH_SHA256, "21232f297a57a5a743894a0e4a801fc3", 32, E_NONCE, E_CNONCE,
		"4a32b321772e19f3289de927e90f43eacabc3c0a75715b86403e477ac9f7b8bc", 64));
	assert_false(ota_auth_verify(
		OTA_AUTH_SHA256, hash, 64, E_NONCE, E_CNONCE,
		"f629dda1271f0ae0ba2d90c194ed3845ac8603119d62bbd743cf2ca298fe3faa", 64));
}

static void test_hmac_against_libcrypto(void **state)
{
	uint8_t key[200], msg[300], want[32], got[32];

	(void)state;
	/* Key lengths around the 64-byte block; messages split everywhere. */
	for (size_t klen = 0; klen <= sizeof(key); klen += (klen < 70 ? 1 : 13)) {
		size_t mlen = (klen * 7) % sizeof(msg);
		unsigned wl = 0;

		fill(key, klen, (uint32_t)klen);
		fill(msg, mlen, (uint32_t)(klen + 1000));
		assert_non_null(HMAC(EVP_sha256(), key, (int)klen, msg, mlen, want, &wl));
		assert_int_equal(wl, 32);
		for (size_t split = 0; split <= mlen; split += 1 + mlen / 9) {
			struct hmac_sha256_ctx c;

			hmac_sha256_init(&c, key, klen);
			hmac_sha256_update(&c, msg, split);
			hmac_sha256_update(&c, msg + split, mlen - split);
			hmac_sha256_out(&c, got);
			assert_memory_equal(got, want, 32);
		}
	}
}

static void test_pbkdf2_against_libcrypto(void **state)
{
	static const uint32_t rounds[] = { 1, 2, 3, 64, 1000, 10000 };
	static const size_t out_lens[] = { 1, 20, 32, 33, 64, 100 };
	uint8_t pw[100], salt[150], want[100], got[100];

	(void)state;
	for (size_t r = 0; r < sizeof(rounds) / sizeof(rounds[0]); r++) {
		for (size_t o = 0; o < sizeof(out_lens) / sizeof(out_lens[0]); o++) {
			size_t plen = (r * 31 + o * 17) % sizeof(pw);
			size_t slen = (r * 13 + o * 29) % sizeof(salt);

			fill(pw, plen, (uint32_t)(r * 100 + o));
			fill(salt, slen, (uint32_t)(r * 100 + o + 7));
			assert_int_equal(PKCS5_PBKDF2_HMAC((const char *)pw, (int)plen, salt,
							   (int)slen, (int)rounds[r], EVP_sha256(),
							   (int)out_lens[o], want),
					 1);
			memset(got, 0, sizeof(got));
			pbkdf2_hmac_sha256(pw, plen, salt, slen, rounds[r], got, out_lens[o]);
			assert_memory_equal(got, want, out_lens[o]);
		}
	}
}

static void test_nonces_from_hal(void **state)
{
	char dir[] = "/tmp/agent-auth-XXXXXX";
	char flash[64], rtc[64], err[256];
	struct hal_posix_config cfg = { 0 };
	struct hal *h;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(flash, sizeof(flash), "%s/flash", dir);
	snprintf(rtc, sizeof(rtc), "%s/rtc", dir);
	assert_int_equal(hal_posix_create_flash(flash, 65536, err, sizeof(err)), 0);
	cfg.flash_path = flash;
	cfg.rtc_path = rtc;
	cfg.power_cut_after = -1;
	assert_int_equal(hal_posix_open(&h, &cfg, err, sizeof(err)), 0);
	for (int s = OTA_AUTH_MD5; s <= OTA_AUTH_SHA256; s++) {
		char a[OTA_AUTH_HEX_MAX + 1], b[OTA_AUTH_HEX_MAX + 1];
		size_t n = s == OTA_AUTH_MD5 ? 32 : 64;

		assert_int_equal(ota_auth_nonce(h, (enum ota_auth_scheme)s, a), 0);
		assert_int_equal(ota_auth_nonce(h, (enum ota_auth_scheme)s, b), 0);
		assert_int_equal(strlen(a), n);
		assert_int_equal(strspn(a, "0123456789abcdef"), n);
		assert_string_not_equal(a, b);
	}
	hal_posix_close(h);
	unlink(flash);
	unlink(rtc);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_md5_vectors),
		cmocka_unit_test(test_md5_refusals),
		cmocka_unit_test(test_sha256_vectors),
		cmocka_unit_test(test_hmac_against_libcrypto),
		cmocka_unit_test(test_pbkdf2_against_libcrypto),
		cmocka_unit_test(test_nonces_from_hal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
