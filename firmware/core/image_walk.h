/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The walk a loader makes over one ROM-format image (docs/protocol/image-and-flash.md
 * §3): the 8-byte header, each segment's header and data, the zero padding
 * and the checksum byte that ends the image on a 16-byte boundary. It is
 * fed the image's bytes in order, in pieces of any size, so the same walk
 * runs over flash (the staged upload, the installed app, eboot's stage 2)
 * and over the output of inflate (a gzip upload, checked before it is
 * scheduled). One walker, one set of rules: what passes here is what the
 * simulator's boot ROM and eboot's loaders accept.
 */
#ifndef ESPOTA_FW_IMAGE_WALK_H
#define ESPOTA_FW_IMAGE_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "image_header.h"

struct hal;

/* esptool refuses more ("usually a linker script problem"); an image with
 * none has nothing to run. */
#define IMAGE_MAX_SEGMENTS 16u
/* The .irom0.text load address of an Arduino app: elf2bin writes the .bin
 * length and CRC into its first 8 bytes after the checksum is taken. */
#define IMAGE_IROM0_ADDR 0x40201010u

/* A loader's rule for where a segment may go (stage 2's RAM windows); NULL
 * accepts any. */
typedef bool (*image_segment_rule)(void *ctx, uint32_t load, uint32_t len);

/* The walk's state; caller-owned, no pointers into the image. */
struct image_walk {
	uint32_t limit;     /* bytes the image may span */
	uint32_t pos;       /* bytes of it consumed */
	uint32_t want;      /* bytes the current step still needs */
	uint32_t step;
	uint32_t segment;   /* segments whose header has been read */
	uint32_t load, len; /* the current segment */
	uint8_t raw[8];     /* the header or segment header being gathered */
	uint8_t sum;        /* 0xEF xor every segment data byte so far */
	uint8_t irom_words; /* xor of the first 8 data bytes of an .irom0.text first segment */
	bool irom_first;
	struct image_header hdr;
	enum image_status status;
	int hal_rc;         /* the HAL code of a failed read (IMAGE_ERR_READ) */
	image_segment_rule rule;
	void *rule_ctx;
};

/* Starts a walk over an image of at most limit bytes. */
void image_walk_init(struct image_walk *w, uint32_t limit, image_segment_rule rule,
		     void *rule_ctx);
/* Feeds the next len bytes of the image. Bytes after the checksum are
 * ignored. Returns IMAGE_OK while nothing is wrong yet, else the first
 * error (sticky). */
enum image_status image_walk_feed(struct image_walk *w, const uint8_t *p, size_t len);
/* The walk has seen the checksum byte (or failed): nothing more to feed. */
bool image_walk_done(const struct image_walk *w);
/* After the last byte: IMAGE_OK when the whole image was seen and its
 * checksum matches, IMAGE_ERR_TRUNCATED when the bytes ran out first. */
enum image_status image_walk_end(struct image_walk *w);
/* The image's length, header to checksum byte (once it has walked OK). */
uint32_t image_walk_length(const struct image_walk *w);

/* Walks the image at flash offset addr, as image_walk_init() set up,
 * reading through buf (cap bytes) only as far as the image goes. Returns
 * image_walk_end(); a failed read is IMAGE_ERR_READ with w->hal_rc. */
enum image_status image_walk_flash(struct hal *h, uint32_t addr, struct image_walk *w,
				   uint8_t *buf, size_t cap);

#endif
