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

/* One signature and the length word after it: what follows the payload. */
struct sig_tail {
	uint8_t sig[SIG_MAX_LEN];
	size_t len;
	uint8_t trailer[SIG_TRAILER_LEN];
};

/* Signs the payload's SHA-256 (hashed once for both formats) in one format. */
static enum sign_error sign_tail(EVP_PKEY *key, const uint8_t hash[SIG_HASH_LEN], bool legacy,
                                 struct sig_tail *t, struct sign_status *st)
{
	enum sign_error err;

	if ((size_t)EVP_PKEY_get_size(key) > sizeof(t->sig))
		return sign_fail(st, SIGN_ERR_KEY_SIZE,
		                 "cannot sign: keys above %d bits are not supported",
		                 SIG_MAX_LEN * 8);
	err = legacy ? sig_sign_legacy(key, hash, t->sig, &t->len, st)
	             : sig_sign_digest(key, hash, t->sig, &t->len, st);
	if (err != SIGN_OK)
		return err;
	sig_trailer(t->len, t->trailer);
	return SIGN_OK;
}

/* The bytes that get signed: the image mapped as it is, or its gzip. */
struct payload {
	struct file_map map;
	struct file_buf gz;
	const uint8_t *data;
	size_t len;
};

static void payload_free(struct payload *p)
{
	file_unmap(&p->map);
	file_buf_free(&p->gz);
}

/* Maps the image, compresses it when asked. */
static enum sign_error load_payload(const struct sign_options *opt, struct payload *p,
                                    struct sign_status *st)
{
	enum sign_error err = sign_map(opt->bin, SIGN_IMAGE_MAX, "--bin", &p->map, st);

	if (err != SIGN_OK)
		return err;
	p->data = p->map.data;
	p->len = p->map.len;
	if (!opt->compress)
		return SIGN_OK;
	if (gzip_is_gzip(p->map.data, p->map.len))
		return sign_fail(st, SIGN_ERR_USAGE,
		                 "refusing to compress '%s': it is gzip already; sign it without "
		                 "--compress",
		                 opt->bin);
	err = gzip_compress(p->map.data, p->map.len, &p->gz);
	if (err != SIGN_OK)
		return sign_fail(st, err, "cannot compress '%s': %s", opt->bin, sign_strerror(err));
	p->data = p->gz.data;
	p->len = p->gz.len;
	return SIGN_OK;
}

/* SHA-256 of the payload. */
static bool hash_payload(const uint8_t *data, size_t len, uint8_t hash[SIG_HASH_LEN])
{
	struct digest d;
	bool ok = digest_init(&d, DIGEST_SHA256) == 0 && digest_update(&d, data, len) == 0 &&
	          digest_out(&d, hash) == 0;

	digest_free(&d);
	return ok;
}

static struct sign_output output(const char *path, const char *option, const struct payload *p,
                                 struct sig_tail *t)
{
	struct sign_output o = {path,
	                        option,
	                        {{(void *)(uintptr_t)p->data, p->len},
	                         {t->sig, t->len},
	                         {t->trailer, sizeof(t->trailer)}},
	                        3};

	return o;
}

static int run(const struct sign_options *opt, const char *out, struct sign_status *st)
{
	struct payload payload = {0};
	struct sig_tail current, legacy;
	uint8_t hash[SIG_HASH_LEN];
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
		goto done;
	if (key_load_private(opt->privatekey, &key, st) != SIGN_OK ||
	    key_check_device(key, opt->privatekey, &weak, st) != SIGN_OK)
		goto done;
	if (weak)
		log_warn(opt->lg,
		         "warning: '%s' is an RSA-%u key, under the %u bits a signing key "
		         "should have; make a new pair with: sign-bin -m keygen -s private.key "
		         "-p public.key",
		         opt->privatekey, key_bits(key), KEY_ADVISED_MIN_BITS);
	/* One pass over the payload, hashed once for both formats. */
	if (!hash_payload(payload.data, payload.len, hash)) {
		sign_fail(st, SIGN_ERR_CRYPTO, "cannot hash the image: libcrypto failed");
		goto done;
	}
	/* every signature made before any file is written */
	if (sign_tail(key, hash, false, &current, st) != SIGN_OK)
		goto done;
	if (opt->legacy && sign_tail(key, hash, true, &legacy, st) != SIGN_OK)
		goto done;
	{
		const struct sign_output outs[] = {
		    output(out, "--out", &payload, &current),
		    output(opt->legacy, "--legacy", &payload, &legacy),
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
	payload_free(&payload);
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
