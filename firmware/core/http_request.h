/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The request line and headers of one HTTP/1.x request, as the device's
 * web updater reads them (docs/protocol/http-update.md §B): fed whatever
 * bytes TCP delivers, split anywhere, into a fixed struct. No allocation;
 * every field and line has a bound, and a request past one is refused with
 * the status that says which (414, 431, 413...). Only the headers the web
 * updater acts on are kept; the others are checked for shape and dropped.
 * The body is not read here: the parser stops at the blank line and says
 * how many of the fed bytes it took, the rest is the body's start.
 */
#ifndef ESPOTA_FW_HTTP_REQUEST_H
#define ESPOTA_FW_HTTP_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP_LINE_MAX 1024u      /* one request or header line, CRLF excluded */
#define HTTP_HEADERS_MAX 64u     /* header lines per request */
#define HTTP_HEAD_BYTES_MAX 8192u /* request line and headers together */
#define HTTP_PATH_MAX 128u       /* the path, query excluded */
#define HTTP_QUERY_MAX 128u
#define HTTP_AUTH_MAX 640u       /* a Digest Authorization line fits */
#define HTTP_CTYPE_MAX 256u
#define HTTP_ORIGIN_MAX 128u
#define HTTP_BODY_MAX 0x7FFFFFFFu /* the largest Content-Length taken */

enum http_method {
	HTTP_METHOD_OTHER, /* parsed, answered 405 or 501 by the caller */
	HTTP_METHOD_GET,
	HTTP_METHOD_HEAD,
	HTTP_METHOD_POST,
	HTTP_METHOD_OPTIONS,
};

enum http_req_state {
	HTTP_REQ_MORE,  /* feed more bytes */
	HTTP_REQ_DONE,  /* the headers are complete: the rest is the body */
	HTTP_REQ_ERROR, /* refused: status and reason say why */
};

struct http_request {
	/* what the request said */
	enum http_method method;
	char method_text[16];
	char path[HTTP_PATH_MAX + 1];   /* percent-escapes kept as sent */
	char query[HTTP_QUERY_MAX + 1]; /* after '?', "" when none */
	uint8_t version_minor;          /* HTTP/1.0 or HTTP/1.1 */
	bool has_length;
	uint32_t content_length;
	bool expect_continue;           /* Expect: 100-continue */
	bool close;                     /* Connection: close, or HTTP/1.0 without keep-alive */
	char authorization[HTTP_AUTH_MAX + 1];
	char content_type[HTTP_CTYPE_MAX + 1];
	char origin[HTTP_ORIGIN_MAX + 1];
	char x_md5[33];                 /* X-MD5: 32 hex digits, "" when none */
	char x_sha256[65];              /* X-SHA256: 64 hex digits, "" when none */

	/* the refusal: an HTTP status and a short reason for the body */
	uint16_t status;
	const char *reason;

	/* parser state */
	enum http_req_state state;
	bool keep_alive; /* Connection: keep-alive seen (for HTTP/1.0) */
	uint32_t head_bytes;
	uint16_t lines;
	uint16_t line_len;
	bool line_cr; /* the last byte of the line so far was CR */
	char line[HTTP_LINE_MAX + 1];
};

void http_request_init(struct http_request *r);

/* Feeds len bytes. Returns how many were taken: all of them while the
 * state is HTTP_REQ_MORE; when the headers end, the count up to and with
 * the blank line (the body starts after it). */
size_t http_request_feed(struct http_request *r, const uint8_t *in, size_t len);

/* The value of parameter name in a query string "a=1&b=2" into out (cap
 * bytes, NUL included), as sent (no percent-decoding). True when found
 * and it fits. */
bool http_query_param(const char *query, const char *name, char *out, size_t cap);

/* True when a and b are the same string ignoring ASCII letter case. */
bool http_token_eq(const char *a, const char *b);

#endif
