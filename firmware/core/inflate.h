/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Streaming raw-deflate and gzip decoder (RFC 1951/1952) with a fixed
 * 32 KiB window and no allocation. Input and output are fed in pieces of
 * any size, so eboot can read the source a sector at a time and write the
 * destination a sector at a time. */
#ifndef ESPOTA_FW_INFLATE_H
#define ESPOTA_FW_INFLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define INFLATE_WINDOW 32768u

enum inflate_status {
	INFLATE_OK = 0,          /* progress made; call again with more input or output room */
	INFLATE_DONE = 1,        /* end of stream (gzip: trailer read and checked) */
	INFLATE_ERR_HEADER = -1, /* bad gzip header (magic, CM != 8, reserved flags) */
	INFLATE_ERR_DATA = -2,   /* invalid deflate data */
	INFLATE_ERR_CRC = -3,    /* gzip trailer CRC-32 mismatch */
	INFLATE_ERR_SIZE = -4,   /* gzip trailer ISIZE mismatch */
	INFLATE_ERR_TRUNCATED = -5, /* inflate_finish() before the stream ended */
};

/* A canonical Huffman code: how many codes of each length, and the
 * symbols in code order (as RFC 1951 3.2.2 assigns them). The distance
 * table also holds the 19-symbol code-length code. */
struct inflate_huffman {
	uint32_t codes; /* symbols that have a code */
	uint16_t count[16];
	uint16_t symbol[288];
};

/* The decoder state: window, bit buffer, Huffman tables, gzip bookkeeping.
 * The fields are private to inflate.c; the size is fixed at compile time
 * (about 34 KiB) and the struct holds no pointers, so it may be copied. */
struct inflate_state {
	uint32_t bitbuf;             /* input bits not used yet, LSB first (fewer than 8 between steps) */
	uint32_t bitcount;
	uint32_t total;              /* bytes written, mod 2^32 (gzip ISIZE) */
	uint32_t filled;             /* bytes of valid history, up to the window size */
	uint32_t crc;                /* gzip: CRC-32 of the header, then of the output so far */
	uint32_t left;               /* bytes left: stored block, gzip extra field */
	uint32_t copy;               /* bytes of the match (or literal) still to write */
	uint32_t back;               /* the mode to go back to after the copy */
	uint32_t distance;           /* of the match being copied */
	uint32_t extra;              /* extra bits of the pending length or distance code */
	uint32_t index;              /* progress through a header, table or trailer */
	uint32_t nlen, ndist, ncode; /* dynamic block header */
	uint32_t code, code_index, code_len; /* a Huffman code part read */
	uint32_t mode;
	uint32_t gzip;
	uint32_t last;   /* the block being decoded is the final one */
	uint32_t flags;  /* gzip FLG */
	int32_t status;  /* sticky result once done or failed */
	/* Word-sized fields first, tables and window last: the lx106 then
	 * reaches every field with one short-offset load and no narrowing. */
	struct inflate_huffman dist; /* distance code of the block */
	struct inflate_huffman lit;  /* literal/length code of the block */
	uint8_t lens[288 + 32];      /* code lengths while a table is built */
	uint8_t window[INFLATE_WINDOW];
};

/* gzip=true: expect a gzip member (header, deflate, CRC-32 + ISIZE trailer);
 * false: raw deflate. */
void inflate_init(struct inflate_state *s, bool gzip);

/* Consumes input from in[0..inlen) and writes output to out[0..outcap).
 * *consumed and *produced say how much was used. Returns INFLATE_OK while
 * more is expected, INFLATE_DONE at the end, or an error (sticky). Input
 * is read only as far as needed, so at INFLATE_DONE *consumed ends exactly
 * at the end of the stream (raw deflate: its last byte; gzip: the
 * trailer); bytes after it are left alone. */
enum inflate_status inflate_feed(struct inflate_state *s, const uint8_t *in, size_t inlen,
				 size_t *consumed, uint8_t *out, size_t outcap, size_t *produced);

/* After the last input: INFLATE_DONE if the stream ended, else an error. */
enum inflate_status inflate_finish(const struct inflate_state *s);

const char *inflate_strerror(enum inflate_status st);

/* Reads the ISIZE trailer (uncompressed length mod 2^32) of a gzip member
 * whose last 4 bytes are tail. */
static inline uint32_t gzip_isize(const uint8_t tail[4])
{
	return (uint32_t)tail[0] | (uint32_t)tail[1] << 8 | (uint32_t)tail[2] << 16 |
	       (uint32_t)tail[3] << 24;
}

#endif
