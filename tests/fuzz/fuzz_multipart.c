/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target for the multipart reader (multipart.c). The first byte
 * picks a piece size: the body read in pieces must give the sink exactly
 * the bytes and parts it gives when read whole, never more data than the
 * body holds, and calls in a valid order. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "multipart.h"

struct tally {
	uint32_t hash;
	size_t bytes;
	int parts, ends;
	int open;
};

static int begin(void *ctx, const struct multipart_part *p)
{
	struct tally *t = ctx;

	if (t->open || strlen(p->name) > MULTIPART_NAME_MAX)
		abort();
	t->open = 1;
	t->parts++;
	return 0;
}

static int data_cb(void *ctx, const uint8_t *d, size_t n)
{
	struct tally *t = ctx;

	if (!t->open || n == 0)
		abort();
	for (size_t i = 0; i < n; i++)
		t->hash = (t->hash ^ d[i]) * 16777619u;
	t->bytes += n;
	return 0;
}

static int end_cb(void *ctx)
{
	struct tally *t = ctx;

	if (!t->open)
		abort();
	t->open = 0;
	t->ends++;
	return 0;
}

static enum multipart_error run(const uint8_t *body, size_t size, size_t piece, struct tally *t)
{
	static struct multipart m;
	struct multipart_sink sink = { t, begin, data_cb, end_cb };
	size_t pos = 0;

	memset(t, 0, sizeof(*t));
	t->hash = 2166136261u;
	multipart_init(&m, "q-b", &sink);
	while (pos < size && m.state == MULTIPART_MORE) {
		size_t n = size - pos < piece ? size - pos : piece;
		size_t taken = multipart_feed(&m, body + pos, n);

		if (taken > n || (m.state != MULTIPART_ERROR && taken != n))
			abort();
		pos += n;
	}
	return multipart_finish(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tally whole, pieces;
	enum multipart_error a, b;

	if (size < 1)
		return 0;
	a = run(data + 1, size - 1, size, &whole);
	b = run(data + 1, size - 1, (size_t)data[0] % 17 + 1, &pieces);
	if (a != b || whole.hash != pieces.hash || whole.bytes != pieces.bytes ||
	    whole.parts != pieces.parts || whole.ends != pieces.ends || whole.bytes > size)
		abort();
	if (a == MULTIPART_OK && whole.open)
		abort();
	return 0;
}
