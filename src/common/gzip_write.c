/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "gzip_write.h"

#include <stdlib.h>

#include <libdeflate.h>

const char *gzip_write_strerror(enum gzip_write_error err)
{
	switch (err) {
	case GZIP_WRITE_OK:
		return "no error";
	case GZIP_WRITE_NOMEM:
		return "out of memory";
	case GZIP_WRITE_ENCODER:
		return "libdeflate failed";
	}
	return "unknown error";
}

enum gzip_write_error gzip_write(const uint8_t *in, size_t len, uint8_t **out, size_t *outlen)
{
	struct libdeflate_compressor *c = libdeflate_alloc_compressor(GZIP_WRITE_LEVEL);
	size_t cap, n;

	*out = NULL;
	*outlen = 0;
	if (!c)
		return GZIP_WRITE_NOMEM;
	/* One call over the whole image: libdeflate's block splitting and
	 * optimal parsing see all of it. The bound makes the output fit. */
	cap = libdeflate_gzip_compress_bound(c, len);
	*out = malloc(cap);
	if (!*out) {
		libdeflate_free_compressor(c);
		return GZIP_WRITE_NOMEM;
	}
	n = libdeflate_gzip_compress(c, in, len, *out, cap);
	libdeflate_free_compressor(c);
	if (n == 0) {
		free(*out);
		*out = NULL;
		return GZIP_WRITE_ENCODER;
	}
	*outlen = n;
	return GZIP_WRITE_OK;
}
