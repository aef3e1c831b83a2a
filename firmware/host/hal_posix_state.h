/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * struct hal of the POSIX port, shared by the files that implement hal.h
 * (one per job: flash, RTC memory, clock, randomness and console, network).
 * Not for device logic: it sees struct hal only as an opaque pointer.
 */
#ifndef ESPOTA_HAL_POSIX_STATE_H
#define ESPOTA_HAL_POSIX_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "hal.h"

/* The network part's own state (hal_net.c); created there on first use. */
struct hal_net;

struct hal {
	/* flash: the file mapped shared, so every write lands in the file */
	int flash_fd;
	uint8_t *flash;
	uint32_t flash_size;
	bool flash_timing;

	/* RTC user memory: kept here and written through to rtc_path */
	char *rtc_path;
	uint8_t rtc[HAL_RTC_USER_SIZE];

	/* power-cut simulation */
	long power_cut_after;
	bool power_cut_torn;
	unsigned long flash_ops;
	bool power_lost;

	FILE *console;
	bool reset_requested;
	struct timespec epoch; /* CLOCK_MONOTONIC at open: hal_millis 0 */

	struct hal_net *net;
	void (*net_free)(struct hal_net *net); /* set by hal_net.c with net */
};

/* Counts one flash erase or write. Returns true when this is the op at
 * which the power fails (the caller carries it out, then reports it). */
bool hal_posix_count_op(struct hal *h);
/* Loses the power now: RTC memory is wiped, every later call fails. */
void hal_posix_cut_power(struct hal *h);

#endif
