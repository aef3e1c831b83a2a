/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* RSA key files: recognising what a PEM file holds, loading it with
 * libcrypto without ever prompting, generating and writing key pairs. */
#ifndef ESPOTA_SIGN_KEY_H
#define ESPOTA_SIGN_KEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "sign_error.h"

/* Key files are small; anything larger is not a key. */
#define KEY_FILE_MAX (64 * 1024)

enum key_pem_label {
	KEY_PEM_NONE,          /* no PEM armour at all */
	KEY_PEM_DER,           /* no armour, starts like DER (ASN.1 SEQUENCE) */
	KEY_PEM_PRIVATE_PKCS8, /* BEGIN PRIVATE KEY */
	KEY_PEM_PRIVATE_RSA,   /* BEGIN RSA PRIVATE KEY (PKCS#1) */
	KEY_PEM_ENCRYPTED,   /* BEGIN ENCRYPTED PRIVATE KEY, or PKCS#1 with Proc-Type 4,ENCRYPTED */
	KEY_PEM_EC,          /* BEGIN EC PRIVATE KEY / EC PARAMETERS */
	KEY_PEM_PUBLIC_SPKI, /* BEGIN PUBLIC KEY (SubjectPublicKeyInfo) */
	KEY_PEM_PUBLIC_RSA,  /* BEGIN RSA PUBLIC KEY (PKCS#1) */
	KEY_PEM_OTHER,       /* armour with another label (certificate, ...) */
};

/* What the bytes of a key file are, from their armour alone. */
enum key_pem_label key_pem_classify(const uint8_t *data, size_t len);

/* Loads an RSA private key (PEM PKCS#1 or PKCS#8). Free with EVP_PKEY_free. */
enum sign_error key_load_private(const char *path, EVP_PKEY **out, struct sign_status *st);
/* Loads an RSA public key (PEM SubjectPublicKeyInfo or PKCS#1); a private
 * key file is accepted too, its public half is used. */
enum sign_error key_load_public(const char *path, EVP_PKEY **out, struct sign_status *st);
/* Same as the two above over bytes already in memory; path names them in messages. */
enum sign_error key_decode(const uint8_t *data, size_t len, const char *path, int want_private,
                           EVP_PKEY **out, struct sign_status *st);

/* Modulus size in bits. */
unsigned key_bits(const EVP_PKEY *key);

/* The RSA sizes the device verifies (firmware/core/rsa.h, as BearSSL's
 * limit on the real core), and the least size worth signing with. */
#define KEY_DEVICE_MIN_BITS 512
#define KEY_DEVICE_MAX_BITS 4096
#define KEY_ADVISED_MIN_BITS 2048

/* Refuses (SIGN_ERR_KEY_UNVERIFIABLE) a key outside what the device
 * verifies; *weak is set when it is under KEY_ADVISED_MIN_BITS. */
enum sign_error key_check_device(const EVP_PKEY *key, const char *path, bool *weak,
                                 struct sign_status *st);

/* A new RSA key of bits bits (2048, 3072 or 4096), e = 65537. */
enum sign_error key_generate(unsigned bits, EVP_PKEY **out, struct sign_status *st);
/* Writes the private key (PEM PKCS#8, mode 0600, refuses an existing file)
 * and the public key (PEM SubjectPublicKeyInfo), as `openssl genrsa` and
 * `openssl rsa -pubout` write them. On failure neither file is left. */
enum sign_error key_write_pair(EVP_PKEY *key, const char *priv_path, const char *pub_path,
                               struct sign_status *st);

#endif
