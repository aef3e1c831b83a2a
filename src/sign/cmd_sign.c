/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* --mode sign: image ‖ signature ‖ length, as signing.py writes it, and
 * optionally the legacy format and a gzip-compressed payload. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "digest.h"
#include "gzip.h"
#include "key.h"
#include "sign_io.h"
#include "signature.h"

/* os.path.isfile(): signing.py's switch for "signing wanted". */
static bool is_file(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* Signs payload in one format and builds the whole output file. */
static enum sign_error build_signed(EVP_PKEY *key, const struct file_buf *payload, bool legacy,
                                    struct file_buf *file, struct sign_status *st)
{
	uint8_t sig[SIG_MAX_LEN], hash[SIG_HASH_LEN];
	size_t siglen = 0;
	enum sign_error err;

	if ((size_t)EVP_PKEY_get_size(key) > sizeof(sig))
		return sign_fail(st, SIGN_ERR_KEY_SIZE,
		                 "cannot sign: keys above %d bits are not supported",
		                 SIG_MAX_LEN * 8);
	if (legacy) {
		struct digest d;
		int ok = digest_init(&d, DIGEST_SHA256) == 0 &&
		         digest_update(&d, payload->data, payload->len) == 0 &&
		         digest_out(&d, hash) == 0;

		digest_free(&d);
		if (!ok)
			return sign_fail(st, SIGN_ERR_CRYPTO,
			                 "cannot hash the image: libcrypto failed");
		err = sig_sign_legacy(key, hash, sig, &siglen, st);
	} else {
		err = sig_sign_current(key, payload->data, payload->len, sig, &siglen, st);
	}
	if (err != SIGN_OK)
		return err;
	if (sig_build_file(payload->data, payload->len, sig, siglen, file) != SIGN_OK)
		return sign_fail(st, SIGN_ERR_NOMEM, "out of memory building the signed image");
	return SIGN_OK;
}

/* Reads the image, compresses it when asked: the bytes that get signed. */
static enum sign_error load_payload(const struct sign_options *opt, struct file_buf *payload,
                                    struct sign_status *st)
{
	struct file_buf image;
	enum sign_error err = sign_read(opt->bin, SIGN_IMAGE_MAX, "--bin", &image, st);

	if (err != SIGN_OK || !opt->compress) {
		*payload = image;
		return err;
	}
	if (gzip_is_gzip(image.data, image.len)) {
		file_buf_free(&image);
		return sign_fail(st, SIGN_ERR_USAGE,
		                 "refusing to compress '%s': it is gzip already; sign it without "
		                 "--compress",
		                 opt->bin);
	}
	err = gzip_compress(image.data, image.len, payload);
	file_buf_free(&image);
	if (err != SIGN_OK)
		return sign_fail(st, err, "cannot compress '%s': %s", opt->bin, sign_strerror(err));
	return SIGN_OK;
}

static int run(const struct sign_options *opt, const char *out, struct sign_status *st)
{
	struct file_buf payload = {0}, signed_file = {0}, legacy_file = {0};
	EVP_PKEY *key = NULL;
	mode_t mode = sign_new_file_mode();
	int rc = SIGN_EXIT_FAIL;
	bool weak;

	if (sign_check_output(out, "--out", opt->bin, st) != SIGN_OK)
		return rc;
	if (opt->legacy) {
		if (sign_check_output(opt->legacy, "--legacy", opt->bin, st) != SIGN_OK)
			return rc;
		if (strcmp(opt->legacy, out) == 0) {
			sign_fail(
			    st, SIGN_ERR_USAGE,
			    "refusing to write '%s' twice: --out and --legacy name the same file; "
			    "give --legacy another path",
			    out);
			return SIGN_EXIT_USAGE;
		}
	}
	if (load_payload(opt, &payload, st) != SIGN_OK)
		return rc;
	if (key_load_private(opt->privatekey, &key, st) != SIGN_OK ||
	    key_check_device(key, opt->privatekey, &weak, st) != SIGN_OK)
		goto done;
	if (weak)
		log_warn(opt->lg,
		         "warning: '%s' is an RSA-%u key, under the %u bits a signing key "
		         "should have; make a new pair with: sign-bin -m keygen -s private.key "
		         "-p public.key",
		         opt->privatekey, key_bits(key), KEY_ADVISED_MIN_BITS);
	/* Build every output before writing any: a failure leaves no file. */
	if (build_signed(key, &payload, false, &signed_file, st) != SIGN_OK)
		goto done;
	if (opt->legacy && build_signed(key, &payload, true, &legacy_file, st) != SIGN_OK)
		goto done;
	{
		const struct sign_output outs[] = {
		    {out, "--out", signed_file.data, signed_file.len},
		    {opt->legacy, "--legacy", legacy_file.data, legacy_file.len},
		};

		/* both outputs or neither, and an old file is never lost */
		if (sign_write_all(outs, opt->legacy ? 2 : 1, mode, st) != SIGN_OK)
			goto done;
	}
	fprintf(stderr, "Signed binary: %s\n", out);
	if (opt->legacy)
		fprintf(stderr, "Legacy signed binary: %s\n", opt->legacy);
	rc = SIGN_EXIT_OK;
done:
	EVP_PKEY_free(key);
	file_buf_free(&payload);
	file_buf_free(&signed_file);
	file_buf_free(&legacy_file);
	return rc;
}

int cmd_sign(const struct sign_options *opt)
{
	struct sign_status st = {SIGN_OK, ""};
	char *gz_out = NULL;
	const char *out = opt->out;
	int rc;

	if (!opt->privatekey) {
		log_error(opt->lg, "--mode sign needs --privatekey; give the private key path");
		return SIGN_EXIT_USAGE;
	}
	if (!is_file(opt->privatekey)) {
		/* The IDE runs this for every sketch: no key means no signing. */
		log_debug(opt->lg, "private key '%s' does not exist: not signing", opt->privatekey);
		return SIGN_EXIT_OK;
	}
	if (!opt->bin) {
		log_error(opt->lg, "--mode sign needs --bin; give the image to sign");
		return SIGN_EXIT_USAGE;
	}
	if (!out && opt->compress) {
		size_t n = strlen(opt->bin) + sizeof(".gz.signed");

		gz_out = malloc(n);
		if (!gz_out) {
			log_error(opt->lg, "out of memory");
			return SIGN_EXIT_FAIL;
		}
		snprintf(gz_out, n, "%s.gz.signed", opt->bin);
		out = gz_out;
	}
	if (!out) {
		log_error(opt->lg, "--mode sign needs --out; give the signed image path");
		return SIGN_EXIT_USAGE;
	}
	rc = run(opt, out, &st);
	if (rc != SIGN_EXIT_OK)
		log_error(opt->lg, "%s", st.msg);
	free(gz_out);
	return rc;
}
