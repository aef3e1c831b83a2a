/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* RSA public keys from PEM: the armour, base64, then the DER of either a
 * SubjectPublicKeyInfo or a PKCS#1 RSAPublicKey. */
#include "asn1_der.h"
#include "base64.h"
#include "fwmem.h"
#include "rsa.h"

/* The largest DER we accept: a 4096-bit SPKI with a 32-bit exponent is
 * 551 bytes. Kept on the stack only while a key is parsed. */
#define RSA_DER_MAX 600

/* 1.2.840.113549.1.1.1 */
static const uint8_t oid_rsa_encryption[9] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01 };

static const char pem_dashes[] = "-----";
static const char pem_begin[] = "-----BEGIN ";
static const char pem_end[] = "-----END ";
static const char label_spki[] = "PUBLIC KEY";
static const char label_pkcs1[] = "RSA PUBLIC KEY";

/* First offset >= from where needle[0..nlen) occurs in hay[0..len), or len. */
static size_t find(const char *hay, size_t len, size_t from, const char *needle, size_t nlen)
{
	for (size_t i = from; i + nlen <= len; i++)
		if (fw_memcmp(hay + i, needle, nlen) == 0)
			return i;
	return len;
}

static bool text_is(const char *p, size_t len, const char *s)
{
	size_t slen = fw_strlen(s);

	return len == slen && fw_memcmp(p, s, slen) == 0;
}

/* A non-negative INTEGER without its leading zero bytes. */
static enum rsa_status read_uint(struct der_cursor *c, struct der_cursor *v)
{
	if (!der_read(c, DER_INTEGER, v) || v->len == 0 || (v->p[0] & 0x80))
		return RSA_ERR_DER;
	while (v->len > 1 && v->p[0] == 0) {
		v->p++;
		v->len--;
	}
	return RSA_OK;
}

/* RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } */
static enum rsa_status parse_pkcs1(struct rsa_pubkey *key, struct der_cursor der)
{
	struct der_cursor seq, n, e;
	enum rsa_status st;

	if (!der_read(&der, DER_SEQUENCE, &seq) || der.len != 0)
		return RSA_ERR_DER;
	if ((st = read_uint(&seq, &n)) != RSA_OK || (st = read_uint(&seq, &e)) != RSA_OK)
		return st;
	if (seq.len != 0)
		return RSA_ERR_DER;
	/* under 512 bits: fewer than 64 bytes, or 64 with the top bit clear */
	if (n.len > RSA_MAX_BYTES || n.len < 64 || (n.len == 64 && n.p[0] < 0x80))
		return RSA_ERR_KEY_SIZE;
	if (!(n.p[n.len - 1] & 1) || e.len > 4 || !(e.p[e.len - 1] & 1) ||
	    (e.len == 1 && e.p[0] < 3))
		return RSA_ERR_KEY_PARAMS;
	fw_memset(key, 0, sizeof(*key));
	fw_memcpy(key->n, n.p, n.len);
	key->nlen = n.len;
	fw_memcpy(key->e, e.p, e.len);
	key->elen = e.len;
	return RSA_OK;
}

/* SubjectPublicKeyInfo ::= SEQUENCE {
 *     algorithm SEQUENCE { OID, parameters ANY OPTIONAL },
 *     subjectPublicKey BIT STRING } */
static enum rsa_status parse_spki(struct rsa_pubkey *key, struct der_cursor der)
{
	struct der_cursor spki, alg, oid, params, bits;

	if (!der_read(&der, DER_SEQUENCE, &spki) || der.len != 0 ||
	    !der_read(&spki, DER_SEQUENCE, &alg) || !der_read(&alg, DER_OID, &oid))
		return RSA_ERR_DER;
	if (oid.len != sizeof(oid_rsa_encryption) ||
	    fw_memcmp(oid.p, oid_rsa_encryption, oid.len) != 0)
		return RSA_ERR_NOT_RSA;
	/* rsaEncryption takes NULL parameters; tolerate them left out */
	if (alg.len != 0 && (!der_read(&alg, DER_NULL, &params) || params.len != 0 || alg.len != 0))
		return RSA_ERR_DER;
	if (!der_read(&spki, DER_BIT_STRING, &bits) || spki.len != 0 || bits.len < 1 ||
	    bits.p[0] != 0)
		return RSA_ERR_DER;
	bits.p++;
	bits.len--;
	return parse_pkcs1(key, bits);
}

enum rsa_status rsa_pubkey_from_pem(struct rsa_pubkey *key, const char *pem, size_t len)
{
	uint8_t der[RSA_DER_MAX];
	size_t lbl, lbl_end, body, end, end_lbl;
	struct der_cursor c;
	long n;

	/* signing.py's array is the file's bytes; a C string may add a NUL */
	for (size_t i = 0; i < len; i++)
		if (pem[i] == '\0')
			len = i;
	lbl = find(pem, len, 0, pem_begin, sizeof(pem_begin) - 1);
	if (lbl == len)
		return RSA_ERR_PEM;
	lbl += sizeof(pem_begin) - 1;
	lbl_end = find(pem, len, lbl, pem_dashes, sizeof(pem_dashes) - 1);
	body = lbl_end + sizeof(pem_dashes) - 1;
	end = find(pem, len, lbl, pem_end, sizeof(pem_end) - 1);
	if (lbl_end == len || end == len || end < body)
		return RSA_ERR_PEM;
	/* the END line names the same label */
	end_lbl = end + sizeof(pem_end) - 1;
	if (len - end_lbl < lbl_end - lbl + sizeof(pem_dashes) - 1 ||
	    fw_memcmp(pem + end_lbl, pem + lbl, lbl_end - lbl) != 0 ||
	    fw_memcmp(pem + end_lbl + (lbl_end - lbl), pem_dashes, sizeof(pem_dashes) - 1) != 0)
		return RSA_ERR_PEM;
	if (!text_is(pem + lbl, lbl_end - lbl, label_spki) &&
	    !text_is(pem + lbl, lbl_end - lbl, label_pkcs1))
		return RSA_ERR_PEM;

	n = b64_decode(pem + body, end - body, der, sizeof(der));
	if (n == -2)
		return RSA_ERR_KEY_SIZE;
	if (n <= 0)
		return RSA_ERR_PEM;
	c.p = der;
	c.len = (size_t)n;
	if (text_is(pem + lbl, lbl_end - lbl, label_spki))
		return parse_spki(key, c);
	return parse_pkcs1(key, c);
}
