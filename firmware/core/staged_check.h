/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Checks an upload staged in flash before eboot is told to install it, so
 * that the uploader hears about an image that cannot boot while the old
 * app still runs. An Arduino .bin (docs/protocol/image-and-flash.md §2)
 * holds two ROM-format images: the eboot image at 0, which the ROM loads,
 * within its 4 KiB sector, and the app image at 0x1000, which eboot loads;
 * both are walked with their checksums (image_walk.h). A gzip upload is
 * inflated in RAM, writing nothing, which checks its CRC-32 and ISIZE, and
 * the inflated .bin is walked the same way.
 */
#ifndef ESPOTA_FW_STAGED_CHECK_H
#define ESPOTA_FW_STAGED_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "image_header.h"
#include "inflate.h"

struct hal;

enum staged_status {
	STAGED_OK = 0,
	STAGED_ERR_READ = 1,      /* a flash read failed */
	STAGED_ERR_EBOOT = 2,     /* the eboot image at 0 does not walk (see image) */
	STAGED_ERR_APP = 3,       /* the app image at 0x1000 does not walk (see image) */
	STAGED_ERR_GZIP = 4,      /* the gzip stream does not inflate cleanly (see inflate) */
	STAGED_ERR_GZIP_TAIL = 5, /* the gzip member ends before the bytes given do */
};

struct staged_report {
	enum staged_status status;
	enum image_status image;     /* STAGED_ERR_EBOOT, STAGED_ERR_APP */
	enum inflate_status inflate; /* STAGED_ERR_GZIP */
	bool inflated_bin;           /* the images walked were a gzip stream's output */
	uint32_t inflated;           /* a gzip stream's output, in bytes */
};

/* Scratch for the gzip check: the 32 KiB inflate window and two small
 * buffers. Caller-owned (the Updater keeps it in its sector buffer's
 * union: it is needed only at end()). */
struct staged_work {
	struct inflate_state inflate;
	uint8_t in[512];
	uint8_t out[1024];
};

/* The .bin staged at flash offset addr, len bytes long, read through buf
 * (cap bytes of scratch). */
enum staged_status staged_check_bin(struct hal *h, uint32_t addr, uint32_t len, uint8_t *buf,
				    size_t cap, struct staged_report *r);

/* The gzip member staged at addr whose trailer ends at addr + len. With
 * app, its output must also be a bootable .bin. */
enum staged_status staged_check_gzip(struct hal *h, uint32_t addr, uint32_t len, bool app,
				     struct staged_work *w, struct staged_report *r);

/* Where a failed check failed ("app image at 0x1000", "gzip stream") and
 * why, with what to do: fixed texts for an error line. */
const char *staged_where(const struct staged_report *r);
const char *staged_why(const struct staged_report *r);

#endif
