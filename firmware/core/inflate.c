/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Inflate as a resumable state machine. Every step either completes with
 * the input at hand or leaves the state as it was, so the caller may split
 * input and output anywhere. Huffman codes are decoded a bit at a time
 * from count/symbol tables (the method of zlib's puff.c): slower than
 * lookup tables, but small, which matters in the 4 KiB eboot. */
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
	M_STORED_LEN, /* LEN and NLEN */
	M_STORED,     /* stored bytes */
	M_TABLE_SIZES,
	M_CODELENS,   /* lengths of the code-length code */
	M_LENS,       /* literal/length and distance code lengths */
	M_LIT,        /* a literal, or a length with its extra bits */
	M_DIST,       /* a distance code */
	M_DIST_EXTRA, /* its extra bits */
	M_COPY,       /* copying a match from the window */
	M_TRAILER,    /* gzip CRC-32 and ISIZE */
	M_END,
};

#define GZ_FHCRC 0x02
#define GZ_FEXTRA 0x04
#define GZ_FNAME 0x08
#define GZ_FCOMMENT 0x10
#define GZ_RESERVED 0xE0

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

/* RFC 1951 3.2.7: the order in which code-length code lengths are sent */
static const uint8_t codelen_order[19] = { 16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
					   11, 4,  12, 3, 13, 2, 14, 1, 15 };

struct inflate_io {
	const uint8_t *in;
	size_t inlen, ipos;
	uint8_t *out;
	size_t outcap, opos, crc_from;
};

/* Pulls input bytes until n bits (n <= 24) are buffered; false if the
 * input ran out first (the bits stay buffered for the next call). */
static bool need(struct inflate_state *s, struct inflate_io *io, uint32_t n)
{
	while (s->bitcount < n) {
		if (io->ipos == io->inlen)
			return false;
		s->bitbuf |= (uint32_t)io->in[io->ipos++] << s->bitcount;
		s->bitcount += 8;
	}
	return true;
}

static uint32_t take(struct inflate_state *s, uint32_t n)
{
	uint32_t v = s->bitbuf & ((1u << n) - 1u);

	s->bitbuf >>= n;
	s->bitcount -= n;
	return v;
}

/* Finds the next symbol without consuming it: its code length goes to
 * *len. Returns -1 when the input ran out first, -2 for a code the table
 * does not have (known as soon as no longer code can match). Input is
 * pulled a byte at a time, only as far as the code reaches, so nothing
 * past the stream's end is read. */
static int peek_symbol(struct inflate_state *s, struct inflate_io *io, const uint16_t *count,
		       const uint16_t *symbol, uint32_t codes, uint32_t *len)
{
	int code = 0, first = 0, index = 0;

	for (unsigned l = 1; l <= MAXBITS; l++) {
		if (!need(s, io, l))
			return -1;
		code |= (int)(s->bitbuf >> (l - 1)) & 1;
		if (code - count[l] < first) {
			*len = l;
			return symbol[index + code - first];
		}
		index += count[l];
		if ((uint32_t)index == codes)
			break; /* no longer codes: an unused code of an incomplete set */
		first = (first + count[l]) << 1;
		code <<= 1;
	}
	return -2;
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

/* RFC 1951 3.2.6 */
static void build_fixed(struct inflate_state *s)
{
	fw_memset(s->lens, 8, 288);
	fw_memset(s->lens + 144, 9, 112);
	fw_memset(s->lens + 256, 7, 24);
	build(s->lit.count, s->lit.symbol, s->lens, 288, &s->lit_codes, false);
	/* 32 codes, as for zlib: 30 and 31 decode, and are then refused */
	fw_memset(s->lens, 5, 32);
	build(s->dist.count, s->dist.symbol, s->lens, 32, &s->dist_codes, false);
}

static bool build_dynamic(struct inflate_state *s)
{
	return s->lens[256] != 0 && /* an end-of-block code */
	       build(s->lit.count, s->lit.symbol, s->lens, s->nlen, &s->lit_codes, true) &&
	       build(s->dist.count, s->dist.symbol, s->lens + s->nlen, s->ndist, &s->dist_codes, true);
}

static void emit(struct inflate_state *s, struct inflate_io *io, uint8_t b)
{
	io->out[io->opos++] = b;
	s->window[s->total & WINDOW_MASK] = b;
	s->total++;
	if (s->filled < INFLATE_WINDOW)
		s->filled++;
}

static void fold_crc(struct inflate_state *s, struct inflate_io *io)
{
	if (s->gzip && io->opos > io->crc_from)
		s->crc = crc32_gzip(s->crc, io->out + io->crc_from, io->opos - io->crc_from);
	io->crc_from = io->opos;
}

static enum inflate_status fail(struct inflate_state *s, enum inflate_status st)
{
	s->mode = M_END;
	s->status = st;
	return st;
}

/* The end of a block: the next block, or the end of the stream. */
static void end_block(struct inflate_state *s, struct inflate_io *io)
{
	if (!s->last) {
		s->mode = M_BLOCK;
		return;
	}
	take(s, s->bitcount & 7u); /* the rest of the last byte is padding */
	if (s->gzip) {
		fold_crc(s, io);
		s->index = 0;
		s->mode = M_TRAILER;
	} else {
		s->mode = M_END;
		s->status = INFLATE_DONE;
	}
}

/* One gzip header byte at a time (RFC 1952 2.3). */
static enum inflate_status gzip_header(struct inflate_state *s, struct inflate_io *io)
{
	while (need(s, io, 8)) {
		uint32_t b = take(s, 8);
		uint8_t byte = (uint8_t)b;

		/* FHCRC covers every header byte before it */
		if (s->mode != M_GZ_HCRC)
			s->crc = crc32_gzip(s->crc, &byte, 1);
		switch (s->mode) {
		case M_GZ_HEADER:
			if ((s->index == 0 && b != 0x1f) || (s->index == 1 && b != 0x8b) ||
			    (s->index == 2 && b != 8) || (s->index == 3 && (b & GZ_RESERVED)))
				return fail(s, INFLATE_ERR_HEADER);
			if (s->index == 3)
				s->flags = b;
			if (++s->index < 10)
				continue;
			s->index = 0;
			break;
		case M_GZ_XLEN:
			s->left |= b << (8 * s->index);
			if (++s->index < 2)
				continue;
			s->flags &= ~(uint32_t)GZ_FEXTRA;
			s->mode = M_GZ_EXTRA;
			break;
		case M_GZ_EXTRA:
			s->left--;
			break;
		case M_GZ_NAME:
		case M_GZ_COMMENT:
			if (b != 0)
				continue;
			s->flags &= ~(uint32_t)(s->mode == M_GZ_NAME ? GZ_FNAME : GZ_FCOMMENT);
			break;
		default: /* M_GZ_HCRC */
			s->left |= b << (8 * s->index);
			if (++s->index < 2)
				continue;
			if (s->left != (s->crc & 0xffffu))
				return fail(s, INFLATE_ERR_HEADER);
			s->flags &= ~(uint32_t)GZ_FHCRC;
			break;
		}
		/* the next field the flags announce, in RFC 1952 order */
		if (s->mode == M_GZ_EXTRA && s->left > 0)
			continue;
		s->index = 0;
		if (s->flags & GZ_FEXTRA) {
			s->mode = M_GZ_XLEN;
			s->left = 0;
		} else if (s->flags & GZ_FNAME) {
			s->mode = M_GZ_NAME;
		} else if (s->flags & GZ_FCOMMENT) {
			s->mode = M_GZ_COMMENT;
		} else if (s->flags & GZ_FHCRC) {
			s->mode = M_GZ_HCRC;
			s->left = 0;
		} else {
			s->crc = 0; /* from here on, the CRC of the data */
			s->mode = M_BLOCK;
			return INFLATE_OK;
		}
	}
	return INFLATE_OK;
}

void inflate_init(struct inflate_state *s, bool gzip)
{
	/* the window needs no clearing: only written bytes are ever read */
	fw_memset(s, 0, offsetof(struct inflate_state, window));
	s->gzip = gzip;
	s->mode = gzip ? M_GZ_HEADER : M_BLOCK;
	s->status = INFLATE_OK;
}

/* Runs the state machine until it needs more input or more room, ends,
 * or fails. */
static enum inflate_status run(struct inflate_state *s, struct inflate_io *io)
{
	for (;;) {
		uint32_t len, ext;
		int sym;

		switch (s->mode) {
		case M_GZ_HEADER:
		case M_GZ_XLEN:
		case M_GZ_EXTRA:
		case M_GZ_NAME:
		case M_GZ_COMMENT:
		case M_GZ_HCRC:
			if (gzip_header(s, io) != INFLATE_OK)
				return (enum inflate_status)s->status;
			if (s->mode != M_BLOCK)
				return INFLATE_OK;
			break;
		case M_BLOCK:
			if (!need(s, io, 3))
				return INFLATE_OK;
			s->last = take(s, 1);
			switch (take(s, 2)) {
			case 0:
				take(s, s->bitcount & 7u);
				s->index = 0;
				s->mode = M_STORED_LEN;
				break;
			case 1:
				build_fixed(s);
				s->mode = M_LIT;
				break;
			case 2:
				s->mode = M_TABLE_SIZES;
				break;
			default:
				return fail(s, INFLATE_ERR_DATA);
			}
			break;
		case M_STORED_LEN:
			/* byte-aligned here, so at most 16 bits are buffered */
			if (!need(s, io, 16))
				return INFLATE_OK;
			if (s->index == 0) {
				s->left = take(s, 16);
				s->index = 1;
				break;
			}
			s->index = 0;
			if (take(s, 16) != (~s->left & 0xffffu))
				return fail(s, INFLATE_ERR_DATA);
			s->mode = M_STORED;
			break;
		case M_STORED:
			while (s->left > 0) {
				if (io->opos == io->outcap || !need(s, io, 8))
					return INFLATE_OK;
				emit(s, io, (uint8_t)take(s, 8));
				s->left--;
			}
			end_block(s, io);
			break;
		case M_TABLE_SIZES:
			if (!need(s, io, 14))
				return INFLATE_OK;
			s->nlen = take(s, 5) + 257;
			s->ndist = take(s, 5) + 1;
			s->ncode = take(s, 4) + 4;
			if (s->nlen > 286 || s->ndist > 30)
				return fail(s, INFLATE_ERR_DATA);
			s->index = 0;
			s->mode = M_CODELENS;
			break;
		case M_CODELENS:
			for (; s->index < 19; s->index++) {
				if (s->index < s->ncode && !need(s, io, 3))
					return INFLATE_OK;
				s->lens[codelen_order[s->index]] =
					(uint8_t)(s->index < s->ncode ? take(s, 3) : 0);
			}
			if (!build(s->dist.count, s->dist.symbol, s->lens, 19, &s->dist_codes, false))
				return fail(s, INFLATE_ERR_DATA);
			s->index = 0;
			s->mode = M_LENS;
			break;
		case M_LENS:
			while (s->index < s->nlen + s->ndist) {
				unsigned rep;
				uint8_t val = 0;

				sym = peek_symbol(s, io, s->dist.count, s->dist.symbol, s->dist_codes, &len);
				if (sym == -1)
					return INFLATE_OK;
				if (sym < 0)
					return fail(s, INFLATE_ERR_DATA);
				if (sym < 16) {
					take(s, len);
					s->lens[s->index++] = (uint8_t)sym;
					continue;
				}
				/* 16: repeat the previous 3-6 times; 17, 18: zeros */
				ext = sym == 16 ? 2 : sym == 17 ? 3 : 7;
				if (!need(s, io, len + ext))
					return INFLATE_OK;
				take(s, len);
				rep = take(s, ext) + (sym == 18 ? 11u : 3u);
				if (sym == 16) {
					if (s->index == 0)
						return fail(s, INFLATE_ERR_DATA);
					val = s->lens[s->index - 1];
				}
				if (s->index + rep > (unsigned)(s->nlen + s->ndist))
					return fail(s, INFLATE_ERR_DATA);
				while (rep--)
					s->lens[s->index++] = val;
			}
			if (!build_dynamic(s))
				return fail(s, INFLATE_ERR_DATA);
			s->mode = M_LIT;
			break;
		case M_LIT:
			sym = peek_symbol(s, io, s->lit.count, s->lit.symbol, s->lit_codes, &len);
			if (sym == -1)
				return INFLATE_OK;
			if (sym < 0 || sym > 285)
				return fail(s, INFLATE_ERR_DATA);
			if (sym < 256) {
				if (io->opos == io->outcap)
					return INFLATE_OK;
				take(s, len);
				emit(s, io, (uint8_t)sym);
				break;
			}
			if (sym == 256) {
				take(s, len);
				end_block(s, io);
				break;
			}
			/* a length: symbol and extra bits go together */
			if (sym == 285) {
				ext = 0;
				s->left = 258;
			} else {
				s->left = code_base((uint32_t)sym - 257, 2, &ext) + 3;
			}
			if (!need(s, io, len + ext))
				return INFLATE_OK;
			take(s, len);
			s->left += take(s, ext);
			s->mode = M_DIST;
			break;
		case M_DIST:
			sym = peek_symbol(s, io, s->dist.count, s->dist.symbol, s->dist_codes, &len);
			if (sym == -1)
				return INFLATE_OK;
			if (sym < 0 || sym > 29)
				return fail(s, INFLATE_ERR_DATA);
			take(s, len);
			s->distance = code_base((uint32_t)sym, 1, &s->extra) + 1;
			s->mode = M_DIST_EXTRA;
			break;
		case M_DIST_EXTRA:
			if (!need(s, io, s->extra))
				return INFLATE_OK;
			s->distance += take(s, s->extra);
			if (s->distance > s->filled)
				return fail(s, INFLATE_ERR_DATA); /* before the start of the output */
			s->mode = M_COPY;
			break;
		case M_COPY:
			while (s->left > 0) {
				if (io->opos == io->outcap)
					return INFLATE_OK;
				emit(s, io, s->window[(s->total - s->distance) & WINDOW_MASK]);
				s->left--;
			}
			s->mode = M_LIT;
			break;
		case M_TRAILER:
			while (s->index < 8) {
				if (!need(s, io, 8))
					return INFLATE_OK;
				s->trailer[s->index++] = (uint8_t)take(s, 8);
				/* the CRC is judged as soon as it is in, as zlib does */
				if (s->index == 4 && fw_load_le32(s->trailer) != s->crc)
					return fail(s, INFLATE_ERR_CRC);
			}
			if (gzip_isize(s->trailer + 4) != s->total)
				return fail(s, INFLATE_ERR_SIZE);
			s->mode = M_END;
			s->status = INFLATE_DONE;
			break;
		default: /* M_END */
			return (enum inflate_status)s->status;
		}
	}
}

enum inflate_status inflate_feed(struct inflate_state *s, const uint8_t *in, size_t inlen,
				 size_t *consumed, uint8_t *out, size_t outcap, size_t *produced)
{
	struct inflate_io io = { in, inlen, 0, out, outcap, 0, 0 };
	enum inflate_status st = run(s, &io);

	if (s->mode != M_TRAILER && s->mode != M_END)
		fold_crc(s, &io);
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
