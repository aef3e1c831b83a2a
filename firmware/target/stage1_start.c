/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Stage 1: the boot sector (eboot.ld), loaded and started by the ROM. It
 * only decides whether eboot has work to do: with nothing pending in the
 * journal and no RTC command it starts the app at 0x1000 itself; else it
 * hands over to stage 2 (eboot_start.c, the whole eboot) from its own
 * flash region. A missing or bad stage 2 is reported and the current app
 * boots: the journal keeps the command for a later boot.
 */
#include "app_load.h"
#include "boot_command.h"
#include "flash_layout.h"
#include "hal_target.h"
#include "journal.h"
#include "rom.h"
#include "stage2_load.h"

__attribute__((noreturn)) void stage1_entry(void);

/* Prints tag (up to 4 characters packed little-endian), the digit err and a
 * newline, from immediates only: after a failed app load DRAM may hold
 * anything. */
static void put_code(uint32_t tag, int err)
{
	for (; tag != 0; tag >>= 8)
		ets_putc((char)(tag & 0xFFu));
	ets_putc((char)('0' + err));
	ets_putc('\n');
}

/* The original's "v%08x" line: the app's version word at 0x1010. Stage 2
 * prints its own (eboot_run), so stage 1 prints it only when it boots the
 * app itself. */
static void put_version(void)
{
	uint32_t v;

	if (SPIRead(0x1010u, &v, sizeof(v)))
		return;
	ets_putc('v');
	for (int shift = 28; shift >= 0; shift -= 4) {
		uint32_t d = (v >> shift) & 15u;

		ets_putc((char)(d < 10 ? '0' + d : 'a' - 10 + d));
	}
	ets_putc('\n');
}

/* Anything for stage 2: an open journal, or any valid RTC command (the
 * core's COPY_RAW, or LOAD_APP of another slot). A journal that cannot be
 * read goes to stage 2 too, which handles it as single-stage eboot did. */
static bool work_pending(struct hal *h, const struct flash_layout *l)
{
	struct journal_view v;
	struct boot_command c;

	if (journal_read(h, l->journal, &v) != HAL_OK || v.state == JOURNAL_PENDING ||
	    v.state == JOURNAL_IN_PROGRESS)
		return true;
	return boot_command_rtc_read(h, &c);
}

void stage1_entry(void)
{
	struct hal h;
	struct flash_layout layout;
	int err;

	if (hal_target_init(&h) == HAL_OK && flash_layout_default(&layout, h.flash_size) == 0 &&
	    work_pending(&h, &layout)) {
		err = stage2_load_and_jump(layout.stage2);
		put_code('s' | '2' << 8 | (uint32_t)':' << 16, err);
	}
	put_version();
	err = app_load_and_jump(0);
	/* Only a read error comes back: say so as upstream does, then reset. */
	put_code('e' | ':' << 8, err);
	hal_target_reset();
}
