/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Stage 2 of eboot on the ESP8266 (eboot-stage2.ld): stage 1, the boot
 * sector, loads this image from flash_layout.stage2 when there is an
 * install or RTC command to carry out, and calls here on the ROM's own
 * stack. This is the target's main: it sets up the HAL, runs the portable
 * eboot logic, then either resets or starts the chosen app itself (the
 * app loader's IRAM range ends below this image's).
 */
#include "app_load.h"
#include "eboot.h"
#include "flash_layout.h"
#include "hal_target.h"
#include "rom.h"

/* eboot's scratch (inflate window, sector buffers): ~52 KiB of DRAM that
 * eboot-stage2.ld places after the constants, in RAM the ROM does not use. */
static struct eboot_work work;

extern uint32_t _bss_start[], _bss_end[];

__attribute__((noreturn)) void eboot_entry(void);

void eboot_entry(void)
{
	struct hal h;
	struct flash_layout layout;
	uint32_t boot_offset = 0;
	char msg[4];
	int err;

	/* Nothing but this entry zeroes RAM before C code relies on it. */
	for (uint32_t *p = _bss_start; p < _bss_end; p++)
		*p = 0;
	/* Copying a 1 MiB image takes longer than the ROM watchdog allows;
	 * upstream eboot also stops it for the copy. */
	ets_wdt_disable();
	if (hal_target_init(&h) == HAL_OK && flash_layout_default(&layout, h.flash_size) == 0) {
		if (eboot_run(&h, &layout, &work, &boot_offset) != EBOOT_OK || h.reset_requested)
			hal_target_reset();
	} else {
		/* A chip size with no Arduino layout has no journal sector to
		 * work with: start the app in place, as a cleared command does. */
		static const char no_layout[] = "eboot: unknown flash size, no update\n";

		hal_console(&h, no_layout, sizeof(no_layout) - 1);
	}
	ets_wdt_enable();
	err = app_load_and_jump(boot_offset);
	/* Only a read error comes back: say so as upstream does, then reset. */
	msg[0] = 'e';
	msg[1] = ':';
	msg[2] = (char)('0' + err);
	msg[3] = '\n';
	hal_console(&h, msg, sizeof(msg));
	hal_target_reset();
}
