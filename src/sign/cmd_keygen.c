/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* --mode keygen: a PEM key pair as `openssl genrsa` and
 * `openssl rsa -pubout` write it. */
#include "commands.h"
#include "file.h"
#include "key.h"

int cmd_keygen(const struct sign_options *opt)
{
	struct sign_status st = {SIGN_OK, ""};
	unsigned bits = opt->bits ? opt->bits : 2048;
	EVP_PKEY *key = NULL;

	if (!opt->privatekey || !opt->publickey) {
		log_error(opt->lg,
		          "--mode keygen needs --privatekey and --publickey; give both paths");
		return SIGN_EXIT_USAGE;
	}
	if (bits != 2048 && bits != 3072 && bits != 4096) {
		log_error(opt->lg, "unsupported key size '%u': use --bits 2048, 3072 or 4096",
		          bits);
		return SIGN_EXIT_USAGE;
	}
	if (file_exists(opt->privatekey)) {
		/* Checked early too, so no time goes into a key that cannot be kept. */
		log_error(opt->lg,
		          "refusing to overwrite private key '%s'; move it away first if you "
		          "really want a new key",
		          opt->privatekey);
		return SIGN_EXIT_FAIL;
	}
	if (key_generate(bits, &key, &st) != SIGN_OK ||
	    key_write_pair(key, opt->privatekey, opt->publickey, &st) != SIGN_OK) {
		log_error(opt->lg, "%s", st.msg);
		EVP_PKEY_free(key);
		return SIGN_EXIT_FAIL;
	}
	EVP_PKEY_free(key);
	log_debug(opt->lg, "wrote %u-bit RSA key pair '%s' and '%s'", bits, opt->privatekey,
	          opt->publickey);
	return SIGN_EXIT_OK;
}
