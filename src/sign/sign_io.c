/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "sign_io.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

/* What path is, for a message about a file that is not a regular one. */
static const char *file_kind(const char *path)
{
	struct stat sb;

	if (stat(path, &sb) != 0)
		return "gone";
	if (S_ISDIR(sb.st_mode))
		return "a directory";
	if (S_ISFIFO(sb.st_mode))
		return "a FIFO";
	if (S_ISCHR(sb.st_mode))
		return "a character device";
	if (S_ISBLK(sb.st_mode))
		return "a block device";
	if (S_ISSOCK(sb.st_mode))
		return "a socket";
	return "a special file";
}

/* The message for a file that could not be read or mapped. */
static enum sign_error read_failed(enum file_error fe, const char *path, size_t max,
                                   const char *option, struct sign_status *st)
{
	switch (fe) {
	case FILE_OK:
		return SIGN_OK;
	case FILE_ERR_OPEN:
	case FILE_ERR_READ:
		return sign_fail(st, SIGN_ERR_READ, "cannot read '%s': %s; check the %s path", path,
		                 strerror(errno), option);
	case FILE_ERR_NOT_REGULAR:
		return sign_fail(st, SIGN_ERR_READ,
		                 "cannot read '%s': not a regular file (%s); check the %s path", path,
		                 file_kind(path), option);
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

enum sign_error sign_read(const char *path, size_t max, const char *option, struct file_buf *out,
                          struct sign_status *st)
{
	return read_failed(file_read_all(path, max, out), path, max, option, st);
}

enum sign_error sign_map(const char *path, size_t max, const char *option, struct file_map *out,
                         struct sign_status *st)
{
	return read_failed(file_map(path, max, out), path, max, option, st);
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

bool sign_same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return strcmp(a, b) == 0 || (stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
	                             sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino);
}

enum sign_error sign_check_output(const char *out, const char *option, const char *in,
                                  struct sign_status *st)
{
	char dir[4096];
	struct stat so;

	sign_dirname(out, dir, sizeof(dir));
	if (stat(dir, &so) != 0 || !S_ISDIR(so.st_mode))
		return sign_fail(st, SIGN_ERR_OUT_DIR,
		                 "cannot write '%s': directory '%s' does not exist; create it or "
		                 "fix the %s path",
		                 out, dir, option);
	if (in && sign_same_file(out, in))
		return sign_fail(
		    st, SIGN_ERR_OUT_IS_IN,
		    "refusing to write '%s': it is the input image '%s'; give %s another path", out,
		    in, option);
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

/* A second name for the old file at path ("PATH.oldXXXXXX"), so it can be
 * put back: a hard link, or where the filesystem has none, a copy. */
static enum file_error keep_old(const char *path, char **bak)
{
	static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	size_t plen = strlen(path);
	struct file_buf old;
	struct stat sb;
	enum file_error fe;

	*bak = malloc(plen + 16);
	if (!*bak)
		return FILE_ERR_NOMEM;
	for (int tries = 0; tries < 16; tries++) {
		uint8_t r[6];

		if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
			break;
		snprintf(*bak, plen + 16, "%s.old", path);
		for (size_t i = 0; i < sizeof(r); i++)
			(*bak)[plen + 4 + i] = digits[r[i] % (sizeof(digits) - 1)];
		(*bak)[plen + 10] = '\0';
		if (link(path, *bak) == 0)
			return FILE_OK;
		if (errno != EEXIST)
			break;
	}
	free(*bak);
	*bak = NULL;
	if (stat(path, &sb) != 0)
		return FILE_ERR_OPEN;
	fe = file_read_all(path, (size_t)sb.st_size + 1, &old);
	if (fe == FILE_ERR_EMPTY) {
		old.data = NULL;
		old.len = 0;
	} else if (fe != FILE_OK) {
		return fe;
	}
	fe = file_write_temp(path, old.data, old.len, sb.st_mode & 07777, bak);
	file_buf_free(&old);
	return fe;
}

enum sign_error sign_write_all(const struct sign_output *outs, size_t n, mode_t mode,
                               struct sign_status *st)
{
	char *tmp[SIGN_OUTPUTS_MAX] = {0}, *bak[SIGN_OUTPUTS_MAX] = {0};
	struct stat sb;
	size_t done = 0;
	enum file_error fe;
	int saved;

	if (n > SIGN_OUTPUTS_MAX)
		return sign_fail(st, SIGN_ERR_USAGE, "too many outputs");
	/* Every output whole on disk beside its place before any is renamed. */
	for (size_t i = 0; i < n; i++) {
		fe = file_write_temp_parts(outs[i].path, outs[i].parts, outs[i].nparts, mode, &tmp[i]);
		if (fe != FILE_OK) {
			saved = errno;
			sign_fail(st, fe == FILE_ERR_NOMEM ? SIGN_ERR_NOMEM : SIGN_ERR_WRITE,
			          "cannot write '%s': %s; check the %s path and free space",
			          outs[i].path, strerror(saved), outs[i].option);
			goto undo;
		}
	}
	/* A failed rename must be able to put back what an earlier one replaced:
	 * keep a second name for each old file but the last one's. */
	for (size_t i = 0; i + 1 < n; i++) {
		if (lstat(outs[i].path, &sb) != 0)
			continue;
		fe = keep_old(outs[i].path, &bak[i]);
		if (fe != FILE_OK) {
			saved = errno;
			sign_fail(st, SIGN_ERR_WRITE,
			          "cannot replace '%s': no copy of the old file could be kept (%s); "
			          "move it away and sign again",
			          outs[i].path, strerror(saved));
			goto undo;
		}
	}
	for (; done < n; done++) {
		if (rename(tmp[done], outs[done].path) != 0) {
			saved = errno;
			sign_fail(st, SIGN_ERR_WRITE,
			          "cannot write '%s': %s; check the %s path (no output was changed)",
			          outs[done].path, strerror(saved), outs[done].option);
			goto undo;
		}
		free(tmp[done]);
		tmp[done] = NULL;
	}
	for (size_t i = 0; i < n; i++) {
		if (bak[i])
			unlink(bak[i]);
		free(bak[i]);
	}
	return SIGN_OK;
undo:
	/* Back to the files as they were: the old one, or none. */
	for (size_t i = 0; i < done; i++) {
		size_t len = strlen(st->msg);

		if (!bak[i])
			unlink(outs[i].path);
		else if (rename(bak[i], outs[i].path) != 0)
			snprintf(st->msg + len, sizeof(st->msg) - len,
			         "; the old '%s' could not be put back and is kept as '%s'",
			         outs[i].path, bak[i]);
		free(bak[i]); /* put back, or kept on disk under that name */
		bak[i] = NULL;
	}
	for (size_t i = 0; i < n; i++) {
		if (tmp[i]) {
			unlink(tmp[i]);
			free(tmp[i]);
		}
		if (bak[i]) {
			unlink(bak[i]);
			free(bak[i]);
		}
	}
	return st->code;
}
