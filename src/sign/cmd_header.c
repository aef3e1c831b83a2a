/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* --mode header: Updater_Signing.h for the core, as signing.py writes it. */
#include "commands.h"
#include "header.h"
#include "key.h"

int cmd_header(const struct sign_options *opt)
{
	struct header_result res;
	struct sign_status st;

	if (!opt->out) {
		log_error(opt->lg, "--mode header needs --out; give the header path");
		return SIGN_EXIT_USAGE;
	}
	if (!opt->publickey) {
		/* signing.py cannot open a missing name either: signing off. */
		log_debug(opt->lg, "no --publickey given: writing a header with signing off");
	}
	if (header_update(opt->publickey ? opt->publickey : "", opt->out, &res, &st) != SIGN_OK) {
		log_error(opt->lg, "%s", st.msg);
		return SIGN_EXIT_FAIL;
	}
	if (res.enabled)
		fputs("Enabling binary signing\n", stderr);
	/* signing.py embeds any bytes; the header stays the same, but say so. */
	if (res.key_is_private)
		log_warn(opt->lg,
		         "warning: '%s' holds a PRIVATE key and it is now built into the "
		         "firmware; put the public key there: openssl rsa -in private.key "
		         "-pubout -out public.key",
		         opt->publickey);
	else if (res.enabled && !res.key_is_public)
		log_warn(opt->lg,
		         "warning: '%s' is not a PEM public key; the device will reject "
		         "every signed update: put the public key there",
		         opt->publickey);
	else if (res.key_bits > KEY_DEVICE_MAX_BITS || (res.key_bits && res.key_bits < KEY_DEVICE_MIN_BITS))
		log_warn(opt->lg,
		         "warning: '%s' is an RSA-%u key and the device verifies %u to %u bits: "
		         "it will refuse every signed update; make a 2048- to 4096-bit pair with: "
		         "sign-bin -m keygen -s private.key -p public.key",
		         opt->publickey, res.key_bits, KEY_DEVICE_MIN_BITS, KEY_DEVICE_MAX_BITS);
	else if (res.key_bits && res.key_bits < KEY_ADVISED_MIN_BITS)
		log_warn(opt->lg,
		         "warning: '%s' is an RSA-%u key, under the %u bits a signing key should "
		         "have; make a new pair with: sign-bin -m keygen -s private.key -p public.key",
		         opt->publickey, res.key_bits, KEY_ADVISED_MIN_BITS);
	else if (!res.enabled)
		log_debug(opt->lg, "cannot read public key '%s': signing stays off",
		          opt->publickey ? opt->publickey : "");
	log_debug(opt->lg, "%s '%s'", res.written ? "wrote" : "left unchanged", opt->out);
	return SIGN_EXIT_OK;
}
