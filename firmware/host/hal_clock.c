/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Time since the device was opened (its power-on), from the monotonic
 * clock; both counters wrap at 2^32 as the chip's do. */
#include <time.h>

#include "hal_posix_state.h"

static unsigned long long elapsed_us(const struct hal *h)
{
	struct timespec now;
	long long s, ns;

	clock_gettime(CLOCK_MONOTONIC, &now);
	s = (long long)(now.tv_sec - h->epoch.tv_sec);
	ns = (long long)now.tv_nsec - (long long)h->epoch.tv_nsec;
	return (unsigned long long)(s * 1000000LL + ns / 1000LL);
}

uint32_t hal_millis(struct hal *h)
{
	return (uint32_t)(elapsed_us(h) / 1000u);
}

uint32_t hal_micros(struct hal *h)
{
	return (uint32_t)elapsed_us(h);
}

void hal_delay_ms(struct hal *h, uint32_t ms)
{
	struct timespec ts = { .tv_sec = (time_t)(ms / 1000u),
			       .tv_nsec = (long)(ms % 1000u) * 1000000L };

	(void)h;
	while (nanosleep(&ts, &ts) != 0) {
	}
}
