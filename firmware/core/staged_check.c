/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "staged_check.h"

#include "flash_layout.h"
#include "fwmem.h"
#include "hal.h"
#include "image_walk.h"

/* The two images of a .bin, fed its bytes in order. */
struct bin_walk {
	struct image_walk eboot, app;
};

static void bin_walk_init(struct bin_walk *b, uint32_t len)
{
	/* eboot's image must end inside its sector, before the app starts */
	image_walk_init(&b->eboot, len < FLASH_APP_START ? len : FLASH_APP_START, NULL, NULL);
	image_walk_init(&b->app, len > FLASH_APP_START ? len - FLASH_APP_START : 0, NULL, NULL);
}

/* Feeds bytes [off, off + n) of the .bin. */
static void bin_walk_feed(struct bin_walk *b, uint32_t off, const uint8_t *p, size_t n)
{
	if (off < FLASH_APP_START) {
		size_t k = FLASH_APP_START - off < n ? FLASH_APP_START - off : n;

		image_walk_feed(&b->eboot, p, k);
		p += k;
		n -= k;
	}
	if (n > 0)
		image_walk_feed(&b->app, p, n);
}

static bool bin_walk_done(const struct bin_walk *b)
{
	return image_walk_done(&b->eboot) && image_walk_done(&b->app);
}

static enum staged_status report(struct staged_report *r, enum staged_status st)
{
	r->status = st;
	return st;
}

static enum staged_status bin_walk_end(struct bin_walk *b, struct staged_report *r)
{
	r->image = image_walk_end(&b->eboot);
	if (r->image != IMAGE_OK)
		return report(r, STAGED_ERR_EBOOT);
	r->image = image_walk_end(&b->app);
	if (r->image != IMAGE_OK)
		return report(r, STAGED_ERR_APP);
	return report(r, STAGED_OK);
}

static void report_init(struct staged_report *r)
{
	fw_memset(r, 0, sizeof(*r));
	r->image = IMAGE_OK;
	r->inflate = INFLATE_OK;
}

enum staged_status staged_check_bin(struct hal *h, uint32_t addr, uint32_t len, uint8_t *buf,
				    size_t cap, struct staged_report *r)
{
	struct bin_walk b;

	report_init(r);
	bin_walk_init(&b, len);
	for (uint32_t off = 0, n; off < len && !bin_walk_done(&b); off += n) {
		n = len - off < cap ? len - off : (uint32_t)cap;
		if (image_flash_read(h, addr + off, buf, n) != HAL_OK)
			return report(r, STAGED_ERR_READ);
		bin_walk_feed(&b, off, buf, n);
	}
	return bin_walk_end(&b, r);
}

enum staged_status staged_check_gzip(struct hal *h, uint32_t addr, uint32_t len, bool app,
				     struct staged_work *w, struct staged_report *r)
{
	struct bin_walk b;
	enum inflate_status st = INFLATE_OK;
	uint32_t src = 0, in_pos = 0, in_len = 0;

	report_init(r);
	/* The walk's limit is the output itself: segments that claim more
	 * than the stream inflates to are cut short. */
	bin_walk_init(&b, UINT32_MAX);
	inflate_init(&w->inflate, true);
	while (st == INFLATE_OK) {
		size_t used, made;

		if (in_pos == in_len) {
			if (src == len)
				break;
			in_len = len - src < sizeof(w->in) ? len - src : (uint32_t)sizeof(w->in);
			if (image_flash_read(h, addr + src, w->in, in_len) != HAL_OK)
				return report(r, STAGED_ERR_READ);
			src += in_len;
			in_pos = 0;
		}
		st = inflate_feed(&w->inflate, w->in + in_pos, in_len - in_pos, &used, w->out,
				  sizeof(w->out), &made);
		if (app)
			bin_walk_feed(&b, r->inflated, w->out, made);
		r->inflated += (uint32_t)made;
		in_pos += (uint32_t)used;
		/* with input at hand and room for output it always moves */
		if (st == INFLATE_OK && used == 0 && made == 0)
			st = INFLATE_ERR_DATA;
	}
	if (st == INFLATE_OK)
		st = inflate_finish(&w->inflate);
	if (st != INFLATE_DONE) {
		r->inflate = st;
		return report(r, STAGED_ERR_GZIP);
	}
	r->inflate = st;
	r->inflated_bin = app;
	/* eboot reads ISIZE from the last 4 bytes: they must be the trailer */
	if (in_pos != in_len || src != len)
		return report(r, STAGED_ERR_GZIP_TAIL);
	if (!app)
		return report(r, STAGED_OK);
	return bin_walk_end(&b, r);
}

const char *staged_where(const struct staged_report *r)
{
	switch (r->status) {
	case STAGED_OK:
	case STAGED_ERR_READ:
		return "staged image";
	case STAGED_ERR_EBOOT:
		return r->inflated_bin ? "inflated eboot image at 0" : "eboot image at 0";
	case STAGED_ERR_APP:
		return r->inflated_bin ? "inflated app image at 0x1000" : "app image at 0x1000";
	case STAGED_ERR_GZIP:
	case STAGED_ERR_GZIP_TAIL:
		return "gzip stream";
	}
	return "staged image";
}

const char *staged_why(const struct staged_report *r)
{
	switch (r->status) {
	case STAGED_OK:
		return "success";
	case STAGED_ERR_READ:
		return image_strerror(IMAGE_ERR_READ);
	case STAGED_ERR_EBOOT:
	case STAGED_ERR_APP:
		return image_strerror(r->image);
	case STAGED_ERR_GZIP:
		return inflate_strerror(r->inflate);
	case STAGED_ERR_GZIP_TAIL:
		return "bytes follow the gzip trailer where eboot reads its length; send the .bin.gz as gzip made it";
	}
	return "unknown";
}
