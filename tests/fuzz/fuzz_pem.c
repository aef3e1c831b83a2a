/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target for the PEM/DER public-key parser (rsa_key.c). A key it
 * accepts must satisfy what rsa_verify_sha256() relies on, and a
 * verification with it must end cleanly. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rsa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t hash[32];
	static uint8_t sig[RSA_MAX_BYTES];
	struct rsa_pubkey key;
	enum rsa_status st;

	st = rsa_pubkey_from_pem(&key, (const char *)data, size);
	if (st > RSA_ERR_KEY_PARAMS)
		abort();
	if (st != RSA_OK)
		return 0;
	if (key.nlen < 64 || key.nlen > RSA_MAX_BYTES || key.n[0] == 0 || !(key.n[key.nlen - 1] & 1) ||
	    key.elen < 1 || key.elen > 4 || !(key.e[key.elen - 1] & 1))
		abort();
	memset(sig, 0x5a, key.nlen);
	st = rsa_verify_sha256(&key, sig, key.nlen, hash, false);
	if (st != RSA_ERR_MISMATCH && st != RSA_OK)
		abort();
	return 0;
}
