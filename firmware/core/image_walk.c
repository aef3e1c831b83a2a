/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "image_walk.h"

#include "fwmem.h"
#include "hal.h"

enum walk_step {
	STEP_HEADER,
	STEP_SEGMENT_HEADER,
	STEP_DATA,
	STEP_PADDING,
	STEP_CHECKSUM,
	STEP_DONE,
};

static enum image_status fail(struct image_walk *w, enum image_status st)
{
	w->status = st;
	w->step = STEP_DONE;
	return st;
}

/* Moves to step, which needs want more bytes; they must fit the limit. */
static void begin_step(struct image_walk *w, enum walk_step step, uint32_t want)
{
	if (want > w->limit - w->pos) {
		fail(w, IMAGE_ERR_TRUNCATED);
		return;
	}
	w->step = step;
	w->want = want;
}

/* After a segment's data: the next segment, or the zero padding up to the
 * checksum byte, which is the last byte of a 16-byte block. */
static void after_segment(struct image_walk *w)
{
	uint32_t checksum_at = w->pos | 15u;

	if (w->segment < w->hdr.segments)
		begin_step(w, STEP_SEGMENT_HEADER, IMAGE_SEGMENT_HEADER_SIZE);
	else if (checksum_at == w->pos)
		begin_step(w, STEP_CHECKSUM, 1);
	else if (checksum_at >= w->limit)
		fail(w, IMAGE_ERR_TRUNCATED);
	else
		begin_step(w, STEP_PADDING, checksum_at - w->pos);
}

static void header_done(struct image_walk *w)
{
	image_header_parse(&w->hdr, w->raw);
	if (w->hdr.magic != IMAGE_MAGIC)
		fail(w, IMAGE_ERR_MAGIC);
	else if (w->hdr.segments == 0 || w->hdr.segments > IMAGE_MAX_SEGMENTS)
		fail(w, IMAGE_ERR_SEGMENTS);
	else
		begin_step(w, STEP_SEGMENT_HEADER, IMAGE_SEGMENT_HEADER_SIZE);
}

static void segment_header_done(struct image_walk *w)
{
	w->load = fw_load_le32(w->raw);
	w->len = fw_load_le32(w->raw + 4);
	w->segment++;
	if (w->rule && !w->rule(w->rule_ctx, w->load, w->len)) {
		fail(w, IMAGE_ERR_PLACEMENT);
		return;
	}
	if (w->segment == 1)
		w->irom_first = w->load == IMAGE_IROM0_ADDR && w->len >= 8;
	if (w->len == 0)
		after_segment(w);
	else
		begin_step(w, STEP_DATA, w->len);
}

void image_walk_init(struct image_walk *w, uint32_t limit, image_segment_rule rule,
		     void *rule_ctx)
{
	fw_memset(w, 0, sizeof(*w));
	w->limit = limit;
	w->sum = 0xEF;
	w->status = IMAGE_OK;
	w->rule = rule;
	w->rule_ctx = rule_ctx;
	begin_step(w, STEP_HEADER, IMAGE_HEADER_SIZE);
}

enum image_status image_walk_feed(struct image_walk *w, const uint8_t *p, size_t len)
{
	while (len > 0 && w->step != STEP_DONE) {
		uint32_t n = len < w->want ? (uint32_t)len : w->want;

		switch ((enum walk_step)w->step) {
		case STEP_HEADER:
		case STEP_SEGMENT_HEADER:
			fw_memcpy(w->raw + (IMAGE_HEADER_SIZE - w->want), p, n);
			break;
		case STEP_DATA:
			for (uint32_t i = 0; i < n; i++) {
				w->sum ^= p[i];
				/* the two words elf2bin fills in after the checksum */
				if (w->irom_first && w->segment == 1 && w->len - w->want + i < 8)
					w->irom_words ^= p[i];
			}
			break;
		case STEP_PADDING:
			break; /* the ROM does not look at the padding */
		case STEP_CHECKSUM:
			/* elf2bin summed the .irom0.text words while they were 0 */
			if (p[0] != w->sum && !(w->irom_first && p[0] == (uint8_t)(w->sum ^ w->irom_words)))
				return fail(w, IMAGE_ERR_CHECKSUM);
			break;
		case STEP_DONE:
			break;
		}
		p += n;
		len -= n;
		w->pos += n;
		w->want -= n;
		if (w->want > 0)
			continue;
		switch ((enum walk_step)w->step) {
		case STEP_HEADER:
			header_done(w);
			break;
		case STEP_SEGMENT_HEADER:
			segment_header_done(w);
			break;
		case STEP_DATA:
			after_segment(w);
			break;
		case STEP_PADDING:
			begin_step(w, STEP_CHECKSUM, 1);
			break;
		case STEP_CHECKSUM:
		case STEP_DONE:
			w->step = STEP_DONE;
			break;
		}
	}
	return w->status;
}

bool image_walk_done(const struct image_walk *w)
{
	return w->step == STEP_DONE;
}

enum image_status image_walk_end(struct image_walk *w)
{
	if (w->status == IMAGE_OK && w->step != STEP_DONE)
		fail(w, IMAGE_ERR_TRUNCATED);
	return w->status;
}

uint32_t image_walk_length(const struct image_walk *w)
{
	return w->pos;
}

enum image_status image_walk_flash(struct hal *h, uint32_t addr, struct image_walk *w,
				   uint8_t *buf, size_t cap)
{
	uint32_t off = 0;

	while (!image_walk_done(w) && off < w->limit) {
		uint32_t n = w->limit - off < cap ? w->limit - off : (uint32_t)cap;
		int rc = image_flash_read(h, addr + off, buf, n);

		if (rc != HAL_OK) {
			w->hal_rc = rc;
			return fail(w, IMAGE_ERR_READ);
		}
		image_walk_feed(w, buf, n);
		off += n;
	}
	return image_walk_end(w);
}
