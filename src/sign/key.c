/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "key.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "sign_io.h"

static const char pem_begin[] = "-----BEGIN ";

static int label_is(const uint8_t *label, size_t len, const char *name)
{
	return strlen(name) == len && memcmp(label, name, len) == 0;
}

enum key_pem_label key_pem_classify(const uint8_t *data, size_t len)
{
	const uint8_t *p = data, *end = data + len;
	int saw_ec_params = 0;

	for (;;) {
		const uint8_t *b = memmem(p, (size_t)(end - p), pem_begin, sizeof(pem_begin) - 1);
		const uint8_t *label, *dash;

		if (!b)
			break;
		label = b + sizeof(pem_begin) - 1;
		dash = memmem(label, (size_t)(end - label), "-----", 5);
		if (!dash)
			return KEY_PEM_OTHER;
		size_t n = (size_t)(dash - label);

		if (label_is(label, n, "PRIVATE KEY"))
			return KEY_PEM_PRIVATE_PKCS8;
		if (label_is(label, n, "ENCRYPTED PRIVATE KEY"))
			return KEY_PEM_ENCRYPTED;
		if (label_is(label, n, "RSA PRIVATE KEY")) {
			/* Legacy PEM encryption puts its headers inside the armour. */
			const uint8_t *next = memmem(dash, (size_t)(end - dash), "-----END", 8);
			size_t body = next ? (size_t)(next - dash) : (size_t)(end - dash);

			if (memmem(dash, body, "ENCRYPTED", 9))
				return KEY_PEM_ENCRYPTED;
			return KEY_PEM_PRIVATE_RSA;
		}
		if (label_is(label, n, "EC PRIVATE KEY"))
			return KEY_PEM_EC;
		if (label_is(label, n, "PUBLIC KEY"))
			return KEY_PEM_PUBLIC_SPKI;
		if (label_is(label, n, "RSA PUBLIC KEY"))
			return KEY_PEM_PUBLIC_RSA;
		if (label_is(label, n, "EC PARAMETERS")) {
			saw_ec_params = 1; /* `openssl ecparam -genkey` writes these first */
			p = dash;
			continue;
		}
		return KEY_PEM_OTHER;
	}
	if (saw_ec_params)
		return KEY_PEM_EC;
	if (len > 0 && data[0] == 0x30)
		return KEY_PEM_DER;
	return KEY_PEM_NONE;
}

/* Never ask anyone for a passphrase: a build must not hang on a prompt. */
static int no_passphrase(char *buf, size_t size, size_t *len, const OSSL_PARAM params[], void *arg)
{
	(void)buf;
	(void)size;
	(void)params;
	(void)arg;
	*len = 0;
	return 0;
}

static enum sign_error check_rsa(EVP_PKEY *key, const char *path, struct sign_status *st)
{
	if (EVP_PKEY_is_a(key, "RSA"))
		return SIGN_OK;
	if (EVP_PKEY_is_a(key, "EC"))
		return sign_fail(
		    st, SIGN_ERR_KEY_EC,
		    "unsupported key '%s': it is an EC key and the ESP8266 verifies RSA "
		    "signatures only; make one with: openssl genrsa -out private.key 2048",
		    path);
	return sign_fail(
	    st, SIGN_ERR_KEY_NOT_RSA,
	    "unsupported key '%s': its type is %s, not RSA; make one with: openssl genrsa "
	    "-out private.key 2048",
	    path, EVP_PKEY_get0_type_name(key) ? EVP_PKEY_get0_type_name(key) : "non-RSA");
}

/* One decoding attempt as RSA, in the structure the PEM label names. */
static int decode_as(EVP_PKEY **key, const uint8_t *data, size_t len, enum key_pem_label label,
                     int want_private)
{
	const char *structure = label == KEY_PEM_PRIVATE_PKCS8 ? "PrivateKeyInfo"
	                        : label == KEY_PEM_PUBLIC_SPKI ? "SubjectPublicKeyInfo"
	                                                        : "type-specific";
	const unsigned char *p = data;
	size_t left = len;
	OSSL_DECODER_CTX *dctx = OSSL_DECODER_CTX_new_for_pkey(
	    key, "PEM", structure, "RSA", want_private ? EVP_PKEY_KEYPAIR : 0, NULL,
	    NULL);
	int ok;

	if (!dctx)
		return 0;
	OSSL_DECODER_CTX_set_passphrase_cb(dctx, no_passphrase, NULL);
	ok = OSSL_DECODER_from_data(dctx, &p, &left) && *key;
	OSSL_DECODER_CTX_free(dctx);
	if (!ok) {
		EVP_PKEY_free(*key);
		*key = NULL;
	}
	return ok;
}

enum sign_error key_decode(const uint8_t *data, size_t len, const char *path, int want_private,
                           EVP_PKEY **out, struct sign_status *st)
{
	enum key_pem_label label = key_pem_classify(data, len);
	const char *opt = want_private ? "--privatekey" : "--publickey";
	OSSL_DECODER_CTX *dctx;
	EVP_PKEY *key = NULL;
	const unsigned char *p = data;
	size_t left = len;
	int ok;

	*out = NULL;
	switch (label) {
	case KEY_PEM_DER:
		return sign_fail(
		    st, SIGN_ERR_KEY_NOT_PEM,
		    "cannot use key '%s': it looks like DER; convert it to PEM with: openssl "
		    "pkey -inform DER -in '%s'%s -out key.pem",
		    path, path, want_private ? "" : " -pubin");
	case KEY_PEM_NONE:
	case KEY_PEM_OTHER:
		return sign_fail(
		    st, SIGN_ERR_KEY_NOT_PEM,
		    "cannot use key '%s': no PEM %s key in it; give %s a PEM file as written "
		    "by openssl genrsa%s",
		    path, want_private ? "private" : "public", opt,
		    want_private ? "" : " and openssl rsa -pubout");
	case KEY_PEM_ENCRYPTED:
		return sign_fail(
		    st, SIGN_ERR_KEY_ENCRYPTED,
		    "cannot use key '%s': it is encrypted and sign-bin never prompts; decrypt "
		    "it with: openssl pkey -in '%s' -out plain.key",
		    path, path);
	case KEY_PEM_EC:
		return sign_fail(
		    st, SIGN_ERR_KEY_EC,
		    "unsupported key '%s': it is an EC key and the ESP8266 verifies RSA "
		    "signatures only; make one with: openssl genrsa -out private.key 2048",
		    path);
	case KEY_PEM_PUBLIC_SPKI:
	case KEY_PEM_PUBLIC_RSA:
		if (want_private)
			return sign_fail(
			    st, SIGN_ERR_KEY_WRONG_KIND,
			    "cannot sign with '%s': it is a public key; give --privatekey "
			    "the private key",
			    path);
		break;
	case KEY_PEM_PRIVATE_PKCS8:
	case KEY_PEM_PRIVATE_RSA:
		break;
	}

	/* First as the RSA key the label says it is, which spares libcrypto
	 * trying every decoder it has; then,
	 * for anything else (a non-RSA PKCS#8 key), with no hint at all. */
	ok = decode_as(&key, data, len, label, want_private);
	if (!ok) {
		dctx = OSSL_DECODER_CTX_new_for_pkey(&key, "PEM", NULL, NULL,
		                                     want_private ? EVP_PKEY_KEYPAIR : 0, NULL, NULL);
		if (!dctx)
			return sign_fail(st, SIGN_ERR_CRYPTO,
			                 "cannot decode key '%s': libcrypto has no PEM decoder", path);
		OSSL_DECODER_CTX_set_passphrase_cb(dctx, no_passphrase, NULL);
		ok = OSSL_DECODER_from_data(dctx, &p, &left);
		OSSL_DECODER_CTX_free(dctx);
	}
	ERR_clear_error();
	if (!ok || !key) {
		EVP_PKEY_free(key);
		return sign_fail(
		    st, SIGN_ERR_KEY_CORRUPT,
		    "cannot decode key '%s': the PEM data is damaged; make the key again or "
		    "restore it from a copy",
		    path);
	}
	if (check_rsa(key, path, st) != SIGN_OK) {
		EVP_PKEY_free(key);
		return st->code;
	}
	*out = key;
	return SIGN_OK;
}

static enum sign_error key_load(const char *path, int want_private, EVP_PKEY **out,
                                struct sign_status *st)
{
	struct file_buf buf;
	enum sign_error err;

	*out = NULL;
	err =
	    sign_read(path, KEY_FILE_MAX, want_private ? "--privatekey" : "--publickey", &buf, st);
	if (err == SIGN_ERR_EMPTY || err == SIGN_ERR_TOO_BIG)
		return sign_fail(
		    st, SIGN_ERR_KEY_NOT_PEM, "cannot use key '%s': %s; give a PEM key file", path,
		    err == SIGN_ERR_EMPTY ? "the file is empty" : "too large for a key");
	if (err != SIGN_OK)
		return err;
	err = key_decode(buf.data, buf.len, path, want_private, out, st);
	OPENSSL_cleanse(buf.data, buf.len); /* private key bytes */
	file_buf_free(&buf);
	return err;
}

enum sign_error key_load_private(const char *path, EVP_PKEY **out, struct sign_status *st)
{
	return key_load(path, 1, out, st);
}

enum sign_error key_load_public(const char *path, EVP_PKEY **out, struct sign_status *st)
{
	return key_load(path, 0, out, st);
}

unsigned key_bits(const EVP_PKEY *key)
{
	int bits = EVP_PKEY_get_bits(key);

	return bits > 0 ? (unsigned)bits : 0;
}

enum sign_error key_check_device(const EVP_PKEY *key, const char *path, bool *weak,
                                 struct sign_status *st)
{
	unsigned bits = key_bits(key);

	*weak = false;
	if (bits > KEY_DEVICE_MAX_BITS || bits < KEY_DEVICE_MIN_BITS)
		return sign_fail(st, SIGN_ERR_KEY_UNVERIFIABLE,
		                 "cannot sign with '%s': it is an RSA-%u key and the device verifies "
		                 "at most %u bits (and at least %u); make a 2048- to 4096-bit pair "
		                 "with: sign-bin -m keygen -s private.key -p public.key",
		                 path, bits, KEY_DEVICE_MAX_BITS, KEY_DEVICE_MIN_BITS);
	*weak = bits < KEY_ADVISED_MIN_BITS;
	return SIGN_OK;
}

enum sign_error key_generate(unsigned bits, EVP_PKEY **out, struct sign_status *st)
{
	*out = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)bits);
	if (!*out) {
		ERR_clear_error();
		return sign_fail(st, SIGN_ERR_CRYPTO,
		                 "cannot generate a %u-bit RSA key: libcrypto failed", bits);
	}
	return SIGN_OK;
}

/* PEM text of the private (PKCS#8) or public (SPKI) half, in a memory BIO. */
static BIO *pem_of(EVP_PKEY *key, int private_half)
{
	BIO *bio = BIO_new(BIO_s_secmem());
	int ok;

	if (!bio)
		return NULL;
	ok = private_half ? PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL)
	                  : PEM_write_bio_PUBKEY(bio, key);
	if (!ok) {
		BIO_free(bio);
		return NULL;
	}
	return bio;
}

/* Creates path exclusively with mode 0600 and writes all of data. */
static int write_exclusive(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	int saved;

	if (fd < 0)
		return -1;
	while (len > 0) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		data += n;
		len -= (size_t)n;
	}
	if (fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	return 0;
fail:
	saved = errno;
	if (fd >= 0)
		close(fd);
	unlink(path);
	errno = saved;
	return -1;
}

enum sign_error key_write_pair(EVP_PKEY *key, const char *priv_path, const char *pub_path,
                               struct sign_status *st)
{
	BIO *priv = pem_of(key, 1), *pub = pem_of(key, 0);
	char *pdata = NULL, *udata = NULL;
	long plen, ulen;
	enum sign_error err = SIGN_OK;

	if (!priv || !pub) {
		ERR_clear_error();
		err = sign_fail(st, SIGN_ERR_CRYPTO,
		                "cannot encode the new key as PEM: libcrypto failed");
		goto out;
	}
	plen = BIO_get_mem_data(priv, &pdata);
	ulen = BIO_get_mem_data(pub, &udata);
	if (plen <= 0 || ulen <= 0) {
		err = sign_fail(st, SIGN_ERR_CRYPTO,
		                "cannot encode the new key as PEM: libcrypto failed");
		goto out;
	}
	if (write_exclusive(priv_path, pdata, (size_t)plen) != 0) {
		if (errno == EEXIST)
			err = sign_fail(
			    st, SIGN_ERR_KEY_EXISTS,
			    "refusing to overwrite private key '%s'; move it away first if "
			    "you really want a new key",
			    priv_path);
		else
			err = sign_fail(st, SIGN_ERR_WRITE,
			                "cannot write '%s': %s; check the --privatekey path",
			                priv_path, strerror(errno));
		goto out;
	}
	if (sign_write(pub_path, udata, (size_t)ulen, sign_new_file_mode(), st) != SIGN_OK) {
		unlink(priv_path); /* a key pair or nothing */
		err = st->code;
	}
out:
	BIO_free(priv);
	BIO_free(pub);
	return err;
}
