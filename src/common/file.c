/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum file_error file_read_all(const char *path, size_t max, struct file_buf *out)
{
	struct stat st;
	enum file_error err = FILE_OK;
	int fd;

	out->data = NULL;
	out->len = 0;
	/* Refuse a FIFO or a device before opening it (opening one may block
	 * or act); O_NONBLOCK covers a file swapped in between, and fstat
	 * below refuses it. Reads of a regular file ignore O_NONBLOCK. */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		errno = EINVAL;
		return FILE_ERR_NOT_REGULAR;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return FILE_ERR_OPEN;
	if (fstat(fd, &st) != 0) {
		err = FILE_ERR_READ;
	} else if (!S_ISREG(st.st_mode)) {
		err = FILE_ERR_NOT_REGULAR;
	} else if (st.st_size == 0) {
		err = FILE_ERR_EMPTY;
	} else if ((uint64_t)st.st_size > max) {
		err = FILE_ERR_TOO_BIG;
	} else if (!(out->data = malloc((size_t)st.st_size))) {
		err = FILE_ERR_NOMEM;
	} else {
		size_t want = (size_t)st.st_size;

		while (out->len < want) {
			ssize_t n = read(fd, out->data + out->len, want - out->len);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				if (n == 0)
					errno = EIO; /* shrank while reading */
				err = FILE_ERR_READ;
				break;
			}
			out->len += (size_t)n;
		}
	}
	if (err != FILE_OK) {
		int saved = errno;

		file_buf_free(out);
		close(fd);
		errno = saved;
		return err;
	}
	close(fd);
	return FILE_OK;
}

void file_buf_free(struct file_buf *buf)
{
	free(buf->data);
	buf->data = NULL;
	buf->len = 0;
}

enum file_error file_write_temp(const char *path, const void *data, size_t len, mode_t mode,
				char **tmp_out)
{
	size_t plen = strlen(path);
	char *tmp = malloc(plen + 16);
	const uint8_t *p = data;
	int fd, saved;

	*tmp_out = NULL;
	if (!tmp)
		return FILE_ERR_NOMEM;
	snprintf(tmp, plen + 16, "%s.tmpXXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		saved = errno;
		free(tmp);
		errno = saved;
		return FILE_ERR_WRITE;
	}
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		p += n;
		len -= (size_t)n;
	}
	if (fchmod(fd, mode) != 0 || fsync(fd) != 0 || close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	*tmp_out = tmp;
	return FILE_OK;
fail:
	saved = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	errno = saved;
	return FILE_ERR_WRITE;
}

enum file_error file_write_atomic(const char *path, const void *data, size_t len, mode_t mode)
{
	char *tmp;
	enum file_error err = file_write_temp(path, data, len, mode, &tmp);
	int saved;

	if (err != FILE_OK)
		return err;
	if (rename(tmp, path) != 0) {
		saved = errno;
		unlink(tmp);
		free(tmp);
		errno = saved;
		return FILE_ERR_WRITE;
	}
	free(tmp);
	return FILE_OK;
}

bool file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

const char *file_strerror(enum file_error err)
{
	switch (err) {
	case FILE_OK:
		return "no error";
	case FILE_ERR_OPEN:
		return "cannot open";
	case FILE_ERR_READ:
		return "cannot read";
	case FILE_ERR_TOO_BIG:
		return "file too large";
	case FILE_ERR_EMPTY:
		return "file is empty";
	case FILE_ERR_NOMEM:
		return "out of memory";
	case FILE_ERR_WRITE:
		return "cannot write";
	case FILE_ERR_NOT_REGULAR:
		return "not a regular file";
	}
	return "unknown error";
}
