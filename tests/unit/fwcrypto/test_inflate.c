/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* firmware/core inflate.c against zlib (and libdeflate's encoder): many inputs, levels and
 * strategies, raw and gzip, fed in every chunking pattern; truncated,
 * corrupted and hand-made bad streams must end in an error, never in a
 * write past the output buffer (guard bytes) or a loop that never ends. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <libdeflate.h>
#include <zlib.h>

#include "inflate.h"

#define GUARD 64
#define GUARD_BYTE 0xA5

static uint32_t rng = 12345;

static uint32_t next_random(void)
{
	/* xorshift32: reproducible runs */
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static struct inflate_state st; /* 34 KiB: not on the test's stack */

enum kind { K_RANDOM, K_TEXT, K_REPEAT, K_ZEROS, K_MIXED };

static uint8_t *make_input(enum kind kind, size_t len)
{
	static const char *const words[] = { "the ", "update ", "flash ", "sector ", "eboot ",
					     "copy ", "gzip\n", "signature ", "of ", "a ",
					     "0x40200000 ", "ESP8266 " };
	uint8_t *p = malloc(len + 1);

	assert_non_null(p);
	for (size_t i = 0; i < len;) {
		switch (kind) {
		case K_RANDOM:
			p[i++] = (uint8_t)next_random();
			break;
		case K_TEXT: {
			const char *w = words[next_random() % 12];

			for (size_t j = 0; w[j] && i < len; j++)
				p[i++] = (uint8_t)w[j];
			break;
		}
		case K_REPEAT:
			p[i] = (uint8_t)"abcabcabd"[i % 9];
			i++;
			break;
		case K_ZEROS:
			p[i++] = 0;
			break;
		case K_MIXED: {
			/* runs, copies from far back and noise, like a firmware image */
			uint32_t r = next_random();
			size_t n = 1 + r % 300;

			for (size_t j = 0; j < n && i < len; j++, i++) {
				if ((r >> 16) % 3 == 0)
					p[i] = (uint8_t)next_random();
				else if ((r >> 16) % 3 == 1 || i < 30000)
					p[i] = (uint8_t)(r >> 24);
				else
					p[i] = p[i - 30000 + (r >> 20) % 100];
			}
			break;
		}
		}
	}
	return p;
}

/* zlib's deflate: raw (windowBits -15) or gzip (31). */
static uint8_t *compress_with_zlib(const uint8_t *src, size_t len, int level, int strategy, bool gzip,
				   size_t *outlen)
{
	z_stream z;
	size_t cap;
	uint8_t *out;

	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, level, Z_DEFLATED, gzip ? 31 : -15, 8, strategy), Z_OK);
	cap = deflateBound(&z, (uLong)len) + 64;
	out = malloc(cap);
	assert_non_null(out);
	z.next_in = (Bytef *)(uintptr_t)src;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	*outlen = z.total_out;
	deflateEnd(&z);
	return out;
}

/* How input and output are cut: a fixed size, or random sizes up to max. */
struct chunking {
	size_t in, out; /* 0: random in 1..max */
	size_t max;
};

static size_t chunk(size_t fixed, size_t max)
{
	return fixed ? fixed : 1 + next_random() % max;
}

struct result {
	enum inflate_status st;
	size_t consumed, produced;
};

/* Decodes comp[0..clen) into out[0..cap), which is followed by GUARD guard
 * bytes, in the given chunking. Checks that every call either makes
 * progress or reports the end, so the loop is bounded. */
static struct result decode(const uint8_t *comp, size_t clen, bool gzip, uint8_t *out, size_t cap,
			    struct chunking ch)
{
	struct result r = { INFLATE_OK, 0, 0 };

	memset(out, GUARD_BYTE, cap + GUARD);
	inflate_init(&st, gzip);
	for (;;) {
		size_t inn = chunk(ch.in, ch.max), outn = chunk(ch.out, ch.max), c = 99, p = 99;

		if (inn > clen - r.consumed)
			inn = clen - r.consumed;
		if (outn > cap - r.produced)
			outn = cap - r.produced;
		r.st = inflate_feed(&st, comp + r.consumed, inn, &c, out + r.produced, outn, &p);
		assert_true(c <= inn);
		assert_true(p <= outn);
		r.consumed += c;
		r.produced += p;
		if (r.st != INFLATE_OK)
			break;
		if (c == 0 && p == 0) {
			/* no progress is allowed only when starved of input or room */
			assert_true(inn == 0 || outn == 0);
			break;
		}
	}
	for (size_t i = 0; i < GUARD; i++)
		assert_int_equal(out[cap + i], GUARD_BYTE);
	return r;
}

static void roundtrip(const uint8_t *src, size_t len, int level, int strategy, bool gzip,
		      struct chunking ch)
{
	size_t clen;
	uint8_t *comp = compress_with_zlib(src, len, level, strategy, gzip, &clen);
	/* trailing bytes after the stream must be left unread */
	uint8_t *padded = malloc(clen + 5);
	uint8_t *out = malloc(len + GUARD);
	struct result r;

	assert_non_null(padded);
	assert_non_null(out);
	memcpy(padded, comp, clen);
	memcpy(padded + clen, "\x1f\x8b\x08\x00\x00", 5);
	r = decode(padded, clen + 5, gzip, out, len, ch);
	if (r.st != INFLATE_DONE)
		fail_msg("len %zu level %d strategy %d gzip %d chunks %zu/%zu: status %d (%s) at in %zu out %zu",
			 len, level, strategy, gzip, ch.in, ch.out, r.st, inflate_strerror(r.st),
			 r.consumed, r.produced);
	assert_int_equal(r.consumed, clen);
	assert_int_equal(r.produced, len);
	assert_memory_equal(out, src, len);
	assert_int_equal(inflate_finish(&st), INFLATE_DONE);
	/* the end is sticky and reads nothing more */
	{
		size_t c = 9, p = 9;

		assert_int_equal(inflate_feed(&st, padded, clen, &c, out, len, &p), INFLATE_DONE);
		assert_int_equal(c, 0);
		assert_int_equal(p, 0);
	}
	free(comp);
	free(padded);
	free(out);
}

static const struct chunking whole = { SIZE_MAX / 2, SIZE_MAX / 2, 0 };
static const struct chunking byte_in = { 1, SIZE_MAX / 2, 0 };
static const struct chunking byte_out = { SIZE_MAX / 2, 1, 0 };
static const struct chunking byte_both = { 1, 1, 0 };
static const struct chunking random_small = { 0, 0, 7 };
static const struct chunking random_large = { 0, 0, 5000 };
static const struct chunking sectors = { 4096, 4096, 0 };

static void test_sizes_levels_and_chunking(void **state)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 57, 258, 1000, 32767, 32768, 32769, 70001 };
	static const int levels[] = { 0, 1, 6, 9 };
	const struct chunking chs[] = { whole, byte_in, byte_out, byte_both, random_small,
					random_large, sectors };

	(void)state;
	for (int kind = K_RANDOM; kind <= K_MIXED; kind++)
		for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
			uint8_t *src = make_input((enum kind)kind, sizes[s]);

			for (size_t l = 0; l < sizeof(levels) / sizeof(levels[0]); l++)
				for (int gz = 0; gz < 2; gz++)
					for (size_t c = 0; c < sizeof(chs) / sizeof(chs[0]); c++) {
						/* byte-at-a-time on the big inputs only once */
						if (sizes[s] > 32769 && c >= 1 && c <= 3 && (l != 2 || gz))
							continue;
						roundtrip(src, sizes[s], levels[l], Z_DEFAULT_STRATEGY, gz != 0,
							  chs[c]);
					}
			free(src);
		}
}

/* Fixed-Huffman blocks (Z_FIXED), Huffman only and run-length strategies,
 * which produce block shapes the default strategy rarely does. */
static void test_strategies(void **state)
{
	static const int strategies[] = { Z_FIXED, Z_HUFFMAN_ONLY, Z_RLE, Z_FILTERED };

	(void)state;
	for (int kind = K_RANDOM; kind <= K_MIXED; kind++) {
		uint8_t *src = make_input((enum kind)kind, 50000);

		for (size_t i = 0; i < sizeof(strategies) / sizeof(strategies[0]); i++) {
			roundtrip(src, 50000, 9, strategies[i], true, random_small);
			roundtrip(src, 50000, 1, strategies[i], false, random_large);
		}
		free(src);
	}
}

/* Streams whose blocks change type: zlib switched between levels and
 * strategies mid-stream, with sync and full flushes (which add empty stored
 * blocks) and partial flushes (empty fixed blocks). */
static void test_block_sequences(void **state)
{
	static const int steps[][3] = {
		/* level, strategy, flush */
		{ 9, Z_DEFAULT_STRATEGY, Z_SYNC_FLUSH }, { 0, Z_DEFAULT_STRATEGY, Z_NO_FLUSH },
		{ 1, Z_FIXED, Z_FULL_FLUSH },           { 6, Z_DEFAULT_STRATEGY, Z_PARTIAL_FLUSH },
		{ 0, Z_DEFAULT_STRATEGY, Z_SYNC_FLUSH }, { 9, Z_HUFFMAN_ONLY, Z_BLOCK },
		{ 6, Z_RLE, Z_SYNC_FLUSH },             { 9, Z_DEFAULT_STRATEGY, Z_NO_FLUSH },
	};
	const struct chunking chs[] = { whole, byte_both, random_small, random_large };

	(void)state;
	for (int gz = 0; gz < 2; gz++)
		for (size_t c = 0; c < sizeof(chs) / sizeof(chs[0]); c++) {
			size_t piece = 3000, n = sizeof(steps) / sizeof(steps[0]), len = piece * n;
			uint8_t *src = make_input(K_MIXED, len), *comp = malloc(2 * len + 1000);
			uint8_t *out = malloc(len + GUARD);
			struct result r;
			z_stream z;

			assert_non_null(comp);
			assert_non_null(out);
			memset(&z, 0, sizeof(z));
			assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, gz ? 31 : -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
			z.next_out = comp;
			z.avail_out = (uInt)(2 * len + 1000);
			for (size_t i = 0; i < n; i++) {
				assert_int_equal(deflateParams(&z, steps[i][0], steps[i][1]), Z_OK);
				z.next_in = src + i * piece;
				z.avail_in = (uInt)piece;
				assert_int_equal(deflate(&z, i + 1 == n ? Z_FINISH : steps[i][2]),
						 i + 1 == n ? Z_STREAM_END : Z_OK);
			}
			r = decode(comp, z.total_out, gz != 0, out, len, chs[c]);
			assert_int_equal(r.st, INFLATE_DONE);
			assert_int_equal(r.consumed, z.total_out);
			assert_int_equal(r.produced, len);
			assert_memory_equal(out, src, len);
			deflateEnd(&z);
			free(src);
			free(comp);
			free(out);
		}
}

/* Around 1 MiB, as eboot inflates an image: 4 KiB sectors in and out. */
static void test_one_mebibyte(void **state)
{
	(void)state;
	for (int kind = K_TEXT; kind <= K_MIXED; kind++) {
		uint8_t *src = make_input((enum kind)kind, (1u << 20) - 13);

		roundtrip(src, (1u << 20) - 13, 9, Z_DEFAULT_STRATEGY, true, sectors);
		roundtrip(src, (1u << 20) - 13, 6, Z_DEFAULT_STRATEGY, false, random_large);
		free(src);
	}
	{
		uint8_t *src = make_input(K_RANDOM, 1u << 20);

		roundtrip(src, 1u << 20, 6, Z_DEFAULT_STRATEGY, true, sectors);
		free(src);
	}
}

/* libdeflate's encoder, which src/common/gzip_write uses at level 12 for
 * every --compress stream: raw deflate or gzip. Its levels 10-12 parse
 * near-optimally and split blocks where zlib would not, so its streams
 * are decoded here as well as zlib's. */
static uint8_t *compress_with_libdeflate(const uint8_t *src, size_t len, int level, bool gzip,
					 size_t *outlen)
{
	struct libdeflate_compressor *c = libdeflate_alloc_compressor(level);
	size_t cap;
	uint8_t *out;

	assert_non_null(c);
	cap = gzip ? libdeflate_gzip_compress_bound(c, len) : libdeflate_deflate_compress_bound(c, len);
	out = malloc(cap);
	assert_non_null(out);
	*outlen = gzip ? libdeflate_gzip_compress(c, src, len, out, cap)
		       : libdeflate_deflate_compress(c, src, len, out, cap);
	assert_true(*outlen > 0);
	libdeflate_free_compressor(c);
	return out;
}

/* roundtrip() for a libdeflate stream, decoded as eboot and the Updater do. */
static void roundtrip_libdeflate(const uint8_t *src, size_t len, int level, bool gzip, struct chunking ch)
{
	size_t clen;
	uint8_t *comp = compress_with_libdeflate(src, len, level, gzip, &clen);
	uint8_t *out = malloc(len + GUARD);
	struct result r;

	assert_non_null(out);
	r = decode(comp, clen, gzip, out, len, ch);
	if (r.st != INFLATE_DONE)
		fail_msg("libdeflate len %zu level %d gzip %d chunks %zu/%zu: status %d (%s) at in %zu out %zu",
			 len, level, gzip, ch.in, ch.out, r.st, inflate_strerror(r.st), r.consumed,
			 r.produced);
	assert_int_equal(r.consumed, clen);
	assert_int_equal(r.produced, len);
	assert_memory_equal(out, src, len);
	assert_int_equal(inflate_finish(&st), INFLATE_DONE);
	free(comp);
	free(out);
}

static void test_libdeflate_streams(void **state)
{
	static const size_t sizes[] = { 0, 1, 3, 258, 1000, 32768, 32769, 70001, 300000 };
	static const int levels[] = { 0, 1, 6, 9, 10, 11, 12 };
	const struct chunking chs[] = { whole, random_small, random_large, sectors };

	(void)state;
	for (int kind = K_RANDOM; kind <= K_MIXED; kind++)
		for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
			uint8_t *src = make_input((enum kind)kind, sizes[s]);

			for (size_t l = 0; l < sizeof(levels) / sizeof(levels[0]); l++)
				for (int gz = 0; gz < 2; gz++)
					for (size_t c = 0; c < sizeof(chs) / sizeof(chs[0]); c++) {
						/* small random pieces on the big inputs only at level 12 */
						if (sizes[s] > 32769 && c == 1 && levels[l] != 12)
							continue;
						roundtrip_libdeflate(src, sizes[s], levels[l], gz != 0, chs[c]);
					}
			free(src);
		}
	/* a whole image, as --compress sends it and eboot inflates it */
	for (int kind = K_TEXT; kind <= K_MIXED; kind++) {
		uint8_t *src = make_input((enum kind)kind, (1u << 20) - 13);

		roundtrip_libdeflate(src, (1u << 20) - 13, 12, true, sectors);
		roundtrip_libdeflate(src, (1u << 20) - 13, 12, true, random_large);
		free(src);
	}
}

/* Every prefix of a stream: never done, never a byte of wrong output. */
static void check_truncations(const uint8_t *src, size_t len, bool gzip, size_t step)
{
	size_t clen;
	uint8_t *comp = compress_with_zlib(src, len, 9, Z_DEFAULT_STRATEGY, gzip, &clen);
	uint8_t *out = malloc(len + GUARD);

	assert_non_null(out);
	for (size_t cut = 0; cut < clen; cut += (cut < 40 || clen - cut < 40) ? 1 : step) {
		struct result r = decode(comp, cut, gzip, out, len, cut & 1 ? byte_both : whole);

		assert_int_equal(r.st, INFLATE_OK);
		assert_int_equal(r.consumed, cut);
		assert_true(r.produced <= len);
		assert_memory_equal(out, src, r.produced);
		assert_int_equal(inflate_finish(&st), INFLATE_ERR_TRUNCATED);
	}
	/* and a complete stream given too little room is not done either */
	if (len > 0) {
		struct result r = decode(comp, clen, gzip, out, len - 1, random_small);

		assert_int_equal(r.st, INFLATE_OK);
		assert_int_equal(r.produced, len - 1);
		assert_int_equal(inflate_finish(&st), INFLATE_ERR_TRUNCATED);
	}
	free(comp);
	free(out);
}

static void test_truncated_streams(void **state)
{
	(void)state;
	for (int kind = K_RANDOM; kind <= K_MIXED; kind++) {
		uint8_t *src = make_input((enum kind)kind, 5000);

		check_truncations(src, 5000, true, 1);
		check_truncations(src, 5000, false, 1);
		free(src);
	}
	{
		uint8_t *src = make_input(K_MIXED, 200000);

		check_truncations(src, 200000, true, 997);
		free(src);
	}
}

/* Random damage: the decoder must stop with an error or a result, within
 * the buffer. A gzip stream it calls good must be what zlib decodes. */
static void test_corrupt_streams(void **state)
{
	(void)state;
	for (int round = 0; round < 1500; round++) {
		enum kind kind = (enum kind)(round % 5);
		size_t len = 1 + next_random() % 3000, clen, cap = 2 * len + 300;
		bool gzip = round & 1;
		int level = (int)(next_random() % 10);
		uint8_t *src = make_input(kind, len);
		uint8_t *comp = compress_with_zlib(src, len, level, (round & 6) == 6 ? Z_FIXED : Z_DEFAULT_STRATEGY, gzip, &clen);
		uint8_t *out = malloc(cap + GUARD), *ref = malloc(cap);
		int flips = 1 + (int)(next_random() % 4);
		struct result r;

		assert_non_null(out);
		assert_non_null(ref);
		for (int f = 0; f < flips; f++) {
			size_t at = next_random() % clen;

			if (next_random() & 1)
				comp[at] ^= (uint8_t)(1u << (next_random() % 8));
			else
				comp[at] = (uint8_t)next_random();
		}
		r = decode(comp, clen, gzip, out, cap, round % 3 == 0 ? byte_both : random_small);
		assert_true(r.st == INFLATE_OK || r.st == INFLATE_DONE || r.st < 0);
		if (r.st < 0) {
			/* sticky: nothing more is read or written */
			size_t c = 9, p = 9;

			assert_int_equal(inflate_feed(&st, comp, clen, &c, out, cap, &p), r.st);
			assert_int_equal(c, 0);
			assert_int_equal(p, 0);
			assert_int_equal(inflate_finish(&st), r.st);
		}
		/* zlib, given the same bytes and room, must agree on whether the
		 * stream is good, and then on every byte (where it is bad, either
		 * side may notice first: zlib reads an empty code-length code as
		 * zeros, for one) */
		{
			z_stream z;
			int zst;

			memset(&z, 0, sizeof(z));
			assert_int_equal(inflateInit2(&z, gzip ? 31 : -15), Z_OK);
			z.next_in = comp;
			z.avail_in = (uInt)clen;
			z.next_out = ref;
			z.avail_out = (uInt)cap;
			zst = inflate(&z, Z_FINISH);
			if ((r.st == INFLATE_DONE) != (zst == Z_STREAM_END))
				fail_msg("round %d: inflate says %d at in %zu/%zu out %zu/%zu, zlib says %d (%s) at in %lu out %lu",
					 round, r.st, r.consumed, clen, r.produced, cap, zst, z.msg ? z.msg : "",
					 z.total_in, z.total_out);
			if (r.st == INFLATE_DONE) {
				assert_int_equal(z.total_out, r.produced);
				assert_int_equal(z.total_in, r.consumed);
				assert_memory_equal(ref, out, r.produced);
			}
			inflateEnd(&z);
		}
		free(src);
		free(comp);
		free(out);
		free(ref);
	}
}

/* Decodes a whole buffer at once and returns the status. */
static enum inflate_status decode_all(const uint8_t *comp, size_t clen, bool gzip)
{
	static uint8_t out[100000 + GUARD];

	return decode(comp, clen, gzip, out, 100000, whole).st;
}

static void test_gzip_headers(void **state)
{
	static const char text[] = "a gzip member with every optional header field";
	size_t clen;
	uint8_t *comp;

	(void)state;
	comp = compress_with_zlib((const uint8_t *)text, sizeof(text), 9, Z_DEFAULT_STRATEGY, true, &clen);
	assert_int_equal(decode_all(comp, clen, true), INFLATE_DONE);
	/* magic, method, reserved flags */
	for (int i = 0; i < 11; i++) {
		uint8_t save[4];

		memcpy(save, comp, 4);
		switch (i) {
		case 0: comp[0] = 0x1e; break;
		case 1: comp[1] = 0x8c; break;
		case 2: comp[2] = 7; break;
		case 3: comp[2] = 0; break;
		default: comp[3] = (uint8_t)(1u << (i - 3)); break; /* bits 1..7 */
		}
		if (i >= 4 && i <= 7) {
			/* FHCRC, FEXTRA, FNAME, FCOMMENT: valid flags, but the fields
			 * are missing, so the stream cannot decode to the end */
			assert_true(decode_all(comp, clen, true) != INFLATE_DONE);
		} else {
			assert_int_equal(decode_all(comp, clen, true), INFLATE_ERR_HEADER);
		}
		memcpy(comp, save, 4);
	}
	/* a raw stream handed to the gzip decoder, and a gzip one to raw */
	{
		size_t rlen;
		uint8_t *raw = compress_with_zlib((const uint8_t *)text, sizeof(text), 9, Z_DEFAULT_STRATEGY, false, &rlen);

		assert_int_equal(decode_all(raw, rlen, true), INFLATE_ERR_HEADER);
		assert_true(decode_all(comp, clen, false) != INFLATE_DONE);
		free(raw);
	}
	free(comp);

	/* FEXTRA, FNAME, FCOMMENT and FHCRC, written by zlib, in every split */
	{
		static uint8_t extra[300], name[] = "sketch.ino.bin", comment[] = "built by the test";
		static uint8_t buf[2000], out[sizeof(text) + GUARD];
		gz_header h;
		z_stream z;
		size_t n;

		for (size_t i = 0; i < sizeof(extra); i++)
			extra[i] = (uint8_t)i;
		memset(&h, 0, sizeof(h));
		h.extra = extra;
		h.extra_len = sizeof(extra);
		h.name = name;
		h.comment = comment;
		h.hcrc = 1;
		memset(&z, 0, sizeof(z));
		assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
		assert_int_equal(deflateSetHeader(&z, &h), Z_OK);
		z.next_in = (Bytef *)(uintptr_t)text;
		z.avail_in = sizeof(text);
		z.next_out = buf;
		z.avail_out = sizeof(buf);
		assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
		n = z.total_out;
		deflateEnd(&z);
		assert_int_equal(buf[3], 0x1e);
		for (size_t cut = 0; cut <= n; cut++) {
			struct chunking ch = { cut ? cut : 1, 1, 0 };
			struct result r = decode(buf, n, true, out, sizeof(text), ch);

			assert_int_equal(r.st, INFLATE_DONE);
			assert_int_equal(r.consumed, n);
			assert_memory_equal(out, text, sizeof(text));
		}
		/* the header CRC (FHCRC) covers the name: a changed letter is caught */
		buf[10 + 2 + sizeof(extra) + 3] ^= 0x20;
		assert_int_equal(decode_all(buf, n, true), INFLATE_ERR_HEADER);
	}
}

static void test_trailer_mismatch(void **state)
{
	uint8_t *src = make_input(K_TEXT, 10000), *comp;
	size_t clen;

	(void)state;
	comp = compress_with_zlib(src, 10000, 6, Z_DEFAULT_STRATEGY, true, &clen);
	for (size_t byte = 0; byte < 8; byte++) {
		comp[clen - 8 + byte] ^= 0x10;
		assert_int_equal(decode_all(comp, clen, true), byte < 4 ? INFLATE_ERR_CRC : INFLATE_ERR_SIZE);
		comp[clen - 8 + byte] ^= 0x10;
	}
	assert_int_equal(decode_all(comp, clen, true), INFLATE_DONE);
	free(comp);
	/* stored data is checked only by the CRC */
	comp = compress_with_zlib(src, 10000, 0, Z_DEFAULT_STRATEGY, true, &clen);
	comp[5000] ^= 1;
	assert_int_equal(decode_all(comp, clen, true), INFLATE_ERR_CRC);
	free(comp);
	free(src);
}

/* Calls with nothing to read or no room (NULL buffers of length 0) are
 * harmless at any point of a stream. */
static void test_empty_calls(void **state)
{
	static const uint8_t stored[] = { 0x01, 0x01, 0x00, 0xfe, 0xff, 'x' };
	uint8_t out[4];
	size_t c = 9, p = 9;

	(void)state;
	for (int gz = 0; gz < 2; gz++) {
		inflate_init(&st, gz != 0);
		assert_int_equal(inflate_feed(&st, NULL, 0, &c, NULL, 0, &p), INFLATE_OK);
		assert_int_equal(c, 0);
		assert_int_equal(p, 0);
		assert_int_equal(inflate_finish(&st), INFLATE_ERR_TRUNCATED);
	}
	inflate_init(&st, false);
	assert_int_equal(inflate_feed(&st, stored, 5, &c, NULL, 0, &p), INFLATE_OK);
	assert_int_equal(c, 5);
	assert_int_equal(inflate_feed(&st, stored + 5, 1, &c, NULL, 0, &p), INFLATE_OK);
	assert_int_equal(c, 0); /* no room: the byte stays unread */
	assert_int_equal(inflate_feed(&st, stored + 5, 1, &c, out, sizeof(out), &p), INFLATE_DONE);
	assert_int_equal(c, 1);
	assert_int_equal(p, 1);
	assert_int_equal(out[0], 'x');
	assert_int_equal(inflate_feed(&st, NULL, 0, &c, NULL, 0, &p), INFLATE_DONE);
}

/* Streams made by hand, each with one specific fault. */
static void test_invalid_deflate(void **state)
{
	/* BFINAL=1 BTYPE=11 */
	static const uint8_t bad_type[] = { 0x07, 0x00 };
	/* stored block, LEN 5, NLEN not its complement */
	static const uint8_t bad_nlen[] = { 0x01, 0x05, 0x00, 0xfa, 0xfe, 'h', 'e', 'l', 'l', 'o' };
	static const uint8_t good_stored[] = { 0x01, 0x05, 0x00, 0xfa, 0xff, 'h', 'e', 'l', 'l', 'o' };
	/* fixed block whose first symbol is a match (length 3, distance 1)
	 * with no output before it */
	static const uint8_t too_far[] = { 0x03, 0x02, 0x00 };
	/* fixed block: literal 'a', then length 3 distance 1: "aaaa" */
	static const uint8_t aaaa[] = { 0x4b, 0x04, 0x02, 0x00 };
	/* fixed block with symbol 286 (code 11000110) */
	static const uint8_t bad_symbol[] = { 0x1b, 0x03, 0x00 };
	static uint8_t out[64 + GUARD];
	struct result r;

	(void)state;
	assert_int_equal(decode_all(bad_type, sizeof(bad_type), false), INFLATE_ERR_DATA);
	assert_int_equal(decode_all(bad_nlen, sizeof(bad_nlen), false), INFLATE_ERR_DATA);
	r = decode(good_stored, sizeof(good_stored), false, out, 64, byte_both);
	assert_int_equal(r.st, INFLATE_DONE);
	assert_int_equal(r.produced, 5);
	assert_memory_equal(out, "hello", 5);
	assert_int_equal(decode_all(too_far, sizeof(too_far), false), INFLATE_ERR_DATA);
	r = decode(aaaa, sizeof(aaaa), false, out, 64, whole);
	assert_int_equal(r.st, INFLATE_DONE);
	assert_int_equal(r.produced, 4);
	assert_memory_equal(out, "aaaa", 4);
	assert_int_equal(decode_all(bad_symbol, sizeof(bad_symbol), false), INFLATE_ERR_DATA);

	/* a preset dictionary makes zlib refer to bytes before the start */
	{
		static const char dict[] = "the quick brown fox jumps over the lazy dog";
		uint8_t buf[200];
		z_stream z;

		memset(&z, 0, sizeof(z));
		assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
		assert_int_equal(deflateSetDictionary(&z, (const Bytef *)dict, sizeof(dict) - 1), Z_OK);
		z.next_in = (Bytef *)(uintptr_t)dict;
		z.avail_in = sizeof(dict) - 1;
		z.next_out = buf;
		z.avail_out = sizeof(buf);
		assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
		assert_int_equal(decode_all(buf, z.total_out, false), INFLATE_ERR_DATA);
		deflateEnd(&z);
	}
	for (int st_ = INFLATE_ERR_TRUNCATED; st_ <= INFLATE_DONE; st_++)
		assert_true(strlen(inflate_strerror((enum inflate_status)st_)) > 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_invalid_deflate),
		cmocka_unit_test(test_empty_calls),
		cmocka_unit_test(test_gzip_headers),
		cmocka_unit_test(test_trailer_mismatch),
		cmocka_unit_test(test_sizes_levels_and_chunking),
		cmocka_unit_test(test_strategies),
		cmocka_unit_test(test_block_sequences),
		cmocka_unit_test(test_one_mebibyte),
		cmocka_unit_test(test_libdeflate_streams),
		cmocka_unit_test(test_truncated_streams),
		cmocka_unit_test(test_corrupt_streams),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
