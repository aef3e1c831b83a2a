/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "test_device.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>

void test_device_open(struct test_device *t, const char *name, uint32_t flash_size)
{
	struct hal_posix_config hc = { 0 };
	char err[256];

	snprintf(t->dir, sizeof(t->dir), "/tmp/%s-XXXXXX", name);
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->flash, sizeof(t->flash), "%s/flash", t->dir);
	snprintf(t->rtc, sizeof(t->rtc), "%s/rtc", t->dir);
	assert_int_equal(hal_posix_create_flash(t->flash, flash_size, err, sizeof(err)), 0);
	hc.flash_path = t->flash;
	hc.rtc_path = t->rtc;
	hc.power_cut_after = -1;
	assert_int_equal(hal_posix_open(&t->h, &hc, err, sizeof(err)), 0);
}

void test_device_close(struct test_device *t)
{
	char cmd[128];

	hal_posix_close(t->h);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->dir);
	assert_int_equal(system(cmd), 0);
}
