/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The ESP8266 port of hal.h over the mask ROM: the port's context and the
 * calls the entry code makes around the portable logic.
 */
#ifndef ESPOTA_TARGET_HAL_TARGET_H
#define ESPOTA_TARGET_HAL_TARGET_H

#include <stdbool.h>
#include <stdint.h>

#include "hal.h"

struct hal {
	uint32_t flash_size;  /* from the size nibble of the image header */
	uint32_t cpu_mhz;     /* CCOUNT ticks per microsecond; 0 until the first read */
	uint32_t last_ccount; /* CCOUNT at the previous clock read */
	uint64_t cycles;      /* CPU cycles since the first clock read */
	bool reset_requested;
};

/* Reads the flash size from the header byte at flash offset 3. Returns 0,
 * HAL_EIO when the header cannot be read, or HAL_ERANGE for a size nibble
 * that names no size. */
int hal_target_init(struct hal *h);

/* Resets the chip now (the RTC command block survives). */
__attribute__((noreturn)) void hal_target_reset(void);

#endif
