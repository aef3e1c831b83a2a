/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
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

enum file_error file_map(const char *path, size_t max, struct file_map *out)
{
	struct stat st;
	void *p;
	int fd, saved;

	out->data = NULL;
	out->len = 0;
	/* as file_read_all: no open() of a FIFO or a device */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		errno = EINVAL;
		return FILE_ERR_NOT_REGULAR;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return FILE_ERR_OPEN;
	if (fstat(fd, &st) != 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return FILE_ERR_READ;
	}
	if (!S_ISREG(st.st_mode) || st.st_size == 0 || (uint64_t)st.st_size > max) {
		close(fd);
		errno = EINVAL;
		return !S_ISREG(st.st_mode) ? FILE_ERR_NOT_REGULAR
		       : st.st_size == 0   ? FILE_ERR_EMPTY
					   : FILE_ERR_TOO_BIG;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	saved = errno;
	close(fd);
	if (p == MAP_FAILED) {
		errno = saved;
		return FILE_ERR_READ;
	}
	out->data = p;
	out->len = (size_t)st.st_size;
	return FILE_OK;
}

void file_unmap(struct file_map *map)
{
	if (map->data)
		munmap((void *)(uintptr_t)map->data, map->len);
	map->data = NULL;
	map->len = 0;
}

enum file_error file_write_temp(const char *path, const void *data, size_t len, mode_t mode,
				char **tmp_out)
{
	struct iovec part = { (void *)(uintptr_t)data, len };

	return file_write_temp_parts(path, &part, 1, mode, tmp_out);
}

enum file_error file_write_temp_parts(const char *path, const struct iovec *parts, size_t n,
				      mode_t mode, char **tmp_out)
{
	size_t plen = strlen(path), i = 0, off = 0;
	char *tmp = malloc(plen + 16);
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
	/* part i from byte off on is still to write */
	for (;;) {
		struct iovec v[8];
		int k = 0;
		ssize_t w;
		size_t left;

		while (i < n && parts[i].iov_len == off) {
			i++;
			off = 0;
		}
		if (i == n)
			break;
		for (size_t j = i; j < n && k < 8; j++, k++) {
			size_t skip = j == i ? off : 0;

			v[k].iov_base = (uint8_t *)parts[j].iov_base + skip;
			v[k].iov_len = parts[j].iov_len - skip;
		}
		w = writev(fd, v, k);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			goto fail;
		}
		for (left = (size_t)w; left > 0;) {
			size_t rem = parts[i].iov_len - off;

			if (left < rem) {
				off += left;
				break;
			}
			left -= rem;
			i++;
			off = 0;
		}
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
