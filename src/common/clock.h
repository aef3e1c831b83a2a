/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef ESPOTA_COMMON_CLOCK_H
#define ESPOTA_COMMON_CLOCK_H

#include <stdint.h>

/* Monotonic time in milliseconds and microseconds (CLOCK_MONOTONIC). */
uint64_t clock_ms(void);
uint64_t clock_us(void);
void clock_sleep_ms(uint32_t ms);

#endif
