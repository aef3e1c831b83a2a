/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Every error code has its own text, and the codes keep their numbers
 * (they reach scripts through --json's error_code). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "espota.h"

static void every_code_has_its_own_text(void **state)
{
	(void)state;
	for (int a = ESPOTA_OK; a <= ESPOTA_ERR_LAST; a++) {
		const char *ta = espota_strerror((enum espota_error)a);

		assert_non_null(ta);
		assert_string_not_equal(ta, "unknown error");
		/* git style: lower-case, no final full stop */
		assert_false(ta[0] >= 'A' && ta[0] <= 'Z');
		assert_int_not_equal(ta[strlen(ta) - 1], '.');
		for (int b = a + 1; b <= ESPOTA_ERR_LAST; b++)
			assert_string_not_equal(ta, espota_strerror((enum espota_error)b));
	}
	assert_string_equal(espota_strerror((enum espota_error)999), "unknown error");
}

/* --json's error_name: one identifier per code, lower-case letters and '_'. */
static void every_code_has_its_own_name(void **state)
{
	(void)state;
	for (int a = ESPOTA_OK; a <= ESPOTA_ERR_LAST; a++) {
		const char *na = espota_error_name((enum espota_error)a);

		assert_string_not_equal(na, "unknown");
		assert_int_equal(strspn(na, "abcdefghijklmnopqrstuvwxyz_"), strlen(na));
		for (int b = a + 1; b <= ESPOTA_ERR_LAST; b++)
			assert_string_not_equal(na, espota_error_name((enum espota_error)b));
	}
	assert_string_equal(espota_error_name(ESPOTA_ERR_USAGE), "usage");
	assert_string_equal(espota_error_name(ESPOTA_ERR_PASSWORD), "password");
	assert_string_equal(espota_error_name((enum espota_error)999), "unknown");
}

static void codes_keep_their_numbers(void **state)
{
	(void)state;
	assert_int_equal(ESPOTA_ERR_NO_ANSWER, 7);
	assert_int_equal(ESPOTA_ERR_AUTH_FAILED, 11);
	assert_int_equal(ESPOTA_ERR_NO_CONNECT, 13);
	assert_int_equal(ESPOTA_ERR_DROPPED, 14);
	assert_int_equal(ESPOTA_ERR_NO_RESULT, 17);
	assert_int_equal(ESPOTA_ERR_PASSWORD, 20);
}

static void auth_scheme_names(void **state)
{
	(void)state;
	assert_string_equal(espota_auth_scheme_name(ESPOTA_AUTH_NONE), "none");
	assert_string_equal(espota_auth_scheme_name(ESPOTA_AUTH_MD5), "md5");
	assert_string_equal(espota_auth_scheme_name(ESPOTA_AUTH_SHA256), "sha256");
	assert_string_equal(espota_auth_scheme_name(ESPOTA_AUTH_SHA256_MD5), "sha256-md5hash");
}

static void random_host_port_in_range(void **state)
{
	(void)state;
	for (int i = 0; i < 1000; i++) {
		uint16_t p = espota_random_host_port();

		assert_in_range(p, 10000, 60000);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_code_has_its_own_text),
		cmocka_unit_test(every_code_has_its_own_name),
		cmocka_unit_test(codes_keep_their_numbers),
		cmocka_unit_test(auth_scheme_names),
		cmocka_unit_test(random_host_port_in_range),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
