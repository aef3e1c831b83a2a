/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "sign_io.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum sign_error sign_read(const char *path, size_t max, const char *option, struct file_buf *out,
                          struct sign_status *st)
{
	enum file_error fe = file_read_all(path, max, out);

	switch (fe) {
	case FILE_OK:
		return SIGN_OK;
	case FILE_ERR_OPEN:
	case FILE_ERR_READ:
		return sign_fail(st, SIGN_ERR_READ, "cannot read '%s': %s; check the %s path", path,
		                 strerror(errno), option);
	case FILE_ERR_NOT_REGULAR:
		return sign_fail(st, SIGN_ERR_READ,
		                 "cannot read '%s': not a regular file; check the %s path", path,
		                 option);
	case FILE_ERR_EMPTY:
		return sign_fail(st, SIGN_ERR_EMPTY, "'%s' is empty; give %s a built image", path,
		                 option);
	case FILE_ERR_TOO_BIG:
		return sign_fail(
		    st, SIGN_ERR_TOO_BIG,
		    "'%s' is larger than %zu bytes; no ESP8266 flash holds it, check the %s path",
		    path, max, option);
	case FILE_ERR_NOMEM:
		return sign_fail(st, SIGN_ERR_NOMEM, "out of memory reading '%s'", path);
	case FILE_ERR_WRITE:
		break;
	}
	return sign_fail(st, SIGN_ERR_READ, "cannot read '%s': %s", path, file_strerror(fe));
}

mode_t sign_new_file_mode(void)
{
	/* umask can only be read by setting it; put it straight back. */
	mode_t mask = umask(022);

	umask(mask);
	return (mode_t)(0666 & ~mask);
}

void sign_dirname(const char *path, char *dir, size_t dirlen)
{
	const char *slash = strrchr(path, '/');
	size_t n;

	if (!slash) {
		snprintf(dir, dirlen, ".");
		return;
	}
	n = (size_t)(slash - path);
	if (n == 0)
		n = 1; /* "/file" lives in "/" */
	if (n >= dirlen)
		n = dirlen - 1;
	memcpy(dir, path, n);
	dir[n] = '\0';
}

enum sign_error sign_check_output(const char *out, const char *option, const char *in,
                                  struct sign_status *st)
{
	char dir[4096];
	struct stat so, si;

	sign_dirname(out, dir, sizeof(dir));
	if (stat(dir, &so) != 0 || !S_ISDIR(so.st_mode))
		return sign_fail(st, SIGN_ERR_OUT_DIR,
		                 "cannot write '%s': directory '%s' does not exist; create it or "
		                 "fix the %s path",
		                 out, dir, option);
	if (in && (strcmp(out, in) == 0 || (stat(out, &so) == 0 && stat(in, &si) == 0 &&
	                                    so.st_dev == si.st_dev && so.st_ino == si.st_ino)))
		return sign_fail(
		    st, SIGN_ERR_OUT_IS_IN,
		    "refusing to write '%s': it is the input image; give %s another path", out,
		    option);
	if (stat(out, &so) == 0 && S_ISDIR(so.st_mode))
		return sign_fail(st, SIGN_ERR_WRITE,
		                 "cannot write '%s': it is a directory; fix the %s path", out,
		                 option);
	return SIGN_OK;
}

enum sign_error sign_mkdirs(const char *dir, struct sign_status *st)
{
	char buf[4096];
	size_t len = strlen(dir);
	struct stat sb;

	if (len == 0 || len >= sizeof(buf))
		return sign_fail(st, SIGN_ERR_WRITE, "cannot create directory '%s': bad path", dir);
	memcpy(buf, dir, len + 1);
	/* Create each prefix in turn; existing ones are fine. */
	for (size_t i = 1; i <= len; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, 0777) != 0 && errno != EEXIST)
			return sign_fail(st, SIGN_ERR_WRITE, "cannot create directory '%s': %s",
			                 buf, strerror(errno));
		buf[i] = i == len ? '\0' : '/';
	}
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return sign_fail(st, SIGN_ERR_WRITE,
		                 "cannot create directory '%s': a file is in the way", dir);
	return SIGN_OK;
}

enum sign_error sign_write(const char *path, const void *data, size_t len, mode_t mode,
                           struct sign_status *st)
{
	enum file_error fe = file_write_atomic(path, data, len, mode);

	if (fe == FILE_OK)
		return SIGN_OK;
	if (fe == FILE_ERR_NOMEM)
		return sign_fail(st, SIGN_ERR_NOMEM, "out of memory writing '%s'", path);
	return sign_fail(st, SIGN_ERR_WRITE,
	                 "cannot write '%s': %s; check the directory and free space", path,
	                 strerror(errno));
}
