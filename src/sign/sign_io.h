/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* File input and output for the signer, with messages that name the file:
 * checked reads, output path checks, all-or-nothing writes. */
#ifndef ESPOTA_SIGN_IO_H
#define ESPOTA_SIGN_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "file.h"
#include "sign_error.h"

/* The largest image the tools accept: the largest ESP8266 flash. */
#define SIGN_IMAGE_MAX (16u * 1024 * 1024)

/* Reads a whole file of 1..max bytes; option names the command-line
 * option it came from (for the hint), e.g. "--bin". */
enum sign_error sign_read(const char *path, size_t max, const char *option, struct file_buf *out,
                          struct sign_status *st);
/* The same, mapped read-only (file_unmap it). */
enum sign_error sign_map(const char *path, size_t max, const char *option, struct file_map *out,
                         struct sign_status *st);

/* Mode a newly created file gets: 0666 less the umask, as open(2) gives. */
mode_t sign_new_file_mode(void);

/* The directory part of path ("." when there is none) into dir. */
void sign_dirname(const char *path, char *dir, size_t dirlen);

/* True when a and b name one file: the same path, or the same inode
 * (another path to it, a hard link, a symlink). */
bool sign_same_file(const char *a, const char *b);

/* Checks that out can be written: its directory exists and it is not the
 * same file as in (in may be NULL). option names out's option. */
enum sign_error sign_check_output(const char *out, const char *option, const char *in,
                                  struct sign_status *st);

/* Creates dir and its missing parents (mkdir -p). */
enum sign_error sign_mkdirs(const char *dir, struct sign_status *st);

/* Writes data to path whole or not at all (temporary file + rename). */
enum sign_error sign_write(const char *path, const void *data, size_t len, mode_t mode,
                           struct sign_status *st);

/* One file of a set that is written together, as the parts it is made of. */
struct sign_output {
	const char *path;
	const char *option; /* its command-line option, for messages */
	struct iovec parts[3];
	size_t nparts;
};
#define SIGN_OUTPUTS_MAX 2

/* Writes all n outputs or none, and never loses an old file: each goes to
 * a temporary file beside it, then all are renamed into place; when a
 * rename fails, those already renamed get their old file back (or are
 * removed when there was none). */
enum sign_error sign_write_all(const struct sign_output *outs, size_t n, mode_t mode,
                               struct sign_status *st);

#endif
