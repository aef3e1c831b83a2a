/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target for firmware/core inflate.c. The first byte picks raw
 * or gzip and the piece sizes; the rest is the stream. Properties: no
 * crash, no write past the output (ASan), an end in a bounded number of
 * calls, the same status and bytes whatever the chunking, and zlib's
 * verdict: a stream is good for both or for neither, with the same bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "inflate.h"

#define OUT_CAP (256u * 1024u)

static struct inflate_state st;
static uint8_t whole_out[OUT_CAP], piece_out[OUT_CAP], zlib_out[OUT_CAP];

static enum inflate_status run(const uint8_t *in, size_t len, bool gzip, size_t in_step,
			       size_t out_step, uint8_t *out, size_t *made)
{
	size_t ipos = 0, opos = 0;
	enum inflate_status s;

	inflate_init(&st, gzip);
	for (;;) {
		size_t inn = len - ipos < in_step ? len - ipos : in_step;
		size_t outn = OUT_CAP - opos < out_step ? OUT_CAP - opos : out_step;
		size_t c, p;

		s = inflate_feed(&st, in + ipos, inn, &c, out + opos, outn, &p);
		if (c > inn || p > outn)
			abort();
		ipos += c;
		opos += p;
		if (s != INFLATE_OK || (c == 0 && p == 0))
			break;
	}
	*made = opos;
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t made_whole, made_pieces;
	enum inflate_status a, b;
	bool gzip;

	if (size < 1)
		return 0;
	gzip = data[0] & 1;
	a = run(data + 1, size - 1, gzip, SIZE_MAX, SIZE_MAX, whole_out, &made_whole);
	b = run(data + 1, size - 1, gzip, 1 + (data[0] >> 1 & 7), 1 + (data[0] >> 4), piece_out,
		&made_pieces);
	if (a != b || made_whole != made_pieces || memcmp(whole_out, piece_out, made_whole) != 0)
		abort();
	{
		z_stream z;
		int zst;

		memset(&z, 0, sizeof(z));
		if (inflateInit2(&z, gzip ? 31 : -15) != Z_OK)
			abort();
		z.next_in = (Bytef *)(uintptr_t)(data + 1);
		z.avail_in = (uInt)(size - 1);
		z.next_out = zlib_out;
		z.avail_out = OUT_CAP;
		zst = inflate(&z, Z_FINISH);
		if ((a == INFLATE_DONE) != (zst == Z_STREAM_END))
			abort();
		if (a == INFLATE_DONE && (z.total_out != made_whole || memcmp(zlib_out, whole_out, made_whole) != 0))
			abort();
		inflateEnd(&z);
	}
	return 0;
}
