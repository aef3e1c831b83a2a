/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "sign_error.h"

#include <stdarg.h>
#include <stdio.h>

const char *sign_strerror(enum sign_error err)
{
	switch (err) {
	case SIGN_OK:
		return "no error";
	case SIGN_ERR_USAGE:
		return "bad usage";
	case SIGN_ERR_READ:
		return "cannot read file";
	case SIGN_ERR_EMPTY:
		return "image is empty";
	case SIGN_ERR_TOO_BIG:
		return "image is too large";
	case SIGN_ERR_WRITE:
		return "cannot write file";
	case SIGN_ERR_OUT_DIR:
		return "output directory does not exist";
	case SIGN_ERR_OUT_IS_IN:
		return "output would overwrite the input";
	case SIGN_ERR_KEY_NOT_PEM:
		return "key is not in PEM format";
	case SIGN_ERR_KEY_ENCRYPTED:
		return "key is encrypted";
	case SIGN_ERR_KEY_EC:
		return "EC keys are not supported by the device";
	case SIGN_ERR_KEY_NOT_RSA:
		return "key is not an RSA key";
	case SIGN_ERR_KEY_CORRUPT:
		return "key cannot be decoded";
	case SIGN_ERR_KEY_WRONG_KIND:
		return "key is a public key";
	case SIGN_ERR_CRYPTO:
		return "libcrypto failed";
	case SIGN_ERR_SIG_LENGTH:
		return "signature length field out of range";
	case SIGN_ERR_SIG_MISMATCH:
		return "signature mismatch";
	case SIGN_ERR_KEY_SIZE:
		return "key size mismatch";
	case SIGN_ERR_KEY_EXISTS:
		return "private key already exists";
	case SIGN_ERR_NOMEM:
		return "out of memory";
	case SIGN_ERR_GZIP:
		return "gzip failed";
	case SIGN_ERR_KEY_UNVERIFIABLE:
		return "no device verifies a key of this size";
	}
	return "unknown error";
}

enum sign_error sign_fail(struct sign_status *st, enum sign_error code, const char *fmt, ...)
{
	va_list ap;

	st->code = code;
	va_start(ap, fmt);
	vsnprintf(st->msg, sizeof(st->msg), fmt, ap);
	va_end(ap);
	return code;
}
