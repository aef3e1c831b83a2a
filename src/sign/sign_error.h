/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The one error type of the signer library, and a carrier for the message
 * that names the input and says what to do. */
#ifndef ESPOTA_SIGN_ERROR_H
#define ESPOTA_SIGN_ERROR_H

#include <stddef.h>

/* Values only grow; never renumber. */
enum sign_error {
	SIGN_OK = 0,
	SIGN_ERR_USAGE = 1,           /* bad command line */
	SIGN_ERR_READ = 2,            /* an input file cannot be read */
	SIGN_ERR_EMPTY = 3,           /* the image is empty */
	SIGN_ERR_TOO_BIG = 4,         /* the image is larger than 16 MiB */
	SIGN_ERR_WRITE = 5,           /* an output file cannot be written */
	SIGN_ERR_OUT_DIR = 6,         /* the output directory does not exist */
	SIGN_ERR_OUT_IS_IN = 7,       /* the output would overwrite the input */
	SIGN_ERR_KEY_NOT_PEM = 8,     /* DER or other non-PEM key file */
	SIGN_ERR_KEY_ENCRYPTED = 9,   /* passphrase protected key */
	SIGN_ERR_KEY_EC = 10,         /* EC key: the device verifies RSA only */
	SIGN_ERR_KEY_NOT_RSA = 11,    /* any other key type */
	SIGN_ERR_KEY_CORRUPT = 12,    /* PEM armour present but undecodable */
	SIGN_ERR_KEY_WRONG_KIND = 13, /* public key where a private one is needed */
	SIGN_ERR_CRYPTO = 14,         /* libcrypto failed */
	SIGN_ERR_SIG_LENGTH = 15,     /* trailer length field out of range */
	SIGN_ERR_SIG_MISMATCH = 16,   /* signature does not match image and key */
	SIGN_ERR_KEY_SIZE = 17,       /* signature length differs from the key size */
	SIGN_ERR_KEY_EXISTS = 18,     /* keygen would overwrite a private key */
	SIGN_ERR_NOMEM = 19,
	SIGN_ERR_GZIP = 20,           /* the gzip encoder or zlib failed */
	SIGN_ERR_KEY_UNVERIFIABLE = 21, /* no device verifies a key of this size */
};

/* Short text for a code, e.g. "signature mismatch". */
const char *sign_strerror(enum sign_error err);

/* The failure of one operation: its code and a full message
 * ("<what failed> '<input>': <why>; <what to do>"). */
struct sign_status {
	enum sign_error code;
	char msg[1024];
};

/* Records code and a printf-formatted message; returns code so callers
 * can write `return sign_fail(st, ...)`. */
enum sign_error sign_fail(struct sign_status *st, enum sign_error code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
