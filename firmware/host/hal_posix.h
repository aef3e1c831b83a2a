/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The POSIX port of hal.h: a device whose SPI flash is a file (NOR rules
 * enforced, so device logic that would corrupt a real chip fails here) and
 * whose RTC user memory is a second file that a simulated power loss wipes.
 *
 * Power cuts follow MCUboot's simulator: count the flash erases and writes
 * of a run, then rerun cutting the power at op k. The k-th op is carried
 * out (in full, or half of a write when power_cut_torn is set) and then
 * the power is gone: that op and every later flash or RTC call returns
 * HAL_EPOWER, and RTC memory is lost. Device logic must stop at once.
 */
#ifndef ESPOTA_HAL_POSIX_H
#define ESPOTA_HAL_POSIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hal.h"

struct hal_posix_config {
	const char *flash_path;    /* existing flash file; its size is the chip size */
	const char *rtc_path;      /* RTC user memory; absent or zero = power-on state */
	long power_cut_after;      /* cut power at this erase/write (1-based); -1: never */
	bool power_cut_torn;       /* the cut write programs only its first half */
	bool flash_timing_esp8266; /* sleep as a real chip: ~45 ms/sector erase, ~0.5 ms/256 B */
	FILE *console;             /* hal_console output; NULL: stderr */
};

/* Opens the device. Returns 0, or -1 with a message in err. */
int hal_posix_open(struct hal **out, const struct hal_posix_config *cfg, char *err,
		   size_t errlen);
void hal_posix_close(struct hal *h);

/* Creates (or truncates) a flash file of size bytes, all 0xFF: a blank
 * chip. size must be a non-zero multiple of HAL_FLASH_SECTOR. */
int hal_posix_create_flash(const char *path, uint32_t size, char *err, size_t errlen);

/* True once the simulated power cut has happened. */
bool hal_posix_power_lost(const struct hal *h);
/* Flash erases and writes attempted so far (the cut one included). */
unsigned long hal_posix_flash_ops(const struct hal *h);
/* True when device logic called hal_request_reset. */
bool hal_posix_reset_requested(const struct hal *h);
/* Clears the reset request, once the main loop has acted on it. */
void hal_posix_clear_reset(struct hal *h);

#endif
