/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The challenge answers against docs/protocol/ota-protocol.md §11 (V1-V4) and
 * §12.2 (E1, E2). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"

#define V1_FILE "/tmp/build/Blink.ino.bin"
#define V1_MD5 "0123456789abcdef0123456789abcdef"
#define V1_IP "192.168.1.50"
#define V1_TEXT "/tmp/build/Blink.ino.bin2657600123456789abcdef0123456789abcdef192.168.1.50"
#define NONCE_0F "0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f"

static void v1_full_flow(void **state)
{
	char *text = espota_cnonce_text(V1_FILE, 265760, V1_MD5, V1_IP);
	char dg[ESPOTA_AUTH_DATAGRAM_MAX];
	enum espota_auth_scheme scheme;
	int n;

	(void)state;
	assert_non_null(text);
	assert_string_equal(text, V1_TEXT);
	n = espota_auth_datagram("123", 3, text, "25d55ad283aa400af464c76d713c07ad", 32, false, dg,
				 &scheme);
	assert_int_equal(n, 70);
	assert_string_equal(dg, "200 4c4a44b157313b69923103490ec1ef5b 3dd7e387c37ad26a0abae3f2a7ba1d78\n");
	assert_int_equal(scheme, ESPOTA_AUTH_MD5);
	/* -m is ignored for a 32-character nonce: same answer */
	n = espota_auth_datagram("123", 3, text, "25d55ad283aa400af464c76d713c07ad", 32, true, dg, &scheme);
	assert_int_equal(n, 70);
	assert_string_equal(dg, "200 4c4a44b157313b69923103490ec1ef5b 3dd7e387c37ad26a0abae3f2a7ba1d78\n");
	free(text);
}

static void v2_v3_md5_responses(void **state)
{
	char out[65];

	(void)state;
	assert_int_equal(espota_auth_md5_response("admin", 5, "00112233445566778899aabbccddeeff",
						  "ffeeddccbbaa99887766554433221100", out), 0);
	assert_string_equal(out, "c6689071b9ed934014184db8287fafa3");
	assert_int_equal(espota_auth_md5_response("", 0, "00112233445566778899aabbccddeeff",
						  "ffeeddccbbaa99887766554433221100", out), 0);
	assert_string_equal(out, "40708b150f504c3ded6ccda8e3d33f5f");
}

static void v4_signed_changes_cnonce(void **state)
{
	char *text = espota_cnonce_text(V1_FILE ".signed", 266020, V1_MD5, V1_IP);
	char dg[ESPOTA_AUTH_DATAGRAM_MAX];
	enum espota_auth_scheme scheme;

	(void)state;
	assert_string_equal(text, "/tmp/build/Blink.ino.bin.signed2660200123456789abcdef0123456789abcdef192.168.1.50");
	assert_int_equal(espota_auth_datagram("123", 3, text, "25d55ad283aa400af464c76d713c07ad", 32,
					      false, dg, &scheme), 70);
	assert_memory_equal(dg, "200 9d9e6b529982afb523a65920654beb0c ", 37);
	free(text);
}

static void e1_sha256_scheme(void **state)
{
	char key[65], out[65], dg[ESPOTA_AUTH_DATAGRAM_MAX];
	enum espota_auth_scheme scheme;

	(void)state;
	assert_int_equal(espota_auth_pbkdf2_response(
				 "8c6976e5b5410415bde908bd4dee15dfb167a9c873fc4bb8a81f6f2ab448a918", NONCE_0F,
				 "364957b70148640af7c7d8f9a60574d11dbd7cd29a409ceece3a66d6c08e4d07", key, out),
			 0);
	assert_string_equal(key, "8b1a024950a2280fcb991c4ba3a0f1d2634345b518be23aa054e491d45d234f4");
	assert_string_equal(out, "4a32b321772e19f3289de927e90f43eacabc3c0a75715b86403e477ac9f7b8bc");
	assert_int_equal(espota_auth_datagram("admin", 5, V1_TEXT, NONCE_0F, 64, false, dg, &scheme), 134);
	assert_string_equal(dg, "200 364957b70148640af7c7d8f9a60574d11dbd7cd29a409ceece3a66d6c08e4d07 "
				"4a32b321772e19f3289de927e90f43eacabc3c0a75715b86403e477ac9f7b8bc\n");
	assert_int_equal(scheme, ESPOTA_AUTH_SHA256);
}

static void e2_md5_hash_under_pbkdf2(void **state)
{
	char key[65], out[65], dg[ESPOTA_AUTH_DATAGRAM_MAX];
	enum espota_auth_scheme scheme;

	(void)state;
	assert_int_equal(espota_auth_pbkdf2_response(
				 "21232f297a57a5a743894a0e4a801fc3", NONCE_0F,
				 "364957b70148640af7c7d8f9a60574d11dbd7cd29a409ceece3a66d6c08e4d07", key, out),
			 0);
	assert_string_equal(key, "4f251af02dcff9048f48ae8e563058de0754cde5be7048079fca95e85e50056e");
	assert_string_equal(out, "f629dda1271f0ae0ba2d90c194ed3845ac8603119d62bbd743cf2ca298fe3faa");
	assert_int_equal(espota_auth_datagram("admin", 5, V1_TEXT, NONCE_0F, 64, true, dg, &scheme), 134);
	assert_string_equal(dg + 69, "f629dda1271f0ae0ba2d90c194ed3845ac8603119d62bbd743cf2ca298fe3faa\n");
	assert_int_equal(scheme, ESPOTA_AUTH_SHA256_MD5);
}

static void other_nonce_lengths_refused(void **state)
{
	char dg[ESPOTA_AUTH_DATAGRAM_MAX];
	enum espota_auth_scheme scheme;

	(void)state;
	assert_int_equal(espota_auth_datagram("x", 1, V1_TEXT, NONCE_0F, 40, false, dg, &scheme), -2);
	assert_int_equal(espota_auth_datagram("x", 1, V1_TEXT, NONCE_0F, 0, false, dg, &scheme), -2);
}

static void utf8_password_bytes(void **state)
{
	/* UTF-8 bytes, as espota.py hashes password.encode(); expected value from
	 * the openssl md5 command line (passmd5 4cac3eaf7367080c03377bef2701df16) */
	const char pw[] = "p\xc3\xa4 ss";
	char out[65];

	(void)state;
	assert_int_equal(espota_auth_md5_response(pw, sizeof(pw) - 1, "00112233445566778899aabbccddeeff",
						  "ffeeddccbbaa99887766554433221100", out), 0);
	assert_string_equal(out, "e1bb9fe1a4d3af4952c78d0c3e5e1166");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(v1_full_flow),
		cmocka_unit_test(v2_v3_md5_responses),
		cmocka_unit_test(v4_signed_changes_cnonce),
		cmocka_unit_test(e1_sha256_scheme),
		cmocka_unit_test(e2_md5_hash_under_pbkdf2),
		cmocka_unit_test(other_nonce_lengths_refused),
		cmocka_unit_test(utf8_password_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
