/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * eboot's decision: on each power-on, finish any pending install (flash
 * journal first, the core's RTC command for compatibility), verify it, and
 * say what to boot. The port makes the jump (target: load the app image's
 * segments and jump to its entry; host: run the simulated app).
 */
#ifndef ESPOTA_EBOOT_H
#define ESPOTA_EBOOT_H

#include <stddef.h>
#include <stdint.h>

#include "flash_layout.h"
#include "inflate.h"

struct hal;

/* The numbers of the original's copy_raw results (printed after "cp:"),
 * plus ours from 7. Only ever grows. */
enum eboot_status {
	EBOOT_OK = 0,
	EBOOT_EALIGN = 1,   /* source or destination not sector aligned: refused */
	EBOOT_EERASE = 2,   /* a flash erase failed */
	EBOOT_EREAD = 3,    /* a flash read failed */
	EBOOT_EWRITE = 4,   /* a flash write failed */
	EBOOT_EHEADER = 5,  /* bad gzip header: refused */
	EBOOT_EINFLATE = 6, /* corrupt deflate data or gzip trailer: refused */
	EBOOT_ERANGE = 7,   /* outside the chip, or would overwrite the source or journal: refused */
	EBOOT_EVERIFY = 8,  /* staged bytes or the written copy fail their CRC */
	EBOOT_EPOWER = 9,   /* the HAL reported a power cut: stop, touch nothing */
	EBOOT_EACTION = 10, /* valid RTC command with an unknown action */
};

/* Scratch owned by the port: about 52 KiB, all of it transient. */
struct eboot_work {
	/* The buffers first: at offsets the lx106 reaches in one instruction. */
	uint8_t in[4096];   /* staged bytes being read */
	uint8_t out[4096];  /* the next destination sector */
	uint8_t cmp[4096];  /* destination read back */
	uint8_t hold[4096]; /* new sector 0, kept until everything else is verified */
	struct inflate_state inflate;
};
_Static_assert(offsetof(struct eboot_work, inflate) == 4 * 4096, "the four sector buffers come first");

/* One power-on. Returns EBOOT_OK with *boot_offset = flash offset of the
 * eboot sector of the app to start (its header at +0x1000; normally 0), or
 * an error after which the port resets the chip, as the original does: a
 * refused command has been closed by then, so the next boot starts the
 * untouched old app, and an interrupted or failed install is resumed. */
enum eboot_status eboot_run(struct hal *h, const struct flash_layout *l, struct eboot_work *w,
			    uint32_t *boot_offset);

const char *eboot_strerror(enum eboot_status st);

#endif
