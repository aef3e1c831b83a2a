/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "auth.h"

#include <inttypes.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "hex.h"

char *espota_cnonce_text(const char *filename, uint64_t size, const char *md5, const char *esp_ip)
{
	size_t len = strlen(filename) + 21 + strlen(md5) + strlen(esp_ip) + 1;
	char *s = malloc(len);

	if (s)
		snprintf(s, len, "%s%" PRIu64 "%s%s", filename, size, md5, esp_ip);
	return s;
}

/* hex digest of a ":" nonce ":" cnonce */
static int challenge_digest(enum digest_alg alg, const char *a, const char *nonce,
			    const char *cnonce, char *out)
{
	size_t len = strlen(a) + strlen(nonce) + strlen(cnonce) + 3;
	char *text = malloc(len);
	int n, rc;

	if (!text)
		return -1;
	n = snprintf(text, len, "%s:%s:%s", a, nonce, cnonce);
	rc = digest_hex(alg, text, (size_t)n, out);
	OPENSSL_cleanse(text, len);
	free(text);
	return rc;
}

int espota_auth_md5_response(const char *password, size_t pwlen, const char *nonce,
			     const char *cnonce, char *out)
{
	char passmd5[DIGEST_MAX_HEX];
	int rc;

	if (digest_hex(DIGEST_MD5, password, pwlen, passmd5) != 0)
		return -1;
	rc = challenge_digest(DIGEST_MD5, passmd5, nonce, cnonce, out);
	OPENSSL_cleanse(passmd5, sizeof(passmd5));
	return rc;
}

int espota_auth_pbkdf2_response(const char *pwhash, const char *nonce, const char *cnonce,
				char *key_hex, char *out)
{
	size_t slen = strlen(nonce) + strlen(cnonce) + 2;
	char *salt = malloc(slen), khex[65];
	uint8_t key[32];
	int n, rc = -1;

	if (!salt)
		return -1;
	n = snprintf(salt, slen, "%s:%s", nonce, cnonce);
	if (PKCS5_PBKDF2_HMAC(pwhash, (int)strlen(pwhash), (const unsigned char *)salt, n,
			      ESPOTA_PBKDF2_ROUNDS, EVP_sha256(), (int)sizeof(key), key) == 1) {
		hex_encode(key, sizeof(key), khex);
		if (key_hex)
			memcpy(key_hex, khex, sizeof(khex));
		rc = challenge_digest(DIGEST_SHA256, khex, nonce, cnonce, out);
	}
	OPENSSL_cleanse(key, sizeof(key));
	OPENSSL_cleanse(khex, sizeof(khex));
	free(salt);
	return rc;
}

int espota_auth_datagram(const char *password, size_t pwlen, const char *cnonce_text,
			 const char *nonce, size_t nonce_len, bool md5_hash, char *out,
			 enum espota_auth_scheme *scheme)
{
	char cnonce[DIGEST_MAX_HEX], response[DIGEST_MAX_HEX], pwhash[DIGEST_MAX_HEX];
	char nonce_z[65];
	int rc = -1;

	if (nonce_len != 32 && nonce_len != 64)
		return -2;
	memcpy(nonce_z, nonce, nonce_len);
	nonce_z[nonce_len] = '\0';
	if (nonce_len == 32) {
		*scheme = ESPOTA_AUTH_MD5;
		if (digest_hex(DIGEST_MD5, cnonce_text, strlen(cnonce_text), cnonce) != 0 ||
		    espota_auth_md5_response(password, pwlen, nonce_z, cnonce, response) != 0)
			return -1;
	} else {
		*scheme = md5_hash ? ESPOTA_AUTH_SHA256_MD5 : ESPOTA_AUTH_SHA256;
		if (digest_hex(DIGEST_SHA256, cnonce_text, strlen(cnonce_text), cnonce) != 0 ||
		    digest_hex(md5_hash ? DIGEST_MD5 : DIGEST_SHA256, password, pwlen, pwhash) != 0)
			goto out;
		if (espota_auth_pbkdf2_response(pwhash, nonce_z, cnonce, NULL, response) != 0)
			goto out;
	}
	rc = snprintf(out, ESPOTA_AUTH_DATAGRAM_MAX, "200 %s %s\n", cnonce, response);
out:
	OPENSSL_cleanse(pwhash, sizeof(pwhash));
	return rc;
}
