/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A multipart/form-data body (RFC 7578 over RFC 2046), read as it arrives:
 * the bytes may be split anywhere, and each part's data goes to a sink the
 * moment it is known not to be the start of the next delimiter. No
 * allocation and no copy of the data: the only bytes ever held back are a
 * prefix of the delimiter itself, which the reader knows. Part headers and
 * the boundary have bounds; a body past one is refused with a code.
 *
 * The delimiter is CRLF "--" boundary. A part's data can hold any bytes
 * but that sequence; the body's end is the delimiter followed by "--".
 */
#ifndef ESPOTA_FW_MULTIPART_H
#define ESPOTA_FW_MULTIPART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MULTIPART_BOUNDARY_MAX 70u   /* RFC 2046's limit */
#define MULTIPART_LINE_MAX 512u      /* one part header line */
#define MULTIPART_HEADERS_MAX 8u     /* header lines per part */
#define MULTIPART_NAME_MAX 64u       /* a field name */
#define MULTIPART_FILENAME_MAX 128u  /* a file name, cut to this */

enum multipart_error {
	MULTIPART_OK = 0,
	MULTIPART_ERR_BOUNDARY = 1,     /* no usable boundary in the Content-Type */
	MULTIPART_ERR_LINE = 2,         /* a part header line is too long */
	MULTIPART_ERR_HEADERS = 3,      /* too many part header lines */
	MULTIPART_ERR_MALFORMED = 4,    /* bytes after a delimiter that are not CRLF or "--" */
	MULTIPART_ERR_NAME = 5,         /* a field name too long */
	MULTIPART_ERR_SINK = 6,         /* the sink refused (its own reason) */
	MULTIPART_ERR_TRUNCATED = 7,    /* the body ended before the closing delimiter */
};

enum multipart_state {
	MULTIPART_MORE,  /* feed more bytes */
	MULTIPART_DONE,  /* the closing delimiter was read (the epilogue is skipped) */
	MULTIPART_ERROR, /* refused: error says why */
};

struct multipart_part {
	char name[MULTIPART_NAME_MAX + 1];         /* Content-Disposition name= */
	char filename[MULTIPART_FILENAME_MAX + 1]; /* filename=, cut to fit */
	bool has_filename;                         /* a file part (filename= or filename*=) */
};

/* Called as the body is read; a nonzero return stops it with
 * MULTIPART_ERR_SINK. data is valid only during the call. */
struct multipart_sink {
	void *ctx;
	int (*part_begin)(void *ctx, const struct multipart_part *part);
	int (*part_data)(void *ctx, const uint8_t *data, size_t len);
	int (*part_end)(void *ctx);
};

struct multipart {
	enum multipart_state state;
	enum multipart_error error;
	const struct multipart_sink *sink;
	uint8_t phase;  /* where in the grammar the reader is (multipart.c) */
	uint8_t delim[4 + MULTIPART_BOUNDARY_MAX]; /* CR LF '-' '-' boundary */
	uint8_t delim_len;
	uint8_t match;  /* delim[0..match) seen and held back */
	uint8_t header_lines;
	uint16_t line_len;
	bool line_cr;
	bool in_part;
	struct multipart_part part;
	char line[MULTIPART_LINE_MAX + 1];
};

/* The boundary of a "multipart/form-data; boundary=..." Content-Type
 * (quoted or not) into out (cap bytes, NUL included). True when the type
 * is multipart/form-data and the boundary is 1 to 70 of RFC 2046's
 * characters, not ending in a space. */
bool multipart_boundary(const char *content_type, char *out, size_t cap);

/* Starts a reader for boundary (as multipart_boundary gives it). Returns
 * MULTIPART_OK or MULTIPART_ERR_BOUNDARY. */
enum multipart_error multipart_init(struct multipart *m, const char *boundary,
				    const struct multipart_sink *sink);

/* Feeds len body bytes; returns how many were taken (all, unless the state
 * became MULTIPART_ERROR). */
size_t multipart_feed(struct multipart *m, const uint8_t *in, size_t len);

/* The body has ended: MULTIPART_OK when the closing delimiter was read,
 * else the error (MULTIPART_ERR_TRUNCATED when it never came). */
enum multipart_error multipart_finish(struct multipart *m);

const char *multipart_strerror(enum multipart_error err);

#endif
