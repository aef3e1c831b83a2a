/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Inflate as a resumable state machine, written for size: it must fit the
 * 4 KiB eboot with the journal (docs/eboot.md "Sizes").
 *
 * Every step reads at most 16 bits, in one go or not at all, so at most 7
 * bits stay buffered between steps and the caller may split input and
 * output anywhere. Huffman codes are decoded a bit at a time from
 * count/symbol tables (the method of zlib's puff.c), and the code being
 * read is kept in the state, so a symbol too may be split. Slower than
 * lookup tables, but small. */
#include "inflate.h"

#include "crc32.h"
#include "fwmem.h"

#define WINDOW_MASK (INFLATE_WINDOW - 1u)
#define MAXBITS 15

enum inflate_mode {
	M_GZ_HEADER,  /* the 10 fixed bytes */
	M_GZ_XLEN,    /* FEXTRA length */
	M_GZ_EXTRA,   /* FEXTRA data */
	M_GZ_NAME,    /* FNAME, zero-terminated */
	M_GZ_COMMENT, /* FCOMMENT, zero-terminated */
	M_GZ_HCRC,    /* FHCRC: low 16 bits of the header CRC-32 */
	M_BLOCK,      /* BFINAL and BTYPE */
	M_STORED_LEN, /* LEN, then NLEN */
	M_STORED,     /* stored bytes */
	M_TABLE_SIZES,
	M_CODELENS,   /* lengths of the code-length code */
	M_LENS,       /* literal/length and distance code lengths */
	M_REPEAT,     /* the extra bits of a repeated code length */
	M_LIT,        /* a literal, a length or the end of the block */
	M_LEN_EXTRA,  /* extra bits of a length */
	M_DIST,       /* a distance code */
	M_DIST_EXTRA, /* its extra bits */
	M_COPY,       /* copying a match (or a literal) from the window */
	M_TRAILER,    /* gzip CRC-32 and ISIZE, 16 bits at a time */
	M_END,
};

#define GZ_FHCRC 0x02
#define GZ_FEXTRA 0x04
#define GZ_FNAME 0x08
#define GZ_FCOMMENT 0x10
#define GZ_RESERVED 0xE0

/* RFC 1951 3.2.7: the order in which code-length code lengths are sent */
static const uint8_t codelen_order[19] = { 16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
					   11, 4,  12, 3, 13, 2, 14, 1, 15 };

struct inflate_io {
	const uint8_t *in;
	size_t inlen, ipos;
	uint8_t *out;
	size_t outcap, opos;
};

/* The next n bits (n <= 16), LSB first, or -1 when the input runs out
 * first (what was read stays buffered for the next call). */
static int32_t bits(struct inflate_state *s, struct inflate_io *io, uint32_t n)
{
	uint32_t v;

	while (s->bitcount < n) {
		if (io->ipos == io->inlen)
			return -1;
		s->bitbuf |= (uint32_t)io->in[io->ipos++] << s->bitcount;
		s->bitcount += 8;
	}
	v = s->bitbuf & ((1u << n) - 1u);
	s->bitbuf >>= n;
	s->bitcount -= n;
	return (int32_t)v;
}

/* Ends decoding with error st; returns -1, "no symbol". */
static int32_t fail(struct inflate_state *s, enum inflate_status st)
{
	s->mode = M_END;
	s->status = st;
	return -1;
}

/* The next symbol of code h, a bit at a time. Returns -1 when the input
 * ran out first (the bits read so far stay in the state) or for a code
 * the table does not have, known as soon as no longer code can match
 * (then the decoder has failed). */
static int32_t decode(struct inflate_state *s, struct inflate_io *io,
		      const struct inflate_huffman *h)
{
	for (;;) {
		int32_t b = bits(s, io, 1);
		uint32_t count;

		if (b < 0)
			return -1;
		/* s->code: the code read so far, less the first code of its
		 * length; the codes of each length are consecutive */
		s->code += (uint32_t)b;
		count = h->count[++s->code_len];
		if (s->code < count) {
			b = h->symbol[s->code_index + s->code];
			s->code = s->code_index = s->code_len = 0;
			return b;
		}
		s->code_index += count;
		/* no longer codes: an unused code of an incomplete set. This
		 * also ends every code at MAXBITS bits, as the lengths 1..15
		 * count all of its symbols. */
		if (s->code_index == h->codes)
			return fail(s, INFLATE_ERR_DATA);
		s->code = (s->code - count) << 1;
	}
}

/* Builds a canonical code from n code lengths. False for an
 * over-subscribed code, and for an incomplete one unless it is a single
 * one-bit code and single_ok (RFC 1951 3.2.7 allows that for distances;
 * zlib for literals/lengths too). An empty code is accepted: decoding
 * with it fails, as it should. */
static bool build(struct inflate_huffman *h, const uint8_t *lens, uint32_t n, bool single_ok)
{
	uint32_t k = 0;
	int32_t left = 1;

	fw_memset(h->count, 0, sizeof(h->count));
	for (uint32_t i = 0; i < n; i++)
		h->count[lens[i]]++;
	h->codes = n - h->count[0];
	/* the symbols by code length, each length in symbol order */
	for (uint32_t l = 1; l <= MAXBITS; l++) {
		left = (left << 1) - h->count[l];
		if (left < 0)
			return false;
		for (uint32_t i = 0; i < n; i++)
			if (lens[i] == l)
				h->symbol[k++] = (uint16_t)i;
	}
	return left == 0 || h->codes == 0 || (single_ok && h->codes == h->count[1]);
}

/* RFC 1951 3.2.5: length codes 257..284 and distance codes 0..29 come in
 * groups of 4 (lengths) or 2 (distances) with one more extra bit per
 * group, so base and extra bits follow from the code; this is smaller than
 * the tables. Returns the base without its offset (3 or 1). */
static uint32_t code_base(uint32_t code, uint32_t group_log2, uint32_t *extra)
{
	uint32_t group = 1u << group_log2;

	if (code < 2 * group) {
		*extra = 0;
		return code;
	}
	*extra = (code >> group_log2) - 1;
	return (group | (code & (group - 1))) << *extra;
}

/* Between steps fewer than 8 bits are buffered: what is left of the byte. */
static void to_byte(struct inflate_state *s)
{
	s->bitbuf = 0;
	s->bitcount = 0;
}

/* One gzip header byte (RFC 1952 2.3). The modes of the optional fields
 * follow RFC 1952's order; a field the flags do not announce is skipped. */
static void gzip_header(struct inflate_state *s, uint32_t v)
{
	static const uint8_t magic[3] = { 0x1f, 0x8b, 8 };
	static const uint8_t field[M_BLOCK] = { 0, GZ_FEXTRA, 0, GZ_FNAME, GZ_FCOMMENT, GZ_FHCRC };
	uint8_t bytes[2] = { (uint8_t)v, (uint8_t)(v >> 8) };

	/* FHCRC covers every header byte before it */
	if (s->mode != M_GZ_HCRC)
		s->crc = crc32_gzip(s->crc, bytes, s->mode == M_GZ_XLEN ? 2 : 1);
	switch (s->mode) {
	case M_GZ_HEADER:
		if ((s->index < 3 && v != magic[s->index]) || (s->index == 3 && (v & GZ_RESERVED))) {
			fail(s, INFLATE_ERR_HEADER);
			return;
		}
		if (s->index == 3)
			s->flags = v;
		if (++s->index < 10)
			return;
		break;
	case M_GZ_XLEN:
		if ((s->left = v) > 0) {
			s->mode = M_GZ_EXTRA;
			return;
		}
		break;
	case M_GZ_HCRC:
		if (v != (s->crc & 0xffffu)) {
			fail(s, INFLATE_ERR_HEADER);
			return;
		}
		break;
	case M_GZ_EXTRA:
		if (--s->left > 0)
			return;
		break;
	default: /* M_GZ_NAME, M_GZ_COMMENT: zero-terminated */
		if (v != 0)
			return;
	}
	do
		s->mode++;
	while (s->mode < M_BLOCK && !(s->flags & field[s->mode]));
	if (s->mode == M_BLOCK)
		s->crc = 0; /* from here on, the CRC of the data */
}

void inflate_init(struct inflate_state *s, bool gzip)
{
	/* the window needs no clearing: only written bytes are ever read */
	fw_memset(s, 0, offsetof(struct inflate_state, window));
	s->gzip = gzip;
	s->mode = gzip ? M_GZ_HEADER : M_BLOCK;
}

/* The bits each mode reads before it runs; EXTRA: s->extra of them;
 * CODE: a Huffman code instead (literal/length code in M_LIT, else the
 * distance or code-length code). */
#define EXTRA 0xFFu
#define CODE 0xFEu
static const uint8_t mode_bits[M_END + 1] = {
	[M_GZ_HEADER] = 8, [M_GZ_XLEN] = 16, [M_GZ_EXTRA] = 8,    [M_GZ_NAME] = 8,
	[M_GZ_COMMENT] = 8, [M_GZ_HCRC] = 16, [M_BLOCK] = 3,      [M_STORED_LEN] = 16,
	[M_TABLE_SIZES] = 14, [M_CODELENS] = 3, [M_LENS] = CODE, [M_REPEAT] = EXTRA,
	[M_LIT] = CODE, [M_LEN_EXTRA] = EXTRA, [M_DIST] = CODE, [M_DIST_EXTRA] = EXTRA,
	[M_TRAILER] = 16,
};

/* Runs the state machine until it needs more input or more room, ends,
 * or fails. */
static enum inflate_status run(struct inflate_state *s, struct inflate_io *io)
{
	for (;;) {
		uint32_t n = mode_bits[s->mode];
		int32_t v;

		if (n == CODE)
			v = decode(s, io, s->mode == M_LIT ? &s->lit : &s->dist);
		else
			v = bits(s, io, n == EXTRA ? s->extra : n);
		if (v < 0)
			goto out;
		if (s->mode < M_BLOCK) {
			gzip_header(s, (uint32_t)v);
			continue;
		}
		switch (s->mode) {
		case M_BLOCK:
			s->last = (uint32_t)v & 1u;
			v >>= 1;
			if (v == 0) {
				to_byte(s);
				s->index = 0;
				s->mode = M_STORED_LEN;
			} else if (v == 1) {
				/* RFC 1951 3.2.6, built as a dynamic block's lengths
				 * are; 32 distance codes, as for zlib: 30 and 31
				 * decode, and are then refused */
				fw_memset(s->lens, 8, 288);
				fw_memset(s->lens + 144, 9, 112);
				fw_memset(s->lens + 256, 7, 24);
				fw_memset(s->lens + 288, 5, 32);
				s->nlen = 288;
				s->ndist = 32;
				goto lens_built;
			} else if (v == 2) {
				s->mode = M_TABLE_SIZES;
			} else {
				goto bad;
			}
			break;
		case M_STORED_LEN:
			if (s->index++ == 0) {
				s->left = (uint32_t)v;
				break;
			}
			if ((uint32_t)v != (~s->left & 0xffffu))
				goto bad;
			if (s->left == 0)
				goto end_block;
			s->mode = M_STORED;
			break;
		case M_STORED:
			/* with no room the byte stays unread */
			if (io->opos == io->outcap || (v = bits(s, io, 8)) < 0)
				goto out;
			s->left--;
			goto one_byte;
		case M_TABLE_SIZES:
			s->nlen = ((uint32_t)v & 31u) + 257;
			s->ndist = ((uint32_t)v >> 5 & 31u) + 1;
			s->ncode = ((uint32_t)v >> 10) + 4;
			if (s->nlen > 286 || s->ndist > 30)
				goto bad;
			fw_memset(s->lens, 0, 19); /* for the lengths not sent */
			s->index = 0;
			s->mode = M_CODELENS;
			break;
		case M_CODELENS:
			s->lens[codelen_order[s->index++]] = (uint8_t)v;
			if (s->index < s->ncode)
				break;
			if (!build(&s->dist, s->lens, 19, false))
				goto bad;
			s->index = 0;
			s->mode = M_LENS;
			break;
		case M_LENS:
			if (v >= 16) {
				/* 16: repeat the previous 3-6 times (2 extra bits);
				 * 17: 3-10 zeros (3); 18: 11-138 zeros (7) */
				s->extra = v == 16 ? 2 : v == 17 ? 3 : 7;
				s->mode = M_REPEAT;
				break;
			}
			s->lens[s->index++] = (uint8_t)v;
			goto lens_stored;
		case M_REPEAT: {
			uint32_t rep = (uint32_t)v + (s->extra == 7 ? 11u : 3u);
			uint8_t val = 0;

			if (s->extra == 2) {
				if (s->index == 0)
					goto bad;
				val = s->lens[s->index - 1];
			}
			if (s->index + rep > s->nlen + s->ndist)
				goto bad;
			while (rep--)
				s->lens[s->index++] = val;
			s->mode = M_LENS;
		}
		lens_stored:
			if (s->index < s->nlen + s->ndist)
				break;
		lens_built:
			if (s->lens[256] == 0 || /* no end-of-block code */
			    !build(&s->lit, s->lens, s->nlen, true) ||
			    !build(&s->dist, s->lens + s->nlen, s->ndist, true))
				goto bad;
			s->mode = M_LIT;
			break;
		case M_LIT:
			if (v > 285)
				goto bad;
			if (v < 256) {
			one_byte:
				/* a copy of one byte: it waits in the window for room */
				s->window[s->total & WINDOW_MASK] = (uint8_t)v;
				s->back = s->mode;
				s->copy = 1;
				s->distance = 0;
				s->mode = M_COPY;
				break;
			}
			if (v == 256)
				goto end_block;
			if (v == 285) {
				s->extra = 0;
				s->copy = 258;
			} else {
				s->copy = code_base((uint32_t)v - 257, 2, &s->extra) + 3;
			}
			s->back = M_LIT;
			s->mode = M_LEN_EXTRA;
			break;
		case M_LEN_EXTRA:
			s->copy += (uint32_t)v;
			s->mode = M_DIST;
			break;
		case M_DIST:
			if (v > 29)
				goto bad;
			s->distance = code_base((uint32_t)v, 1, &s->extra) + 1;
			s->mode = M_DIST_EXTRA;
			break;
		case M_DIST_EXTRA:
			s->distance += (uint32_t)v;
			if (s->distance > s->filled)
				goto bad; /* before the start of the output */
			s->mode = M_COPY;
			break;
		case M_COPY:
			for (; s->copy > 0; s->copy--) {
				uint8_t b = s->window[(s->total - s->distance) & WINDOW_MASK];

				if (io->opos == io->outcap)
					goto out;
				io->out[io->opos++] = b;
				s->window[s->total++ & WINDOW_MASK] = b;
				s->crc = crc32_gzip(s->crc, &b, 1);
				if (s->filled < INFLATE_WINDOW)
					s->filled++;
			}
			s->mode = s->back;
			if (s->mode == M_STORED && s->left == 0)
				goto end_block;
			break;
		case M_TRAILER:
			/* CRC-32, then ISIZE; each judged as soon as it is in, as zlib does */
			if (s->index & 1u) {
				uint32_t want = s->index == 1 ? s->crc : s->total;

				if ((s->left | (uint32_t)v << 16) != want) {
					fail(s, s->index == 1 ? INFLATE_ERR_CRC : INFLATE_ERR_SIZE);
					goto out;
				}
			}
			s->left = (uint32_t)v;
			if (++s->index == 4) {
				s->mode = M_END;
				s->status = INFLATE_DONE;
			}
			break;
		default: /* M_END */
			goto out;
		}
		continue;
	end_block:
		/* the next block, or the end of the stream */
		s->mode = M_BLOCK;
		if (s->last) {
			to_byte(s); /* the rest of the last byte is padding */
			s->index = 0;
			s->mode = M_TRAILER;
			if (!s->gzip) {
				s->mode = M_END;
				s->status = INFLATE_DONE;
			}
		}
	}
bad:
	fail(s, INFLATE_ERR_DATA);
out:
	return (enum inflate_status)s->status;
}

enum inflate_status inflate_feed(struct inflate_state *s, const uint8_t *in, size_t inlen,
				 size_t *consumed, uint8_t *out, size_t outcap, size_t *produced)
{
	struct inflate_io io = { in, inlen, 0, out, outcap, 0 };
	enum inflate_status st = run(s, &io);

	*consumed = io.ipos;
	*produced = io.opos;
	return st;
}

enum inflate_status inflate_finish(const struct inflate_state *s)
{
	if (s->mode != M_END)
		return INFLATE_ERR_TRUNCATED;
	return (enum inflate_status)s->status;
}

const char *inflate_strerror(enum inflate_status st)
{
	switch (st) {
	case INFLATE_OK:
		return "success, more data expected";
	case INFLATE_DONE:
		return "success";
	case INFLATE_ERR_HEADER:
		return "gzip header is invalid: the image is not a gzip file (use gzip -9 to make one)";
	case INFLATE_ERR_DATA:
		return "compressed data is corrupt: upload the image again";
	case INFLATE_ERR_CRC:
		return "gzip CRC-32 check failed: the image is corrupt, upload it again";
	case INFLATE_ERR_SIZE:
		return "gzip length check failed: the image is corrupt, upload it again";
	case INFLATE_ERR_TRUNCATED:
		return "compressed data ends early: the image is truncated, upload it again";
	}
	return "unknown inflate error";
}
