/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The stream's overall limit: --max-time when given, else espota.py's
 * 60 s for the result plus a second per 2 KiB of image. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "stream.h"

static void default_scales_with_the_image(void **state)
{
	(void)state;
	assert_int_equal(espota_stream_limit_s(0, 0), 60);
	assert_int_equal(espota_stream_limit_s(2047, 0), 60);
	assert_int_equal(espota_stream_limit_s(2048, 0), 61);
	/* a 1 MiB sketch: 60 + 512 s, far above the 12 s it takes at 87 KiB/s */
	assert_int_equal(espota_stream_limit_s(1u << 20, 0), 572);
	assert_int_equal(espota_stream_limit_s(4u << 20, 0), 60 + 2048);
}

static void max_time_wins(void **state)
{
	(void)state;
	assert_int_equal(espota_stream_limit_s(1u << 20, 3), 3);
	assert_int_equal(espota_stream_limit_s(0, 86400), 86400);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(default_scales_with_the_image),
		cmocka_unit_test(max_time_wins),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
