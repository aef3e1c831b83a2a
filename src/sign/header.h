/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The C header that switches signing on in the core (Updater_Signing.h),
 * byte for byte as signing.py --mode header writes it
 * (docs/protocol/signed-image-format.md §3.2). */
#ifndef ESPOTA_SIGN_HEADER_H
#define ESPOTA_SIGN_HEADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "file.h"
#include "sign_error.h"

/* The header text embedding key[0..len) (the key FILE's bytes, unchecked),
 * or `#define ARDUINO_SIGNING 0\n` when key is NULL. */
enum sign_error header_build(const uint8_t *key, size_t len, struct file_buf *out);

struct header_result {
	bool enabled;        /* the public key file was read: signing is on */
	bool written;        /* false when the file already held this text */
	bool key_is_public;  /* the embedded file is a PEM public key */
	bool key_is_private; /* ... or, by mistake, a private key */
	unsigned key_bits;   /* its RSA size; 0 when it is no RSA key libcrypto reads */
};

/* Reads the public key file (absent or unreadable → signing off), creates
 * the directory of out, and writes out unless it already holds the text. */
enum sign_error header_update(const char *pubkey_path, const char *out, struct header_result *res,
                              struct sign_status *st);

#endif
