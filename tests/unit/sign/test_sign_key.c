/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Key files: PEM label recognition, decoding and its refusals, key
 * generation and the written pair. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "key.h"
#include "signature.h"
#include "test_vectors.h"

static enum key_pem_label classify(const char *s)
{
	return key_pem_classify((const uint8_t *)s, strlen(s));
}

static void test_classify_labels(void **state)
{
	(void)state;
	assert_int_equal(classify(spec_private_key), KEY_PEM_PRIVATE_PKCS8);
	assert_int_equal(classify(spec_public_key), KEY_PEM_PUBLIC_SPKI);
	assert_int_equal(
	    classify("-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n"),
	    KEY_PEM_PRIVATE_RSA);
	assert_int_equal(
	    classify("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
	             "DEK-Info: AES-128-CBC,00\n\nMIIE\n-----END RSA PRIVATE KEY-----\n"),
	    KEY_PEM_ENCRYPTED);
	assert_int_equal(classify("-----BEGIN ENCRYPTED PRIVATE KEY-----\nMII\n"),
	                 KEY_PEM_ENCRYPTED);
	assert_int_equal(classify("-----BEGIN RSA PUBLIC KEY-----\nMIIB\n"), KEY_PEM_PUBLIC_RSA);
	assert_int_equal(classify("-----BEGIN EC PRIVATE KEY-----\nMHc\n"), KEY_PEM_EC);
	assert_int_equal(
	    classify("-----BEGIN EC PARAMETERS-----\nBgg\n-----END EC PARAMETERS-----\n"
	             "-----BEGIN EC PRIVATE KEY-----\nMHc\n"),
	    KEY_PEM_EC);
	assert_int_equal(classify("-----BEGIN CERTIFICATE-----\nMII\n"), KEY_PEM_OTHER);
	assert_int_equal(classify("\x30\x82\x04\xa4\x02\x01"), KEY_PEM_DER);
	assert_int_equal(classify("hello"), KEY_PEM_NONE);
	assert_int_equal(key_pem_classify((const uint8_t *)"", 0), KEY_PEM_NONE);
	/* a label cut short */
	assert_int_equal(classify("-----BEGIN PRIVATE KEY"), KEY_PEM_OTHER);
}

static enum sign_error decode(const char *pem, int priv, struct sign_status *st)
{
	EVP_PKEY *key = NULL;
	enum sign_error err =
	    key_decode((const uint8_t *)pem, strlen(pem), "k.pem", priv, &key, st);

	if (err == SIGN_OK)
		assert_non_null(key);
	else
		assert_null(key);
	EVP_PKEY_free(key);
	return err;
}

static void test_decode(void **state)
{
	struct sign_status st;
	char broken[sizeof(spec_private_key)];

	(void)state;
	assert_int_equal(decode(spec_private_key, 1, &st), SIGN_OK);
	assert_int_equal(decode(spec_public_key, 0, &st), SIGN_OK);
	assert_int_equal(decode(spec_private_key, 0, &st),
	                 SIGN_OK); /* public half of a private key */
	assert_int_equal(decode(spec_public_key, 1, &st), SIGN_ERR_KEY_WRONG_KIND);
	assert_non_null(strstr(st.msg, "'k.pem'"));
	assert_int_equal(decode("\x30\x82\x01\x22", 1, &st), SIGN_ERR_KEY_NOT_PEM);
	assert_non_null(strstr(st.msg, "DER"));
	assert_int_equal(decode("-----BEGIN ENCRYPTED PRIVATE KEY-----\nMII\n", 1, &st),
	                 SIGN_ERR_KEY_ENCRYPTED);
	assert_non_null(strstr(st.msg, "never prompts"));
	assert_int_equal(decode("-----BEGIN EC PRIVATE KEY-----\nMHc\n", 1, &st), SIGN_ERR_KEY_EC);
	assert_non_null(strstr(st.msg, "RSA"));
	/* damage the base64 body: armour intact, contents not */
	memcpy(broken, spec_private_key, sizeof(broken));
	memset(broken + 200, 'A', 300);
	assert_int_equal(decode(broken, 1, &st), SIGN_ERR_KEY_CORRUPT);
	assert_non_null(strstr(st.msg, "'k.pem'"));
}

static void test_load_missing(void **state)
{
	struct sign_status st;
	EVP_PKEY *key;

	(void)state;
	assert_int_equal(key_load_private("/nonexistent/private.key", &key, &st), SIGN_ERR_READ);
	assert_non_null(strstr(st.msg, "'/nonexistent/private.key'"));
	assert_non_null(strstr(st.msg, "--privatekey"));
	assert_null(key);
}

static void test_generate_and_write(void **state)
{
	char dir[] = "/tmp/unit-sign-key.XXXXXX", priv[64], pub[64];
	struct sign_status st;
	EVP_PKEY *key, *back;
	struct stat sb;
	uint8_t data[100] = {1}, sig[512];
	size_t siglen;
	struct file_buf f;
	enum sig_format fmt;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(priv, sizeof(priv), "%s/private.key", dir);
	snprintf(pub, sizeof(pub), "%s/public.key", dir);
	assert_int_equal(key_generate(2048, &key, &st), SIGN_OK);
	assert_int_equal(key_bits(key), 2048);
	assert_int_equal(key_write_pair(key, priv, pub, &st), SIGN_OK);
	assert_int_equal(stat(priv, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	/* refuses to overwrite, and leaves the first key as it was */
	assert_int_equal(key_write_pair(key, priv, pub, &st), SIGN_ERR_KEY_EXISTS);
	assert_non_null(strstr(st.msg, priv));
	EVP_PKEY_free(key);

	/* what was written signs and verifies */
	assert_int_equal(key_load_private(priv, &key, &st), SIGN_OK);
	assert_int_equal(key_load_public(pub, &back, &st), SIGN_OK);
	assert_int_equal(sig_sign_current(key, data, sizeof(data), sig, &siglen, &st), SIGN_OK);
	assert_int_equal(sig_build_file(data, sizeof(data), sig, siglen, &f), SIGN_OK);
	assert_int_equal(sig_verify(back, f.data, f.len, "f", pub, &fmt, &st), SIGN_OK);
	assert_int_equal(fmt, SIG_FORMAT_CURRENT);
	file_buf_free(&f);
	EVP_PKEY_free(key);
	EVP_PKEY_free(back);
	unlink(priv);
	unlink(pub);
	rmdir(dir);
}

static void test_write_pair_unwritable_public(void **state)
{
	char dir[] = "/tmp/unit-sign-key.XXXXXX", priv[64];
	struct sign_status st;
	EVP_PKEY *key;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(priv, sizeof(priv), "%s/private.key", dir);
	assert_int_equal(key_generate(2048, &key, &st), SIGN_OK);
	assert_int_equal(key_write_pair(key, priv, "/nonexistent/dir/public.key", &st),
	                 SIGN_ERR_WRITE);
	assert_non_null(strstr(st.msg, "/nonexistent/dir/public.key"));
	assert_int_equal(access(priv, F_OK), -1); /* no half pair left behind */
	EVP_PKEY_free(key);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_classify_labels),
	    cmocka_unit_test(test_decode),
	    cmocka_unit_test(test_load_missing),
	    cmocka_unit_test(test_generate_and_write),
	    cmocka_unit_test(test_write_pair_unwritable_public),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
