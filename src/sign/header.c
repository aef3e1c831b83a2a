/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "header.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/crypto.h>

#include "key.h"
#include "sign_io.h"

static const char header_on[] = "#include <pgmspace.h>\n"
                                "#define ARDUINO_SIGNING 1\n"
                                "static const char signing_pubkey[] PROGMEM = {\n";
static const char header_off[] = "#define ARDUINO_SIGNING 0\n";
static const char header_end[] = "\n};\n";
/* Each key byte is written as "0x%02x, \n". */
#define ITEM_LEN 7

enum sign_error header_build(const uint8_t *key, size_t len, struct file_buf *out)
{
	size_t on = sizeof(header_on) - 1, end = sizeof(header_end) - 1;
	char *p;

	out->len = 0;
	if (!key) {
		out->data = (uint8_t *)strdup(header_off);
		if (!out->data)
			return SIGN_ERR_NOMEM;
		out->len = sizeof(header_off) - 1;
		return SIGN_OK;
	}
	out->data = malloc(on + ITEM_LEN * len + end + 1);
	if (!out->data)
		return SIGN_ERR_NOMEM;
	p = (char *)out->data;
	memcpy(p, header_on, on);
	p += on;
	for (size_t i = 0; i < len; i++) {
		snprintf(p, ITEM_LEN + 1, "0x%02x, \n", key[i]);
		p += ITEM_LEN;
	}
	/* signing.py drops the last three characters of what it has built:
	 * the ", \n" after the last byte (or " {\n" for an empty key file). */
	p -= 3;
	memcpy(p, header_end, end);
	p += end;
	out->len = (size_t)(p - (char *)out->data);
	return SIGN_OK;
}

/* True when path already holds exactly data[0..len). */
static bool same_content(const char *path, const uint8_t *data, size_t len)
{
	struct file_buf old;
	bool same;

	if (file_read_all(path, len + 1, &old) != FILE_OK)
		return false;
	same = old.len == len && memcmp(old.data, data, len) == 0;
	file_buf_free(&old);
	return same;
}

enum sign_error header_update(const char *pubkey_path, const char *out, struct header_result *res,
                              struct sign_status *st)
{
	struct file_buf key = {0}, text;
	enum file_error fe;
	char dir[4096];
	struct stat sb;
	enum sign_error err;
	mode_t mode;

	res->enabled = false;
	res->written = false;
	res->key_is_public = false;
	res->key_is_private = false;
	res->key_bits = 0;
	if (*pubkey_path && sign_same_file(out, pubkey_path))
		return sign_fail(st, SIGN_ERR_OUT_IS_IN,
		                 "refusing to write '%s': it is the --publickey file '%s'; give "
		                 "--out the header's path (Updater_Signing.h)",
		                 out, pubkey_path);
	fe = file_read_all(pubkey_path, SIGN_IMAGE_MAX, &key);
	/* As signing.py: a key file that cannot be opened means signing off;
	 * an empty one is embedded as it is. */
	if (fe == FILE_OK || fe == FILE_ERR_EMPTY)
		res->enabled = true;
	else if (fe == FILE_ERR_TOO_BIG)
		return sign_fail(st, SIGN_ERR_READ,
		                 "cannot embed '%s': larger than %u bytes, not a key; check the "
		                 "--publickey path",
		                 pubkey_path, SIGN_IMAGE_MAX);
	else if (fe == FILE_ERR_NOMEM)
		return sign_fail(st, SIGN_ERR_NOMEM, "out of memory reading '%s'", pubkey_path);

	if (fe == FILE_OK) {
		enum key_pem_label label = key_pem_classify(key.data, key.len);

		res->key_is_public = label == KEY_PEM_PUBLIC_SPKI || label == KEY_PEM_PUBLIC_RSA;
		res->key_is_private = label == KEY_PEM_PRIVATE_PKCS8 ||
		                      label == KEY_PEM_PRIVATE_RSA || label == KEY_PEM_ENCRYPTED ||
		                      label == KEY_PEM_EC;
		if (res->key_is_public) {
			struct sign_status kst;
			EVP_PKEY *pk = NULL;

			/* only for the size warning: the bytes are embedded either way */
			if (key_decode(key.data, key.len, pubkey_path, 0, &pk, &kst) == SIGN_OK)
				res->key_bits = key_bits(pk);
			EVP_PKEY_free(pk);
		}
	}
	err = header_build(res->enabled ? (key.data ? key.data : (const uint8_t *)"") : NULL,
	                   key.len, &text);
	if (key.data)
		OPENSSL_cleanse(key.data, key.len); /* may be a private key by mistake */
	file_buf_free(&key);
	if (err != SIGN_OK)
		return sign_fail(st, err, "out of memory building the header for '%s'", out);

	sign_dirname(out, dir, sizeof(dir));
	if (stat(dir, &sb) != 0 && sign_mkdirs(dir, st) != SIGN_OK) {
		file_buf_free(&text);
		return st->code;
	}
	if (same_content(out, text.data, text.len)) {
		file_buf_free(&text); /* unchanged: keep the mtime, no core rebuild */
		return SIGN_OK;
	}
	mode = stat(out, &sb) == 0 ? (sb.st_mode & 07777) : sign_new_file_mode();
	err = sign_write(out, text.data, text.len, mode, st);
	file_buf_free(&text);
	if (err == SIGN_OK)
		res->written = true;
	return err;
}
