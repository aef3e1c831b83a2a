/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gzip in memory: compress with libdeflate at level 12 (src/common
 * gzip_write: no name, no time stamp), and inflate with zlib for
 * inspection. */
#ifndef ESPOTA_SIGN_GZIP_H
#define ESPOTA_SIGN_GZIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "file.h"
#include "sign_error.h"

/* True when data starts with the gzip magic 1f 8b (docs/protocol/image-and-flash.md §4). */
bool gzip_is_gzip(const uint8_t *data, size_t len);

enum sign_error gzip_compress(const uint8_t *in, size_t len, struct file_buf *out);
/* Inflates a whole gzip member; fails with SIGN_ERR_GZIP on bad data,
 * SIGN_ERR_TOO_BIG when the first max bytes inflate fine and more
 * follow, SIGN_ERR_NOMEM when memory runs out. */
enum sign_error gzip_inflate(const uint8_t *in, size_t len, size_t max, struct file_buf *out);

#endif
