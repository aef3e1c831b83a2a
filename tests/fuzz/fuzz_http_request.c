/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target for the web updater's request-head parser
 * (http_request.c). The first byte picks a split point: the parse in two
 * pieces must equal the parse in one, and a finished parse keeps every
 * field within its bounds. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http_request.h"

static void check_bounds(const struct http_request *r)
{
	if (strlen(r->path) > HTTP_PATH_MAX || strlen(r->query) > HTTP_QUERY_MAX ||
	    strlen(r->authorization) > HTTP_AUTH_MAX || strlen(r->content_type) > HTTP_CTYPE_MAX ||
	    strlen(r->origin) > HTTP_ORIGIN_MAX || (r->x_md5[0] && strlen(r->x_md5) != 32) ||
	    (r->x_sha256[0] && strlen(r->x_sha256) != 64) || r->content_length > HTTP_BODY_MAX)
		abort();
	if (r->state == HTTP_REQ_DONE && r->path[0] != '/')
		abort();
	if (r->state == HTTP_REQ_ERROR && (r->status < 400 || r->status > 505 || !r->reason))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct http_request whole, split;
	size_t k, a, b;

	if (size < 1)
		return 0;
	k = data[0] % size;
	data++;
	size--;
	http_request_init(&whole);
	a = http_request_feed(&whole, data, size);
	http_request_init(&split);
	b = http_request_feed(&split, data, k < size ? k : size);
	if (split.state == HTTP_REQ_MORE)
		b += http_request_feed(&split, data + b, size - b);
	if (a > size || a != b || whole.state != split.state || whole.status != split.status ||
	    whole.content_length != split.content_length || strcmp(whole.path, split.path) != 0 ||
	    strcmp(whole.authorization, split.authorization) != 0)
		abort();
	if (whole.state == HTTP_REQ_MORE && a != size)
		abort();
	check_bounds(&whole);
	return 0;
}
