/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* --mode verify: checks a signed image as the device would, and says
 * which format it is or which check failed. */
#include "commands.h"
#include "key.h"
#include "sign_io.h"
#include "signature.h"

int cmd_verify(const struct sign_options *opt)
{
	struct sign_status st = {SIGN_OK, ""};
	struct file_buf file = {0};
	struct sig_parts parts;
	enum sig_format fmt;
	EVP_PKEY *key = NULL;
	int rc = SIGN_EXIT_FAIL;

	if (!opt->publickey || !opt->bin) {
		log_error(opt->lg,
		          "--mode verify needs --publickey and --bin; give the key and the "
		          "signed image");
		return SIGN_EXIT_USAGE;
	}
	if (key_load_public(opt->publickey, &key, &st) != SIGN_OK ||
	    sign_read(opt->bin, SIGN_IMAGE_MAX + SIG_MAX_LEN + SIG_TRAILER_LEN, "--bin", &file,
	              &st) != SIGN_OK ||
	    sig_verify(key, file.data, file.len, opt->bin, opt->publickey, &fmt, &st) != SIGN_OK) {
		log_error(opt->lg, "%s", st.msg);
		goto done;
	}
	sig_split(file.data, file.len, &parts);
	fprintf(opt->out_stream, "%s: valid %s signature (%s), %zu-byte signature over %zu bytes\n",
	        opt->bin, sig_format_name(fmt),
	        fmt == SIG_FORMAT_CURRENT ? "RSASSA-PKCS1-v1_5 with SHA-256, core >= 2.6.0"
	                                  : "PKCS#1 v1.5 over the bare SHA-256, core <= 2.5.2",
	        parts.sig_len, parts.payload_len);
	rc = SIGN_EXIT_OK;
done:
	EVP_PKEY_free(key);
	file_buf_free(&file);
	return rc;
}
