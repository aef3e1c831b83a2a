/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Checked whole-file reading and all-or-nothing writing. */
#ifndef ESPOTA_COMMON_FILE_H
#define ESPOTA_COMMON_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

enum file_error {
	FILE_OK = 0,
	FILE_ERR_OPEN = 1,    /* errno tells why */
	FILE_ERR_READ = 2,    /* errno tells why */
	FILE_ERR_TOO_BIG = 3, /* larger than the caller's limit */
	FILE_ERR_EMPTY = 4,
	FILE_ERR_NOMEM = 5,
	FILE_ERR_WRITE = 6,   /* errno tells why */
	FILE_ERR_NOT_REGULAR = 7,
};

struct file_buf {
	uint8_t *data;
	size_t len;
};

/* Reads a regular file of 1..max bytes into a new buffer (free with
 * file_buf_free). On failure errno is kept from the failing call. */
enum file_error file_read_all(const char *path, size_t max, struct file_buf *out);
void file_buf_free(struct file_buf *buf);

/* A regular file of 1..max bytes mapped read-only (file_unmap it): one
 * pass over the bytes with no copy. Refused and errno kept as for
 * file_read_all. The file must not shrink while mapped. */
struct file_map {
	const uint8_t *data;
	size_t len;
};
enum file_error file_map(const char *path, size_t max, struct file_map *out);
void file_unmap(struct file_map *map);

/* Writes a file so that it either appears whole or not at all: a temporary
 * file in the same directory, fsync, then rename over path. */
enum file_error file_write_atomic(const char *path, const void *data, size_t len, mode_t mode);

/* The first half of file_write_atomic: data, whole and synced, in a new
 * file "PATH.tmpXXXXXX" beside path, whose name goes to *tmp (free it).
 * The caller renames it into place or unlinks it. */
enum file_error file_write_temp(const char *path, const void *data, size_t len, mode_t mode,
				char **tmp);
/* The same for a file made of n parts, written with writev (no joined copy). */
enum file_error file_write_temp_parts(const char *path, const struct iovec *parts, size_t n,
				      mode_t mode, char **tmp);

bool file_exists(const char *path);
const char *file_strerror(enum file_error err);

#endif
