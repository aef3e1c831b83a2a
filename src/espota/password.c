/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Which password to answer the challenge with: -a when not empty, then
 * the first line of --auth-file, then $ESPOTA_PASSWORD (the order
 * espota-c has always documented). */
#include <errno.h>
#include <openssl/crypto.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "espota.h"
#include "file.h"

#define PASSWORD_FILE_MAX 4096

/* True when path plainly names a file rather than a password typed in its
 * place: it exists, or it has a directory part that exists. Only such a
 * path is repeated in a message. */
static bool plainly_a_path(const char *path)
{
	const char *slash = strrchr(path, '/');
	struct stat st;
	char *dir;
	bool yes;

	if (stat(path, &st) == 0)
		return true;
	if (!slash)
		return false;
	if (slash == path)
		return true; /* "/name": its directory is the root */
	dir = strndup(path, (size_t)(slash - path));
	if (!dir)
		return false;
	yes = stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
	free(dir);
	return yes;
}

static enum espota_error read_failed(const char *path, enum file_error fe, int saved_errno,
				     char *msg, size_t msglen)
{
	const char *why = fe == FILE_ERR_OPEN || fe == FILE_ERR_READ ? strerror(saved_errno)
								   : file_strerror(fe);

	if (plainly_a_path(path))
		snprintf(msg, msglen,
			 "cannot read password file '%s': %s: check the path given with --auth-file",
			 path, why);
	else
		snprintf(msg, msglen,
			 "cannot read the password file given with --auth-file: %s: check its path "
			 "(it is not repeated here, in case a password was typed in its place)",
			 why);
	return fe == FILE_ERR_NOMEM ? ESPOTA_ERR_NOMEM : ESPOTA_ERR_PASSWORD;
}

/* The first line of path, without its line end, into out->owned. */
static enum espota_error read_line(const char *path, struct espota_secret *out, char *msg,
				   size_t msglen)
{
	struct file_buf fb;
	enum file_error fe = file_read_all(path, PASSWORD_FILE_MAX, &fb);
	size_t n;

	if (fe == FILE_ERR_EMPTY) {
		out->value = "";
		return ESPOTA_OK;
	}
	if (fe != FILE_OK)
		return read_failed(path, fe, errno, msg, msglen);
	n = 0;
	while (n < fb.len && fb.data[n] != '\n')
		n++;
	while (n > 0 && fb.data[n - 1] == '\r')
		n--;
	out->owned = malloc(n + 1);
	if (out->owned) {
		memcpy(out->owned, fb.data, n);
		out->owned[n] = '\0';
		out->value = out->owned;
	}
	OPENSSL_cleanse(fb.data, fb.len);
	file_buf_free(&fb);
	if (!out->owned) {
		snprintf(msg, msglen, "cannot read the password file: out of memory");
		return ESPOTA_ERR_NOMEM;
	}
	return ESPOTA_OK;
}

enum espota_error espota_password_pick(const struct espota_config *cfg, struct espota_secret *out,
				       char *msg, size_t msglen)
{
	out->value = "";
	out->owned = NULL;
	if (cfg->password && *cfg->password) {
		out->value = cfg->password;
		return ESPOTA_OK;
	}
	if (cfg->password_file)
		return read_line(cfg->password_file, out, msg, msglen);
	if (cfg->password_env)
		out->value = cfg->password_env;
	return ESPOTA_OK;
}

void espota_secret_free(struct espota_secret *s)
{
	if (s->owned) {
		OPENSSL_cleanse(s->owned, strlen(s->owned));
		free(s->owned);
	}
	s->owned = NULL;
	s->value = "";
}
