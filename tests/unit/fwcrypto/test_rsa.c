/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* firmware/core rsa.c (with bignum.c, base64.c, asn1_der.c): the worked
 * example of docs/protocol/signed-image-format.md §8 signed by the openssl command
 * line, keys of 2048/3072/4096 bits made by libcrypto, acceptance and
 * rejection of both signature formats, and the PEM forms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/encoder.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bignum.h"
#include "rsa.h"
#include "sha256.h"

#include "spec_test_key.h"

static char workdir[] = "/tmp/fwcrypto-rsa-XXXXXX";

static char *path_in(const char *name)
{
	static char buf[8][256];
	static int which;
	char *p = buf[which++ & 7];

	snprintf(p, sizeof(buf[0]), "%s/%s", workdir, name);
	return p;
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static size_t read_file(const char *path, uint8_t *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, cap, f);
	assert_int_equal(fclose(f), 0);
	return n;
}

static void run(const char *cmd)
{
	int rc = system(cmd);

	if (rc != 0)
		fail_msg("command failed (%d): %s", rc, cmd);
}

static void hex32(const uint8_t d[32], char out[65])
{
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(workdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", workdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_spec_worked_example(void **state)
{
	uint8_t payload[4096], hash[32], sig_new[600], sig_leg[600], bad[600];
	struct sha256_ctx sc;
	struct rsa_pubkey key;
	char hex[65], cmd[1200];
	size_t nnew, nleg;

	(void)state;
	spec_payload(payload);
	write_file(path_in("private.key"), spec_private_key, strlen(spec_private_key));
	write_file(path_in("test.bin"), payload, sizeof(payload));
	/* the signing.py recipe of the spec, with the real openssl program */
	snprintf(cmd, sizeof(cmd), "openssl dgst -sha256 -sign %s -out %s %s", path_in("private.key"),
		 path_in("sig_new.bin"), path_in("test.bin"));
	run(cmd);
	snprintf(cmd, sizeof(cmd),
		 "openssl dgst -sha256 -binary %s > %s && "
		 "openssl pkeyutl -sign -inkey %s -in %s -out %s",
		 path_in("test.bin"), path_in("digest.bin"), path_in("private.key"),
		 path_in("digest.bin"), path_in("sig_leg.bin"));
	run(cmd);
	nnew = read_file(path_in("sig_new.bin"), sig_new, sizeof(sig_new));
	nleg = read_file(path_in("sig_leg.bin"), sig_leg, sizeof(sig_leg));
	assert_int_equal(nnew, 256);
	assert_int_equal(nleg, 256);

	/* the payload digest and both signatures are the spec's bytes */
	sha256_init(&sc);
	sha256_update(&sc, payload, sizeof(payload));
	sha256_out(&sc, hash);
	hex32(hash, hex);
	assert_string_equal(hex, "b20599e675de412a4165fd57d08df539d70dd0fc857322262d7aa2c229b3d234");
	sha256_init(&sc);
	sha256_update(&sc, sig_new, nnew);
	sha256_out(&sc, hash);
	hex32(hash, hex);
	assert_string_equal(hex, "b8f4db3f5f9128a575d0e95921ca72e62372effd88349ab2baa35738fc5f61c1");
	sha256_init(&sc);
	sha256_update(&sc, sig_leg, nleg);
	sha256_out(&sc, hash);
	hex32(hash, hex);
	assert_string_equal(hex, "1eb71de18c911cc54c1364559d87eaeaa4b21d122e94ebdb222ccc15ae50e6db");

	/* the device side: the embedded public key, as signing.py's header
	 * carries it (the file's bytes, no NUL) */
	assert_int_equal(rsa_pubkey_from_pem(&key, spec_public_key, strlen(spec_public_key)), RSA_OK);
	assert_int_equal(key.nlen, 256);
	assert_int_equal(key.elen, 3);
	assert_int_equal(key.n[0], 0xd1);
	assert_int_equal(key.n[255], 0x47);
	sha256_init(&sc);
	sha256_update(&sc, payload, sizeof(payload));
	sha256_out(&sc, hash);
	assert_int_equal(rsa_verify_sha256(&key, sig_new, nnew, hash, false), RSA_OK);
	assert_int_equal(rsa_verify_sha256(&key, sig_leg, nleg, hash, true), RSA_OK);
	/* each format is refused by the other's check */
	assert_int_equal(rsa_verify_sha256(&key, sig_new, nnew, hash, true), RSA_ERR_MISMATCH);
	assert_int_equal(rsa_verify_sha256(&key, sig_leg, nleg, hash, false), RSA_ERR_MISMATCH);
	/* a payload changed by one byte (the Updater's flash-mode patch) */
	payload[2] = 0x03;
	sha256_init(&sc);
	sha256_update(&sc, payload, sizeof(payload));
	sha256_out(&sc, hash);
	assert_int_equal(rsa_verify_sha256(&key, sig_new, nnew, hash, false), RSA_ERR_MISMATCH);
	payload[2] = 0x02;
	/* the signature's length must be the modulus's */
	sha256_init(&sc);
	sha256_update(&sc, payload, sizeof(payload));
	sha256_out(&sc, hash);
	assert_int_equal(rsa_verify_sha256(&key, sig_new, 255, hash, false), RSA_ERR_SIG_SIZE);
	memset(bad, 0, sizeof(bad));
	memcpy(bad + 1, sig_new, 256);
	assert_int_equal(rsa_verify_sha256(&key, bad, 257, hash, false), RSA_ERR_SIG_SIZE);
	/* a value not below the modulus is never a signature */
	assert_int_equal(rsa_verify_sha256(&key, key.n, 256, hash, false), RSA_ERR_MISMATCH);
	memset(bad, 0xff, 256);
	assert_int_equal(rsa_verify_sha256(&key, bad, 256, hash, false), RSA_ERR_MISMATCH);
}

/* A key made by libcrypto with the given size and public exponent. */
static EVP_PKEY *gen_rsa(unsigned bits, unsigned long e)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	EVP_PKEY *pkey = NULL;
	BIGNUM *bn = BN_new();

	assert_non_null(ctx);
	assert_non_null(bn);
	assert_int_equal(BN_set_word(bn, e), 1);
	assert_int_equal(EVP_PKEY_keygen_init(ctx), 1);
	assert_int_equal(EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, (int)bits), 1);
	assert_int_equal(EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx, bn), 1);
	assert_int_equal(EVP_PKEY_generate(ctx, &pkey), 1);
	BN_free(bn);
	EVP_PKEY_CTX_free(ctx);
	return pkey;
}

/* A public key with a random odd modulus of the given size: a wrong key
 * for a signature, without the time a real key generation takes. */
static EVP_PKEY *random_public_key(unsigned bits)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	BIGNUM *n = BN_new(), *e = BN_new();
	OSSL_PARAM *params;
	EVP_PKEY *pkey = NULL;

	assert_int_equal(BN_rand(n, (int)bits, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ODD), 1);
	assert_int_equal(BN_set_word(e, 65537), 1);
	assert_int_equal(OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n), 1);
	assert_int_equal(OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e), 1);
	params = OSSL_PARAM_BLD_to_param(bld);
	assert_non_null(params);
	assert_int_equal(EVP_PKEY_fromdata_init(ctx), 1);
	assert_int_equal(EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params), 1);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	EVP_PKEY_CTX_free(ctx);
	BN_free(n);
	BN_free(e);
	return pkey;
}

/* The public key as PEM text: "SubjectPublicKeyInfo" (BEGIN PUBLIC KEY)
 * or "type-specific" (PKCS#1, BEGIN RSA PUBLIC KEY). */
static size_t pem_of(EVP_PKEY *pkey, const char *structure, char *out, size_t cap)
{
	OSSL_ENCODER_CTX *ec = OSSL_ENCODER_CTX_new_for_pkey(pkey, EVP_PKEY_PUBLIC_KEY, "PEM",
							     structure, NULL);
	unsigned char *data = NULL;
	size_t len = 0;

	assert_non_null(ec);
	assert_int_equal(OSSL_ENCODER_to_data(ec, &data, &len), 1);
	assert_true(len < cap);
	memcpy(out, data, len);
	out[len] = '\0';
	OPENSSL_free(data);
	OSSL_ENCODER_CTX_free(ec);
	return len;
}

/* RSASSA-PKCS1-v1_5 with SHA-256 by libcrypto: the current format. */
static size_t sign_current(EVP_PKEY *pkey, const uint8_t *msg, size_t len, uint8_t *sig)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	size_t siglen = 600;

	assert_int_equal(EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, pkey), 1);
	assert_int_equal(EVP_DigestSign(md, sig, &siglen, msg, len), 1);
	EVP_MD_CTX_free(md);
	return siglen;
}

/* The private-key operation on data with the given padding: type-1 PKCS#1
 * over the bare digest is the legacy format; no padding signs a block
 * built by the caller. */
static size_t sign_raw(EVP_PKEY *pkey, const uint8_t *data, size_t len, int padding, uint8_t *sig)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(pkey, NULL);
	size_t siglen = 600;

	assert_int_equal(EVP_PKEY_sign_init(ctx), 1);
	assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(ctx, padding), 1);
	assert_int_equal(EVP_PKEY_sign(ctx, sig, &siglen, data, len), 1);
	EVP_PKEY_CTX_free(ctx);
	return siglen;
}

static void sha256_of(const uint8_t *p, size_t len, uint8_t out[32])
{
	unsigned n = 32;

	assert_int_equal(EVP_Digest(p, len, out, &n, EVP_sha256(), NULL), 1);
}

/* 00 01 FF.. 00 T for a k-byte modulus. */
static void type1_block(uint8_t *blk, size_t k, const uint8_t *t, size_t tlen)
{
	blk[0] = 0x00;
	blk[1] = 0x01;
	memset(blk + 2, 0xff, k - tlen - 3);
	blk[k - tlen - 1] = 0x00;
	memcpy(blk + k - tlen, t, tlen);
}

static void check_key(unsigned bits, unsigned long e, bool real_other)
{
	static const uint8_t di_bare[17] = { 0x30, 0x2f, 0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48,
					     0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x04, 0x20 };
	EVP_PKEY *pkey = gen_rsa(bits, e);
	EVP_PKEY *other = real_other ? gen_rsa(bits, e) : random_public_key(bits);
	uint8_t msg[1000], hash[32], sig[600], leg[600], blk[600], t[64], nbin[600];
	struct rsa_pubkey key, okey, key1;
	struct rsa_workspace ws;
	char pem[2000];
	size_t k = bits / 8, siglen, leglen;
	BIGNUM *n = NULL;

	assert_int_equal(RAND_bytes(msg, sizeof(msg)), 1);
	sha256_of(msg, sizeof(msg), hash);

	/* both PEM forms give the same key, equal to libcrypto's modulus */
	pem_of(pkey, "SubjectPublicKeyInfo", pem, sizeof(pem));
	assert_int_equal(rsa_pubkey_from_pem(&key, pem, strlen(pem)), RSA_OK);
	pem_of(pkey, "type-specific", pem, sizeof(pem));
	assert_non_null(strstr(pem, "-----BEGIN RSA PUBLIC KEY-----"));
	assert_int_equal(rsa_pubkey_from_pem(&key1, pem, strlen(pem)), RSA_OK);
	assert_int_equal(key.nlen, k);
	assert_int_equal(key1.nlen, k);
	assert_memory_equal(key.n, key1.n, k);
	assert_int_equal(key.elen, key1.elen);
	assert_memory_equal(key.e, key1.e, key.elen);
	assert_int_equal(EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, &n), 1);
	assert_int_equal(BN_bn2bin(n, nbin), (int)k);
	assert_memory_equal(key.n, nbin, k);
	BN_free(n);
	pem_of(other, "SubjectPublicKeyInfo", pem, sizeof(pem));
	assert_int_equal(rsa_pubkey_from_pem(&okey, pem, strlen(pem)), RSA_OK);

	/* current format: accepted, also with the caller's work space */
	siglen = sign_current(pkey, msg, sizeof(msg), sig);
	assert_int_equal(siglen, k);
	assert_int_equal(rsa_verify_sha256(&key, sig, siglen, hash, false), RSA_OK);
	assert_int_equal(rsa_verify_sha256_ws(&key, sig, siglen, hash, false, &ws), RSA_OK);
	assert_int_equal(rsa_verify_sha256(&key1, sig, siglen, hash, false), RSA_OK);
	/* legacy format (raw PKCS#1 type 1 over the digest) */
	leglen = sign_raw(pkey, hash, 32, RSA_PKCS1_PADDING, leg);
	assert_int_equal(leglen, k);
	assert_int_equal(rsa_verify_sha256(&key, leg, leglen, hash, true), RSA_OK);
	/* crossed formats */
	assert_int_equal(rsa_verify_sha256(&key, sig, siglen, hash, true), RSA_ERR_MISMATCH);
	assert_int_equal(rsa_verify_sha256(&key, leg, leglen, hash, false), RSA_ERR_MISMATCH);
	/* wrong key */
	assert_int_equal(rsa_verify_sha256(&okey, sig, siglen, hash, false), RSA_ERR_MISMATCH);
	assert_int_equal(rsa_verify_sha256(&okey, leg, leglen, hash, true), RSA_ERR_MISMATCH);
	/* wrong lengths */
	assert_int_equal(rsa_verify_sha256(&key, sig, siglen - 1, hash, false), RSA_ERR_SIG_SIZE);
	assert_int_equal(rsa_verify_sha256(&key, sig, siglen + 1, hash, false), RSA_ERR_SIG_SIZE);

	/* one flipped bit anywhere in the signature or the digest */
	for (size_t bit = 0; bit < 8 * k; bit += 8 * k / 61 + 1) {
		sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		assert_int_equal(rsa_verify_sha256(&key, sig, siglen, hash, false), RSA_ERR_MISMATCH);
		sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		leg[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		assert_int_equal(rsa_verify_sha256(&key, leg, leglen, hash, true), RSA_ERR_MISMATCH);
		leg[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
	for (unsigned bit = 0; bit < 256; bit += 7) {
		hash[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		assert_int_equal(rsa_verify_sha256(&key, sig, siglen, hash, false), RSA_ERR_MISMATCH);
		assert_int_equal(rsa_verify_sha256(&key, leg, leglen, hash, true), RSA_ERR_MISMATCH);
		hash[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
	assert_int_equal(rsa_verify_sha256(&key, sig, siglen, hash, false), RSA_OK);

	/* DigestInfo without the NULL parameters: accepted, as BearSSL does */
	memcpy(t, di_bare, sizeof(di_bare));
	memcpy(t + sizeof(di_bare), hash, 32);
	type1_block(blk, k, t, sizeof(di_bare) + 32);
	assert_int_equal(sign_raw(pkey, blk, k, RSA_NO_PADDING, sig), k);
	assert_int_equal(rsa_verify_sha256(&key, sig, k, hash, false), RSA_OK);
	assert_int_equal(rsa_verify_sha256(&key, sig, k, hash, true), RSA_ERR_MISMATCH);
	/* broken padding around a right digest: block type 2, an FF turned
	 * into 00, no separator */
	type1_block(blk, k, t, sizeof(di_bare) + 32);
	blk[1] = 0x02;
	sign_raw(pkey, blk, k, RSA_NO_PADDING, sig);
	assert_int_equal(rsa_verify_sha256(&key, sig, k, hash, false), RSA_ERR_MISMATCH);
	type1_block(blk, k, t, sizeof(di_bare) + 32);
	blk[5] = 0x00;
	sign_raw(pkey, blk, k, RSA_NO_PADDING, sig);
	assert_int_equal(rsa_verify_sha256(&key, sig, k, hash, false), RSA_ERR_MISMATCH);
	type1_block(blk, k, t, sizeof(di_bare) + 32);
	blk[k - sizeof(di_bare) - 32 - 1] = 0xff;
	sign_raw(pkey, blk, k, RSA_NO_PADDING, sig);
	assert_int_equal(rsa_verify_sha256(&key, sig, k, hash, false), RSA_ERR_MISMATCH);
	/* a digest of another length in a legacy block */
	type1_block(blk, k, hash, 31);
	sign_raw(pkey, blk, k, RSA_NO_PADDING, sig);
	assert_int_equal(rsa_verify_sha256(&key, sig, k, hash, true), RSA_ERR_MISMATCH);

	EVP_PKEY_free(pkey);
	EVP_PKEY_free(other);
}

static void test_rsa2048(void **state)
{
	(void)state;
	check_key(2048, 65537, true);
}

static void test_rsa3072(void **state)
{
	(void)state;
	check_key(3072, 65537, false);
}

static void test_rsa4096(void **state)
{
	(void)state;
	check_key(4096, 65537, false);
}

/* Other exponents and sizes that are not multiples of 32 bits. */
static void test_other_exponents_and_sizes(void **state)
{
	(void)state;
	check_key(1024, 3, true);
	check_key(2048, 0xC0000001ul, false); /* a 4-byte exponent with its top bit set */
	check_key(1032, 17, false);         /* 129 bytes: a partial top limb */
	check_key(2056, 65537, false);
}

/* The Montgomery exponentiation against BN_mod_exp for random bases. */
static void test_modexp_against_libcrypto(void **state)
{
	static const unsigned sizes[] = { 512, 544, 1024, 2048, 4096 };
	uint32_t n[BN_MAX_LIMBS], x[BN_MAX_LIMBS], r2[BN_MAX_LIMBS], t[BN_MAX_LIMBS + 2];
	BN_CTX *bctx = BN_CTX_new();
	uint8_t buf[512], got[512];

	(void)state;
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		unsigned bits = sizes[s];
		size_t k = bits / 8, limbs = (k + 3) / 4;
		BIGNUM *bn = BN_new(), *bx = BN_new(), *be = BN_new(), *br = BN_new();
		struct bn_mont m;

		/* a random odd modulus of exactly this many bits */
		assert_int_equal(BN_rand(bn, (int)bits, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ODD), 1);
		assert_int_equal(BN_bn2binpad(bn, buf, (int)k), (int)k);
		bn_from_be(n, limbs, buf, k);
		bn_mont_setup(&m, n, limbs);
		for (int round = 0; round < 6; round++) {
			static const uint32_t exps[] = { 1, 3, 17, 65537, 0xC0000001u, 0xFFFFFFFFu };
			uint32_t e = exps[round];

			assert_int_equal(BN_rand_range(bx, bn), 1);
			assert_int_equal(BN_bn2binpad(bx, buf, (int)k), (int)k);
			bn_from_be(x, limbs, buf, k);
			bn_mont_r2(&m, r2);
			bn_modexp_u32(&m, x, e, r2, t);
			for (size_t i = 0; i < k; i++)
				got[i] = bn_be_byte(x, k, i);
			assert_int_equal(BN_set_word(be, e), 1);
			assert_int_equal(BN_mod_exp(br, bx, be, bn, bctx), 1);
			assert_int_equal(BN_bn2binpad(br, buf, (int)k), (int)k);
			assert_memory_equal(got, buf, k);
		}
		BN_free(bn);
		BN_free(bx);
		BN_free(be);
		BN_free(br);
	}
	BN_CTX_free(bctx);
}

static void test_pem_forms_and_errors(void **state)
{
	EVP_PKEY *ec = EVP_EC_gen("P-256");
	struct rsa_pubkey key;
	char pem[2000], bad[2000];
	size_t len = strlen(spec_public_key);
	char *p;

	(void)state;
	/* a C string with its NUL counted, and CRLF line ends */
	assert_int_equal(rsa_pubkey_from_pem(&key, spec_public_key, len + 1), RSA_OK);
	{
		size_t j = 0;

		for (size_t i = 0; i < len; i++) {
			if (spec_public_key[i] == '\n')
				bad[j++] = '\r';
			bad[j++] = spec_public_key[i];
		}
		assert_int_equal(rsa_pubkey_from_pem(&key, bad, j), RSA_OK);
		assert_int_equal(key.nlen, 256);
	}
	/* text before the armour is skipped */
	snprintf(bad, sizeof(bad), "comment line\n%s", spec_public_key);
	assert_int_equal(rsa_pubkey_from_pem(&key, bad, strlen(bad)), RSA_OK);

	/* an EC key is named as such */
	assert_non_null(ec);
	pem_of(ec, "SubjectPublicKeyInfo", pem, sizeof(pem));
	assert_int_equal(rsa_pubkey_from_pem(&key, pem, strlen(pem)), RSA_ERR_NOT_RSA);
	EVP_PKEY_free(ec);

	/* armour errors */
	assert_int_equal(rsa_pubkey_from_pem(&key, "", 0), RSA_ERR_PEM);
	assert_int_equal(rsa_pubkey_from_pem(&key, spec_public_key, 100), RSA_ERR_PEM);
	assert_int_equal(rsa_pubkey_from_pem(&key, spec_private_key, strlen(spec_private_key)), RSA_ERR_PEM);
	strcpy(bad, spec_public_key);
	p = strstr(bad, "-----END PUBLIC KEY");
	memcpy(p, "-----END RSA PUBLIC", 19); /* END label differs from BEGIN */
	assert_int_equal(rsa_pubkey_from_pem(&key, bad, strlen(bad)), RSA_ERR_PEM);
	/* corrupt base64: a foreign character, padding in the middle, a
	 * dangling character */
	strcpy(bad, spec_public_key);
	bad[40] = '*';
	assert_int_equal(rsa_pubkey_from_pem(&key, bad, strlen(bad)), RSA_ERR_PEM);
	strcpy(bad, spec_public_key);
	bad[40] = '=';
	assert_int_equal(rsa_pubkey_from_pem(&key, bad, strlen(bad)), RSA_ERR_PEM);
	strcpy(bad, spec_public_key);
	p = strstr(bad, "RwIDAQAB");
	memmove(p + 1, p, strlen(p) + 1);
	*p = 'Q';
	assert_int_equal(rsa_pubkey_from_pem(&key, bad, strlen(bad)), RSA_ERR_PEM);
	/* valid base64 of broken DER: a line dropped, a changed byte */
	strcpy(bad, spec_public_key);
	p = strstr(bad, "vIr6");
	memmove(p, p + 65, strlen(p + 65) + 1);
	assert_int_equal(rsa_pubkey_from_pem(&key, bad, strlen(bad)), RSA_ERR_DER);
	strcpy(bad, spec_public_key);
	p = strstr(bad, "MIIBIj");
	p[3] = 'C'; /* outer length 0x122 -> 0x222 */
	assert_int_equal(rsa_pubkey_from_pem(&key, bad, strlen(bad)), RSA_ERR_DER);

	/* a key over 4096 bits */
	{
		EVP_PKEY *big = random_public_key(4160);

		pem_of(big, "SubjectPublicKeyInfo", pem, sizeof(pem));
		assert_int_equal(rsa_pubkey_from_pem(&key, pem, strlen(pem)), RSA_ERR_KEY_SIZE);
		pem_of(big, "type-specific", pem, sizeof(pem));
		assert_int_equal(rsa_pubkey_from_pem(&key, pem, strlen(pem)), RSA_ERR_KEY_SIZE);
		EVP_PKEY_free(big);
	}
	/* every strerror text is there */
	for (int st = RSA_OK; st <= RSA_ERR_KEY_PARAMS; st++)
		assert_true(strlen(rsa_strerror((enum rsa_status)st)) > 5);
}

/* The openssl command line's PKCS#1 output ("-RSAPublicKey_out") too, and
 * every truncation of the DER is refused without reading past it. */
static void test_openssl_cli_pkcs1_and_truncation(void **state)
{
	struct rsa_pubkey key, want;
	char cmd[800], pem[2000];
	size_t len;

	(void)state;
	write_file(path_in("public.key"), spec_public_key, strlen(spec_public_key));
	snprintf(cmd, sizeof(cmd), "openssl rsa -pubin -in %s -RSAPublicKey_out -out %s 2>/dev/null",
		 path_in("public.key"), path_in("pkcs1.pem"));
	run(cmd);
	len = read_file(path_in("pkcs1.pem"), (uint8_t *)pem, sizeof(pem) - 1);
	pem[len] = '\0';
	assert_non_null(strstr(pem, "BEGIN RSA PUBLIC KEY"));
	assert_int_equal(rsa_pubkey_from_pem(&key, pem, len), RSA_OK);
	assert_int_equal(rsa_pubkey_from_pem(&want, spec_public_key, strlen(spec_public_key)), RSA_OK);
	assert_int_equal(key.nlen, want.nlen);
	assert_memory_equal(key.n, want.n, want.nlen);

	/* DER cut short at every length: base64 each prefix in its own PEM */
	snprintf(cmd, sizeof(cmd),
		 "openssl pkey -pubin -in %s -outform DER -out %s && "
		 "for n in $(seq 1 293); do head -c $n %s | openssl base64 > %s/cut.$n; done",
		 path_in("public.key"), path_in("pub.der"), path_in("pub.der"), workdir);
	run(cmd);
	for (int n = 1; n < 294; n++) {
		char name[32], b64[600];
		size_t blen;
		enum rsa_status st;

		snprintf(name, sizeof(name), "cut.%d", n);
		blen = read_file(path_in(name), (uint8_t *)b64, sizeof(b64) - 1);
		b64[blen] = '\0';
		snprintf(pem, sizeof(pem), "-----BEGIN PUBLIC KEY-----\n%s-----END PUBLIC KEY-----\n", b64);
		st = rsa_pubkey_from_pem(&key, pem, strlen(pem));
		assert_true(st == RSA_ERR_DER || st == RSA_ERR_PEM);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_worked_example),
		cmocka_unit_test(test_modexp_against_libcrypto),
		cmocka_unit_test(test_rsa2048),
		cmocka_unit_test(test_rsa3072),
		cmocka_unit_test(test_rsa4096),
		cmocka_unit_test(test_other_exponents_and_sizes),
		cmocka_unit_test(test_pem_forms_and_errors),
		cmocka_unit_test(test_openssl_cli_pkcs1_and_truncation),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
