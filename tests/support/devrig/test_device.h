/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A blank chip for unit tests: flash and RTC files in a new folder under
 * /tmp, opened with the POSIX HAL (no power cut). Failures fail the test. */
#ifndef ESPOTA_TEST_DEVICE_H
#define ESPOTA_TEST_DEVICE_H

#include <stdint.h>

#include "hal_posix.h"

struct test_device {
	char dir[64];   /* the folder; other files of the test may go there */
	char flash[96];
	char rtc[96];
	struct hal *h;
};

/* name: a word for the folder's name ("agent", "web"). */
void test_device_open(struct test_device *t, const char *name, uint32_t flash_size);
/* Closes the HAL and removes the folder with everything in it. */
void test_device_close(struct test_device *t);

#endif
