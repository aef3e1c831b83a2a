/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "gzip.h"

#include <limits.h>
#include <stdlib.h>

#include <zlib.h>

#include "gzip_write.h"

bool gzip_is_gzip(const uint8_t *data, size_t len)
{
	return len >= 2 && data[0] == 0x1f && data[1] == 0x8b;
}

enum sign_error gzip_compress(const uint8_t *in, size_t len, struct file_buf *out)
{
	switch (gzip_write(in, len, &out->data, &out->len)) {
	case GZIP_WRITE_OK:
		return SIGN_OK;
	case GZIP_WRITE_NOMEM:
		return SIGN_ERR_NOMEM;
	case GZIP_WRITE_ENCODER:
		break;
	}
	return SIGN_ERR_GZIP;
}

enum sign_error gzip_inflate(const uint8_t *in, size_t len, size_t max, struct file_buf *out)
{
	z_stream zs = {0};
	size_t cap = max < 65536 ? max : 65536;
	int rc;

	out->data = NULL;
	out->len = 0;
	if (len > UINT_MAX || inflateInit2(&zs, 15 + 16) != Z_OK)
		return SIGN_ERR_GZIP;
	out->data = malloc(cap);
	if (!out->data) {
		inflateEnd(&zs);
		return SIGN_ERR_NOMEM;
	}
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = (uInt)len;
	do {
		if (out->len == cap) {
			uint8_t *bigger, spare;

			if (cap >= max) {
				/* full: only the trailer may be left, or it goes past max */
				zs.next_out = &spare;
				zs.avail_out = 1;
				rc = inflate(&zs, Z_NO_FLUSH);
				if (rc == Z_STREAM_END && zs.avail_out == 1)
					break;
				inflateEnd(&zs);
				file_buf_free(out);
				return rc == Z_OK || rc == Z_STREAM_END ? SIGN_ERR_TOO_BIG : SIGN_ERR_GZIP;
			}
			cap = cap * 2 > max ? max : cap * 2;
			bigger = realloc(out->data, cap);
			if (!bigger) {
				inflateEnd(&zs);
				file_buf_free(out);
				return SIGN_ERR_NOMEM;
			}
			out->data = bigger;
		}
		zs.next_out = out->data + out->len;
		zs.avail_out = (uInt)(cap - out->len);
		rc = inflate(&zs, Z_NO_FLUSH);
		out->len = cap - zs.avail_out;
	} while (rc == Z_OK);
	inflateEnd(&zs);
	if (rc != Z_STREAM_END) {
		file_buf_free(out);
		return SIGN_ERR_GZIP;
	}
	return SIGN_OK;
}
