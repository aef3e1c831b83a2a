/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "device_password.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"

char *device_password_copy(const char *s)
{
	size_t n = strlen(s);
	char *c = malloc(n + 1);

	if (c)
		memcpy(c, s, n + 1);
	return c;
}

void device_password_free(char *pw)
{
	if (!pw)
		return;
	explicit_bzero(pw, strlen(pw));
	free(pw);
}

/* The first line of the file, without its line end (LF or CR LF). */
static char *first_line(const char *path, const struct logger *lg)
{
	struct file_buf fb;
	enum file_error fe = file_read_all(path, DEVICE_PASSWORD_FILE_MAX, &fb);
	size_t n;
	char *pw;

	if (fe == FILE_ERR_EMPTY) {
		log_error(lg, "password file '%s' is empty: write the password on its first line",
			  path);
		return NULL;
	}
	if (fe != FILE_OK) {
		log_error(lg, "cannot read password file '%s': %s: check the path given with "
			      "--password-file",
			  path, fe == FILE_ERR_OPEN || fe == FILE_ERR_READ ? strerror(errno)
									   : file_strerror(fe));
		return NULL;
	}
	n = 0;
	while (n < fb.len && fb.data[n] != '\n')
		n++;
	while (n > 0 && fb.data[n - 1] == '\r')
		n--;
	if (n == 0 || memchr(fb.data, '\0', n)) {
		explicit_bzero(fb.data, fb.len);
		file_buf_free(&fb);
		log_error(lg, "password file '%s' has %s first line: write the password on its "
			      "first line",
			  path, n == 0 ? "an empty" : "a NUL byte in its");
		return NULL;
	}
	pw = malloc(n + 1);
	if (pw) {
		memcpy(pw, fb.data, n);
		pw[n] = '\0';
	} else {
		log_error(lg, "out of memory");
	}
	explicit_bzero(fb.data, fb.len);
	file_buf_free(&fb);
	return pw;
}

int device_password_pick(const char *option, const char *file, const char *env, char **out,
			 const struct logger *lg)
{
	const char *from = NULL;

	*out = NULL;
	if (option)
		from = option;
	else if (file)
		return (*out = first_line(file, lg)) ? 0 : -1;
	else if (env && *env)
		from = env;
	if (!from)
		return 0;
	*out = device_password_copy(from);
	if (!*out) {
		log_error(lg, "out of memory");
		return -1;
	}
	return 0;
}
