/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Format routines: header text, signed-file layout, trailer parsing,
 * recovered-block classification, signatures against the vectors of
 * docs/protocol/signed-image-format.md §8. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "gzip.h"
#include "header.h"
#include "key.h"
#include "signature.h"
#include "test_vectors.h"

static void assert_sha256(const void *data, size_t len, const char *want)
{
	char hex[DIGEST_MAX_HEX];

	assert_int_equal(digest_hex(DIGEST_SHA256, data, len, hex), 0);
	assert_string_equal(hex, want);
}

static void test_header_spec_key(void **state)
{
	struct file_buf h;

	(void)state;
	assert_int_equal(
	    header_build((const uint8_t *)spec_public_key, strlen(spec_public_key), &h), SIGN_OK);
	assert_int_equal(h.len, 3253);
	assert_sha256(h.data, h.len, SHA_HEADER_ON);
	/* first byte line and last line as the spec shows them */
	assert_memory_equal(h.data + 95, "0x2d, \n", 7);
	assert_memory_equal(h.data + h.len - 8, "0x0a\n};\n", 8);
	file_buf_free(&h);
}

static void test_header_off(void **state)
{
	struct file_buf h;

	(void)state;
	assert_int_equal(header_build(NULL, 0, &h), SIGN_OK);
	assert_int_equal(h.len, 26);
	assert_memory_equal(h.data, "#define ARDUINO_SIGNING 0\n", 26);
	assert_sha256(h.data, h.len, SHA_HEADER_OFF);
	file_buf_free(&h);
}

static void test_header_small_keys(void **state)
{
	static const char one[] = "#include <pgmspace.h>\n#define ARDUINO_SIGNING 1\n"
	                          "static const char signing_pubkey[] PROGMEM = {\n0xff\n};\n";
	/* signing.py cuts " {\n" when the key file is empty */
	static const char none[] = "#include <pgmspace.h>\n#define ARDUINO_SIGNING 1\n"
	                           "static const char signing_pubkey[] PROGMEM =\n};\n";
	static const char two[] =
	    "#include <pgmspace.h>\n#define ARDUINO_SIGNING 1\n"
	    "static const char signing_pubkey[] PROGMEM = {\n0x00, \n0x41\n};\n";
	const uint8_t k1[] = {0xff}, k2[] = {0x00, 0x41};
	struct file_buf h;

	(void)state;
	assert_int_equal(header_build(k1, 1, &h), SIGN_OK);
	assert_int_equal(h.len, strlen(one));
	assert_memory_equal(h.data, one, h.len);
	file_buf_free(&h);
	assert_int_equal(header_build((const uint8_t *)"", 0, &h), SIGN_OK);
	assert_int_equal(h.len, strlen(none));
	assert_memory_equal(h.data, none, h.len);
	file_buf_free(&h);
	assert_int_equal(header_build(k2, 2, &h), SIGN_OK);
	assert_int_equal(h.len, strlen(two));
	assert_memory_equal(h.data, two, h.len);
	file_buf_free(&h);
}

static void test_build_and_split(void **state)
{
	const uint8_t payload[5] = {1, 2, 3, 4, 5};
	uint8_t sig[256];
	struct file_buf f;
	struct sig_parts parts;

	(void)state;
	memset(sig, 0xA5, sizeof(sig));
	assert_int_equal(sig_build_file(payload, 5, sig, 256, &f), SIGN_OK);
	assert_int_equal(f.len, 5 + 256 + 4);
	assert_memory_equal(f.data, payload, 5);
	assert_memory_equal(f.data + 5, sig, 256);
	assert_memory_equal(f.data + 261, "\x00\x01\x00\x00", 4);
	assert_int_equal(sig_split(f.data, f.len, &parts), SIGN_OK);
	assert_int_equal(parts.payload_len, 5);
	assert_int_equal(parts.sig_len, 256);
	assert_ptr_equal(parts.sig, f.data + 5);
	/* every truncation makes the length field wrong or leaves no payload */
	for (size_t cut = 1; cut < f.len; cut++)
		assert_int_not_equal(sig_split(f.data, f.len - cut, &parts), SIGN_OK);
	file_buf_free(&f);
}

static void test_split_ranges(void **state)
{
	uint8_t buf[2048] = {0};
	struct sig_parts parts;

	(void)state;
	assert_int_equal(sig_split(buf, 3, &parts), SIGN_ERR_SIG_LENGTH);
	assert_int_equal(sig_split(buf, 100, &parts), SIGN_ERR_SIG_LENGTH); /* length 0 */
	buf[96] = 0x00, buf[97] = 0x04;                                     /* 1024 > 96 */
	assert_int_equal(sig_split(buf, 100, &parts), SIGN_ERR_SIG_LENGTH);
	buf[2044] = 0x01, buf[2045] = 0x04; /* 1025 > SIG_MAX_LEN */
	assert_int_equal(sig_split(buf, 2048, &parts), SIGN_ERR_SIG_LENGTH);
	assert_int_equal(parts.sig_len, 1025);
	buf[2044] = 0x00; /* 1024, payload 1020 */
	assert_int_equal(sig_split(buf, 2048, &parts), SIGN_OK);
	assert_int_equal(parts.payload_len, 1020);
	buf[2044] = 0xfc, buf[2045] = 0x07; /* 2044: no payload byte left */
	assert_int_equal(sig_split(buf, 2048, &parts), SIGN_ERR_SIG_LENGTH);
}

static void test_classify(void **state)
{
	static const uint8_t with_null[] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60,
	                                    0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
	                                    0x01, 0x05, 0x00, 0x04, 0x20};
	static const uint8_t no_null[] = {0x30, 0x2f, 0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48,
	                                  0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x04, 0x20};
	uint8_t hash[32], rec[64];

	(void)state;
	for (int i = 0; i < 32; i++)
		hash[i] = (uint8_t)(i * 7 + 1);
	memcpy(rec, with_null, 19);
	memcpy(rec + 19, hash, 32);
	assert_int_equal(sig_classify_recovered(rec, 51, hash), SIG_FORMAT_CURRENT);
	memcpy(rec, no_null, 17);
	memcpy(rec + 17, hash, 32);
	assert_int_equal(sig_classify_recovered(rec, 49, hash), SIG_FORMAT_CURRENT);
	assert_int_equal(sig_classify_recovered(hash, 32, hash), SIG_FORMAT_LEGACY);
	/* wrong hash, wrong lengths, another digest's OID */
	rec[48] ^= 1;
	assert_int_equal(sig_classify_recovered(rec, 49, hash), SIG_FORMAT_NONE);
	assert_int_equal(sig_classify_recovered(hash, 31, hash), SIG_FORMAT_NONE);
	memcpy(rec, with_null, 19);
	memcpy(rec + 19, hash, 32);
	assert_int_equal(sig_classify_recovered(rec, 50, hash), SIG_FORMAT_NONE);
	rec[14] = 0x02; /* SHA-384 OID arc */
	assert_int_equal(sig_classify_recovered(rec, 51, hash), SIG_FORMAT_NONE);
}

static int sha256_of(const uint8_t *data, size_t len, uint8_t out[32])
{
	struct digest d;
	int rc = digest_init(&d, DIGEST_SHA256);

	if (rc == 0)
		rc = digest_update(&d, data, len) || digest_out(&d, out) ? -1 : 0;
	digest_free(&d);
	return rc;
}

static EVP_PKEY *load(const char *pem, int priv)
{
	struct sign_status st;
	EVP_PKEY *key = NULL;

	assert_int_equal(key_decode((const uint8_t *)pem, strlen(pem), "test", priv, &key, &st),
	                 SIGN_OK);
	return key;
}

static void test_sign_spec_vectors(void **state)
{
	uint8_t payload[4096], sig[512], hash[32];
	size_t siglen;
	struct sign_status st;
	struct file_buf f;
	EVP_PKEY *key = load(spec_private_key, 1);

	(void)state;
	spec_payload(payload);
	assert_sha256(payload, sizeof(payload), SHA_TEST_BIN);
	assert_int_equal(sig_sign_current(key, payload, sizeof(payload), sig, &siglen, &st),
	                 SIGN_OK);
	assert_int_equal(siglen, 256);
	assert_sha256(sig, siglen, SHA_SIG_NEW);
	assert_int_equal(sig_build_file(payload, sizeof(payload), sig, siglen, &f), SIGN_OK);
	assert_sha256(f.data, f.len, SHA_SIGNED);
	file_buf_free(&f);

	assert_int_equal(sha256_of(payload, sizeof(payload), hash), 0);
	assert_int_equal(sig_sign_legacy(key, hash, sig, &siglen, &st), SIGN_OK);
	assert_int_equal(siglen, 256);
	assert_sha256(sig, siglen, SHA_SIG_LEGACY);
	assert_int_equal(sig_build_file(payload, sizeof(payload), sig, siglen, &f), SIGN_OK);
	assert_sha256(f.data, f.len, SHA_LEGACY_SIGNED);
	file_buf_free(&f);
	EVP_PKEY_free(key);
}

static void test_verify(void **state)
{
	uint8_t payload[4096], sig[512], hash[32];
	size_t siglen;
	struct sign_status st;
	struct file_buf f;
	enum sig_format fmt;
	EVP_PKEY *priv = load(spec_private_key, 1), *pub = load(spec_public_key, 0);

	(void)state;
	spec_payload(payload);
	assert_int_equal(sig_sign_current(priv, payload, sizeof(payload), sig, &siglen, &st),
	                 SIGN_OK);
	assert_int_equal(sig_build_file(payload, sizeof(payload), sig, siglen, &f), SIGN_OK);
	assert_int_equal(sig_verify(pub, f.data, f.len, "f", "k", &fmt, &st), SIGN_OK);
	assert_int_equal(fmt, SIG_FORMAT_CURRENT);
	/* the private key's public half verifies too */
	assert_int_equal(sig_verify(priv, f.data, f.len, "f", "k", &fmt, &st), SIGN_OK);
	f.data[100] ^= 0x01;
	assert_int_equal(sig_verify(pub, f.data, f.len, "f", "k", &fmt, &st),
	                 SIGN_ERR_SIG_MISMATCH);
	assert_non_null(strstr(st.msg, "'f' is not signed by 'k'"));
	f.data[100] ^= 0x01;
	f.data[4096 + 17] ^= 0x80;
	assert_int_equal(sig_verify(pub, f.data, f.len, "f", "k", &fmt, &st),
	                 SIGN_ERR_SIG_MISMATCH);
	f.data[4096 + 17] ^= 0x80;
	assert_int_equal(sig_verify(pub, f.data, f.len - 1, "f", "k", &fmt, &st),
	                 SIGN_ERR_SIG_LENGTH);
	/* a 512-byte length field against a 2048-bit key */
	f.data[f.len - 3] = 0x02;
	assert_int_equal(sig_verify(pub, f.data, f.len, "f", "k", &fmt, &st), SIGN_ERR_KEY_SIZE);
	file_buf_free(&f);

	assert_int_equal(sha256_of(payload, sizeof(payload), hash), 0);
	assert_int_equal(sig_sign_legacy(priv, hash, sig, &siglen, &st), SIGN_OK);
	assert_int_equal(sig_build_file(payload, sizeof(payload), sig, siglen, &f), SIGN_OK);
	assert_int_equal(sig_verify(pub, f.data, f.len, "f", "k", &fmt, &st), SIGN_OK);
	assert_int_equal(fmt, SIG_FORMAT_LEGACY);
	file_buf_free(&f);
	EVP_PKEY_free(priv);
	EVP_PKEY_free(pub);
}

static void test_gzip(void **state)
{
	uint8_t payload[4096];
	struct file_buf gz, back;

	(void)state;
	spec_payload(payload);
	assert_int_equal(gzip_compress(payload, sizeof(payload), &gz), SIGN_OK);
	assert_true(gzip_is_gzip(gz.data, gz.len));
	/* libdeflate level 12: never more than the 330 bytes of GNU gzip
	 * 1.12 -9 -n (SHA_TEST_GZ); no name, no flags, time stamp 0 */
	assert_true(gz.len <= 330);
	assert_memory_equal(gz.data, "\x1f\x8b\x08\x00\x00\x00\x00\x00", 8);
	assert_int_equal(gzip_inflate(gz.data, gz.len, 1 << 20, &back), SIGN_OK);
	assert_int_equal(back.len, sizeof(payload));
	assert_memory_equal(back.data, payload, sizeof(payload));
	file_buf_free(&back);
	/* too small a limit, and damaged data, fail */
	assert_int_equal(gzip_inflate(gz.data, gz.len, 4095, &back), SIGN_ERR_TOO_BIG);
	assert_int_equal(gzip_inflate(gz.data, gz.len - 9, 1 << 20, &back), SIGN_ERR_GZIP);
	gz.data[20] ^= 0xff;
	assert_int_not_equal(gzip_inflate(gz.data, gz.len, 1 << 20, &back), SIGN_OK);
	file_buf_free(&gz);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_header_spec_key),
	    cmocka_unit_test(test_header_off),
	    cmocka_unit_test(test_header_small_keys),
	    cmocka_unit_test(test_build_and_split),
	    cmocka_unit_test(test_split_ranges),
	    cmocka_unit_test(test_classify),
	    cmocka_unit_test(test_sign_spec_vectors),
	    cmocka_unit_test(test_verify),
	    cmocka_unit_test(test_gzip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
