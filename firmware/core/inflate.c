/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Inflate in steps that either complete or leave no trace. A step (a
 * block header with its Huffman tables, one literal or match, one header
 * byte...) reads bits through a reader that never fails: when the input
 * runs out it yields zeros and marks the step starved. A starved step is
 * dropped and replayed by the next call from the bytes it had read, which
 * are kept in a small stash; a complete step is committed. So the caller
 * may split input and output anywhere, and the decoding itself is plain
 * straight-line code, which keeps it small for the 4 KiB eboot. Huffman
 * codes are decoded a bit at a time from count/symbol tables (the method
 * of zlib's puff.c). */
#include "inflate.h"

#include "crc32.h"
#include "fwmem.h"

#define WINDOW_MASK (INFLATE_WINDOW - 1u)
#define MAXBITS 15
#define NEED_ROOM 2 /* a step result: a literal with no room for it */

enum inflate_mode {
	M_GZ_HEADER,  /* the 10 fixed bytes */
	M_GZ_XLEN,    /* FEXTRA length */
	M_GZ_EXTRA,   /* FEXTRA data, a byte per step */
	M_GZ_NAME,    /* FNAME, zero-terminated, a byte per step */
	M_GZ_COMMENT, /* FCOMMENT, likewise */
	M_GZ_HCRC,    /* FHCRC: low 16 bits of the header CRC-32 */
	M_BLOCK,      /* block header, with LEN/NLEN or the Huffman tables */
	M_STORED,     /* stored bytes, a byte per step */
	M_SYMBOL,     /* a literal, an end of block, or a length and distance */
	M_COPY,       /* copying a match from the window */
	M_TRAILER,    /* gzip CRC-32, then ISIZE */
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

/* The reader of one step: the committed bits, then the stash, then the
 * caller's input (each byte taken from it is added to the stash). */
struct reader {
	struct inflate_state *s;
	const uint8_t *in;
	size_t inlen, ipos;
	uint32_t bitbuf, bitcount;
	uint32_t spos;    /* next stash byte */
	uint32_t hcrc;    /* gzip header CRC including this step's bytes */
	bool starved;
};

static uint32_t next_byte(struct reader *r)
{
	struct inflate_state *s = r->s;

	if (r->spos == s->stash_len) {
		/* a step never needs more than the stash holds (inflate.h), so a
		 * full stash means input no step can use: read it as starved */
		if (r->ipos == r->inlen || s->stash_len == INFLATE_STASH) {
			r->starved = true;
			return 0;
		}
		s->stash[s->stash_len++] = r->in[r->ipos++];
	}
	return s->stash[r->spos++];
}

static uint32_t bits(struct reader *r, uint32_t n)
{
	uint32_t v;

	while (r->bitcount < n) {
		r->bitbuf |= next_byte(r) << r->bitcount;
		r->bitcount += 8;
	}
	v = r->bitbuf & ((1u << n) - 1u);
	r->bitbuf >>= n;
	r->bitcount -= n;
	return v;
}

/* A gzip header byte, counted into the header CRC. */
static uint32_t header_byte(struct reader *r)
{
	uint8_t b = (uint8_t)bits(r, 8);

	r->hcrc = crc32_gzip(r->hcrc, &b, 1);
	return b;
}

/* The next symbol of a code, or -1 for a code the table does not have
 * (known as soon as no longer code can match). */
static int decode(struct reader *r, const uint16_t *count, const uint16_t *symbol, uint32_t codes)
{
	int code = 0, first = 0, index = 0;

	for (unsigned l = 1; l <= MAXBITS; l++) {
		code |= (int)bits(r, 1);
		if (code - count[l] < first)
			return symbol[index + code - first];
		index += count[l];
		if ((uint32_t)index == codes)
			break;
		first = (first + count[l]) << 1;
		code <<= 1;
	}
	return -1;
}

/* Builds a canonical code from n code lengths; *codes gets the number of
 * symbols that have a code. False for an over-subscribed code, and for an
 * incomplete one unless it is a single one-bit code and single_ok (RFC 1951
 * 3.2.7 allows that for distances; zlib for literals/lengths too). An
 * empty code is accepted: decoding with it fails, as it should. */
static bool build(uint16_t *count, uint16_t *symbol, const uint8_t *lens, unsigned n,
		  uint32_t *codes, bool single_ok)
{
	uint16_t offs[MAXBITS + 1];
	int left = 1;

	fw_memset(count, 0, (MAXBITS + 1) * sizeof(*count));
	for (unsigned i = 0; i < n; i++)
		count[lens[i]]++;
	*codes = n - count[0];
	if (count[0] == n)
		return true;
	for (unsigned l = 1; l <= MAXBITS; l++) {
		left = (left << 1) - count[l];
		if (left < 0)
			return false;
	}
	offs[1] = 0;
	for (unsigned l = 1; l < MAXBITS; l++)
		offs[l + 1] = (uint16_t)(offs[l] + count[l]);
	for (unsigned i = 0; i < n; i++)
		if (lens[i] != 0)
			symbol[offs[lens[i]]++] = (uint16_t)i;
	return left == 0 || (single_ok && *codes == count[1]);
}

/* RFC 1951 3.2.6; 32 distance codes, as for zlib: 30 and 31 decode and
 * are then refused */
static void build_fixed(struct inflate_state *s)
{
	fw_memset(s->lens, 8, 288);
	fw_memset(s->lens + 144, 9, 112);
	fw_memset(s->lens + 256, 7, 24);
	build(s->lit.count, s->lit.symbol, s->lens, 288, &s->lit_codes, false);
	fw_memset(s->lens, 5, 32);
	build(s->dist.count, s->dist.symbol, s->lens, 32, &s->dist_codes, false);
}

/* RFC 1951 3.2.7: the code lengths, themselves Huffman coded. */
static int read_dynamic(struct reader *r)
{
	struct inflate_state *s = r->s;
	uint32_t nlen = bits(r, 5) + 257, ndist = bits(r, 5) + 1, ncode = bits(r, 4) + 4;
	uint32_t i;

	if (nlen > 286 || ndist > 30)
		return INFLATE_ERR_DATA;
	for (i = 0; i < 19; i++)
		s->lens[codelen_order[i]] = (uint8_t)(i < ncode ? bits(r, 3) : 0);
	if (!build(s->dist.count, s->dist.symbol, s->lens, 19, &s->dist_codes, false))
		return INFLATE_ERR_DATA;
	for (i = 0; i < nlen + ndist;) {
		int sym = decode(r, s->dist.count, s->dist.symbol, s->dist_codes);
		uint32_t rep = 1;
		uint8_t val = (uint8_t)sym;

		if (sym < 0)
			return INFLATE_ERR_DATA;
		if (sym >= 16) {
			/* 16: the previous length 3-6 times; 17, 18: zeros */
			val = 0;
			if (sym == 16) {
				if (i == 0)
					return INFLATE_ERR_DATA;
				val = s->lens[i - 1];
				rep = 3 + bits(r, 2);
			} else {
				rep = sym == 17 ? 3 + bits(r, 3) : 11 + bits(r, 7);
			}
			if (i + rep > nlen + ndist)
				return INFLATE_ERR_DATA;
		}
		while (rep--)
			s->lens[i++] = val;
	}
	if (s->lens[256] == 0 || /* no end-of-block code */
	    !build(s->lit.count, s->lit.symbol, s->lens, nlen, &s->lit_codes, true) ||
	    !build(s->dist.count, s->dist.symbol, s->lens + nlen, ndist, &s->dist_codes, true))
		return INFLATE_ERR_DATA;
	return INFLATE_OK;
}

/* RFC 1951 3.2.5: length codes 257..284 and distance codes 0..29 come in
 * groups of 4 (lengths) or 2 (distances) with one more extra bit per
 * group, so base and extra bits follow from the code; this is smaller than
 * the tables. Returns the base plus the extra bits, less the offset (3 or
 * 1). */
static uint32_t code_value(struct reader *r, uint32_t code, uint32_t group_log2)
{
	uint32_t group = 1u << group_log2, extra;

	if (code < 2 * group)
		return code;
	extra = (code >> group_log2) - 1;
	return ((group | (code & (group - 1))) << extra) + bits(r, extra);
}

static void emit(struct inflate_state *s, uint8_t *out, size_t *opos, uint8_t b)
{
	out[(*opos)++] = b;
	s->window[s->total & WINDOW_MASK] = b;
	s->total++;
	if (s->filled < INFLATE_WINDOW)
		s->filled++;
}

/* After a header field: the next one the flags announce, in RFC 1952
 * order, or the first block. */
static void next_header_field(struct inflate_state *s)
{
	if (s->cur.flags & GZ_FEXTRA) {
		s->cur.mode = M_GZ_XLEN;
	} else if (s->cur.flags & GZ_FNAME) {
		s->cur.mode = M_GZ_NAME;
	} else if (s->cur.flags & GZ_FCOMMENT) {
		s->cur.mode = M_GZ_COMMENT;
	} else if (s->cur.flags & GZ_FHCRC) {
		s->cur.mode = M_GZ_HCRC;
	} else {
		s->crc = 0; /* from here on, the CRC of the data */
		s->cur.mode = M_BLOCK;
	}
}

struct output {
	uint8_t *out;
	size_t outcap, opos, crc_from;
};

static void fold_crc(struct inflate_state *s, struct output *o)
{
	if (s->gzip && o->opos > o->crc_from)
		s->crc = crc32_gzip(s->crc, o->out + o->crc_from, o->opos - o->crc_from);
	o->crc_from = o->opos;
}

/* One step from the current mode. Writes to the state only what a replay
 * rewrites the same way, or, after its last read, what a complete step
 * decided (a starved step's reads were zeros: nothing it found counts). */
static int step(struct reader *r, struct output *o)
{
	struct inflate_state *s = r->s;
	uint32_t b, v;
	int sym;

	switch (s->cur.mode) {
	case M_GZ_HEADER:
		if (header_byte(r) != 0x1f || header_byte(r) != 0x8b || header_byte(r) != 8)
			return INFLATE_ERR_HEADER;
		b = header_byte(r);
		for (int i = 0; i < 6; i++)
			header_byte(r); /* MTIME, XFL, OS */
		if (r->starved)
			break;
		if (b & GZ_RESERVED)
			return INFLATE_ERR_HEADER;
		s->cur.flags = b;
		next_header_field(s);
		break;
	case M_GZ_XLEN:
		v = header_byte(r);
		v |= header_byte(r) << 8;
		if (r->starved)
			break;
		s->cur.left = v;
		s->cur.flags &= ~(uint32_t)GZ_FEXTRA;
		s->cur.mode = M_GZ_EXTRA;
		/* fall through - XLEN may be 0 */
	case M_GZ_EXTRA:
		if (s->cur.left == 0) {
			next_header_field(s);
			break;
		}
		header_byte(r);
		if (!r->starved)
			s->cur.left--;
		break;
	case M_GZ_NAME:
	case M_GZ_COMMENT:
		if (header_byte(r) == 0 && !r->starved) {
			s->cur.flags &= ~(uint32_t)(s->cur.mode == M_GZ_NAME ? GZ_FNAME : GZ_FCOMMENT);
			next_header_field(s);
		}
		break;
	case M_GZ_HCRC:
		v = (r->hcrc & 0xffffu) ^ bits(r, 16);
		if (r->starved)
			break;
		if (v != 0)
			return INFLATE_ERR_HEADER;
		s->cur.flags = 0;
		next_header_field(s);
		break;
	case M_BLOCK:
		s->cur.last = bits(r, 1);
		switch (bits(r, 2)) {
		case 0:
			bits(r, r->bitcount & 7u); /* to the byte boundary */
			v = bits(r, 16);
			if ((bits(r, 16) ^ v) != 0xffffu)
				return INFLATE_ERR_DATA;
			s->cur.left = v;
			s->cur.mode = M_STORED;
			break;
		case 1:
			build_fixed(s);
			s->cur.mode = M_SYMBOL;
			break;
		case 2:
			if ((sym = read_dynamic(r)) != INFLATE_OK)
				return sym;
			s->cur.mode = M_SYMBOL;
			break;
		default:
			return INFLATE_ERR_DATA;
		}
		break;
	case M_STORED:
		if (s->cur.left == 0)
			goto end_of_block;
		if (o->opos == o->outcap)
			return NEED_ROOM;
		v = bits(r, 8);
		if (!r->starved) {
			emit(s, o->out, &o->opos, (uint8_t)v);
			s->cur.left--;
		}
		break;
	case M_SYMBOL:
		sym = decode(r, s->lit.count, s->lit.symbol, s->lit_codes);
		if (sym < 0 || sym > 285)
			return INFLATE_ERR_DATA;
		if (sym < 256) {
			if (r->starved)
				break;
			if (o->opos == o->outcap)
				return NEED_ROOM;
			emit(s, o->out, &o->opos, (uint8_t)sym);
			break;
		}
		if (sym == 256)
			goto end_of_block;
		s->cur.left = sym == 285 ? 258 : code_value(r, (uint32_t)sym - 257, 2) + 3;
		sym = decode(r, s->dist.count, s->dist.symbol, s->dist_codes);
		if (sym < 0 || sym > 29)
			return INFLATE_ERR_DATA;
		s->cur.distance = code_value(r, (uint32_t)sym, 1) + 1;
		if (s->cur.distance > s->filled)
			return INFLATE_ERR_DATA; /* before the start of the output */
		s->cur.mode = M_COPY;
		break;
	case M_TRAILER:
		/* 4 bytes per step: the CRC is judged as soon as it is in, as
		 * zlib does, then the length */
		v = bits(r, 16);
		v |= bits(r, 16) << 16;
		if (r->starved)
			break;
		if (s->cur.left == 0) {
			if (v != s->crc)
				return INFLATE_ERR_CRC;
			s->cur.left = 1;
			break;
		}
		if (v != s->total)
			return INFLATE_ERR_SIZE;
		s->cur.mode = M_END;
		s->cur.status = INFLATE_DONE;
		break;
	}
	return INFLATE_OK;

end_of_block:
	if (!s->cur.last) {
		s->cur.mode = M_BLOCK;
	} else {
		bits(r, r->bitcount & 7u); /* the rest of the last byte is padding */
		s->cur.mode = M_END;
		s->cur.status = INFLATE_DONE;
		if (s->gzip) {
			fold_crc(s, o);
			s->cur.left = 0;
			s->cur.mode = M_TRAILER;
		}
	}
	return INFLATE_OK;
}

void inflate_init(struct inflate_state *s, bool gzip)
{
	/* the window needs no clearing: only written bytes are ever read */
	fw_memset(s, 0, offsetof(struct inflate_state, window));
	s->gzip = gzip;
	s->cur.mode = gzip ? M_GZ_HEADER : M_BLOCK;
	s->cur.status = INFLATE_OK;
}

enum inflate_status inflate_feed(struct inflate_state *s, const uint8_t *in, size_t inlen,
				 size_t *consumed, uint8_t *out, size_t outcap, size_t *produced)
{
	struct reader r = { s, in, inlen, 0, 0, 0, 0, 0, false };
	struct output o = { out, outcap, 0, 0 };
	struct inflate_position saved;
	int st = INFLATE_OK;

	while (s->cur.mode != M_END) {
		if (s->cur.mode == M_COPY) {
			for (; s->cur.left > 0 && o.opos < o.outcap; s->cur.left--)
				emit(s, out, &o.opos, s->window[(s->total - s->cur.distance) & WINDOW_MASK]);
			if (s->cur.left > 0)
				break;
			s->cur.mode = M_SYMBOL;
			continue;
		}
		r.bitbuf = s->bitbuf;
		r.bitcount = s->bitcount;
		r.spos = 0;
		r.hcrc = s->crc;
		fw_memcpy(&saved, &s->cur, sizeof(saved));
		st = step(&r, &o);
		if (r.starved || st == NEED_ROOM) {
			/* undone, and replayed by the next call */
			fw_memcpy(&s->cur, &saved, sizeof(saved));
			break;
		}
		if (st != INFLATE_OK) {
			s->cur.mode = M_END;
			s->cur.status = st;
			break;
		}
		/* commit: the bits left over, the stash bytes not used */
		s->bitbuf = r.bitbuf;
		s->bitcount = r.bitcount;
		s->stash_len -= r.spos;
		fw_memcpy(s->stash, s->stash + r.spos, s->stash_len);
		if (s->cur.mode < M_BLOCK)
			s->crc = r.hcrc;
	}
	if (s->cur.mode != M_TRAILER && s->cur.mode != M_END)
		fold_crc(s, &o);
	*consumed = r.ipos;
	*produced = o.opos;
	return s->cur.mode == M_END ? (enum inflate_status)s->cur.status : INFLATE_OK;
}

enum inflate_status inflate_finish(const struct inflate_state *s)
{
	if (s->cur.mode != M_END)
		return INFLATE_ERR_TRUNCATED;
	return (enum inflate_status)s->cur.status;
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
