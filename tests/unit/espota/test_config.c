/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libespota's config: espota.py's defaults, the password's three sources
 * in their order (-a when not empty, --auth-file, ESPOTA_PASSWORD), the
 * password file's first line, and messages that never repeat a value
 * that may be a password. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "espota.h"

static char dir[] = "/tmp/espota-test-config.XXXXXX";

static int make_dir(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
	char cmd[sizeof(dir) + 16];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* dir/name with the given bytes; returns the path (static). */
static const char *write_file(const char *name, const char *bytes, size_t len)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return path;
}

static void defaults_are_espotas(void **state)
{
	struct espota_config cfg;

	(void)state;
	setenv("ESPOTA_PASSWORD", "from-env", 1);
	espota_config_init(&cfg);
	assert_int_equal(cfg.esp_port, 8266);
	assert_string_equal(cfg.host_ip, "0.0.0.0");
	assert_in_range(cfg.host_port, 10000, 60000);
	assert_true(cfg.host_port_random);
	assert_int_equal(cfg.command, ESPOTA_CMD_FLASH);
	assert_int_equal(cfg.timeout_s, 10);
	assert_int_equal(cfg.wait_s, 0);
	assert_int_equal(cfg.chunk_size, 1460);
	assert_false(cfg.compress);
	assert_false(cfg.stop_and_wait);
	assert_false(cfg.md5_target);
	assert_null(cfg.esp_host);
	assert_null(cfg.image_path);
	assert_null(cfg.password);
	assert_null(cfg.password_file);
	assert_string_equal(cfg.password_env, "from-env");
	assert_int_equal(cfg.progress, PROGRESS_NONE);
	assert_null(cfg.progress_out);
	assert_null(cfg.log);
	assert_null(cfg.notice);
	unsetenv("ESPOTA_PASSWORD");
	espota_config_init(&cfg);
	assert_null(cfg.password_env);
}

/* The password picked from (a, file, env); "!" for a failure. */
static const char *pick(const char *a, const char *file, const char *env, char *msg, size_t msglen)
{
	static char value[128];
	struct espota_config cfg;
	struct espota_secret s;
	enum espota_error err;

	espota_config_init(&cfg);
	cfg.password = a;
	cfg.password_file = file;
	cfg.password_env = env;
	msg[0] = '\0';
	err = espota_password_pick(&cfg, &s, msg, msglen);
	if (err != ESPOTA_OK) {
		assert_int_equal(err, ESPOTA_ERR_PASSWORD);
		assert_null(s.owned);
		return "!";
	}
	snprintf(value, sizeof(value), "%s", s.value);
	espota_secret_free(&s);
	assert_null(s.owned);
	return value;
}

static void password_precedence(void **state)
{
	const char *file = write_file("pw", "from-file\n", 10);
	char msg[512];

	(void)state;
	/* -a when not empty wins over both others */
	assert_string_equal(pick("from-a", file, "from-env", msg, sizeof(msg)), "from-a");
	/* an empty -a (the IDE's --auth=) falls through to the file, then the environment */
	assert_string_equal(pick("", file, "from-env", msg, sizeof(msg)), "from-file");
	assert_string_equal(pick(NULL, file, "from-env", msg, sizeof(msg)), "from-file");
	assert_string_equal(pick("", NULL, "from-env", msg, sizeof(msg)), "from-env");
	assert_string_equal(pick(NULL, NULL, "from-env", msg, sizeof(msg)), "from-env");
	/* nothing anywhere: no password */
	assert_string_equal(pick(NULL, NULL, NULL, msg, sizeof(msg)), "");
	assert_string_equal(pick("", NULL, "", msg, sizeof(msg)), "");
}

static void password_file_first_line(void **state)
{
	char msg[512];
	const char *f;

	(void)state;
	f = write_file("crlf", "s3cr\xc3\xa9t w/ spaces\r\nsecond line\n", 30);
	assert_string_equal(pick(NULL, f, NULL, msg, sizeof(msg)), "s3cr\xc3\xa9t w/ spaces");
	f = write_file("nolf", "no-newline", 10);
	assert_string_equal(pick(NULL, f, NULL, msg, sizeof(msg)), "no-newline");
	f = write_file("crs", "pw\r\r\n", 5);
	assert_string_equal(pick(NULL, f, NULL, msg, sizeof(msg)), "pw");
	/* an empty first line or an empty file: no password (not the environment) */
	f = write_file("blank", "\nlater\n", 7);
	assert_string_equal(pick(NULL, f, "from-env", msg, sizeof(msg)), "");
	f = write_file("empty", "", 0);
	assert_string_equal(pick(NULL, f, "from-env", msg, sizeof(msg)), "");
}

static void password_file_errors(void **state)
{
	char path[300], msg[512];

	(void)state;
	/* a path: named, so the user can fix it */
	snprintf(path, sizeof(path), "%s/none.txt", dir);
	assert_string_equal(pick(NULL, path, NULL, msg, sizeof(msg)), "!");
	assert_non_null(strstr(msg, "cannot read password file '"));
	assert_non_null(strstr(msg, path));
	assert_non_null(strstr(msg, "No such file or directory"));
	assert_non_null(strstr(msg, "--auth-file"));
	/* an existing directory: named, and why */
	assert_string_equal(pick(NULL, dir, NULL, msg, sizeof(msg)), "!");
	assert_non_null(strstr(msg, dir));
	/* a password typed where the file name goes: never repeated */
	assert_string_equal(pick(NULL, "SECRET", NULL, msg, sizeof(msg)), "!");
	assert_null(strstr(msg, "SECRET"));
	assert_non_null(strstr(msg, "--auth-file"));
	assert_non_null(strstr(msg, "No such file or directory"));
	assert_string_equal(pick(NULL, "SEC/RET", NULL, msg, sizeof(msg)), "!");
	assert_null(strstr(msg, "SEC/RET"));
	/* git style: lower-case first, no final full stop */
	assert_true(msg[0] >= 'a' && msg[0] <= 'z');
	assert_int_not_equal(msg[strlen(msg) - 1], '.');
}

static void exit_status(void **state)
{
	(void)state;
	assert_int_equal(espota_exit_status(ESPOTA_OK), 0);
	assert_int_equal(espota_exit_status(ESPOTA_ERR_USAGE), 2);
	for (int e = ESPOTA_ERR_FILE; e <= ESPOTA_ERR_LAST; e++)
		assert_int_equal(espota_exit_status((enum espota_error)e), 1);
}

static void result_fail(void **state)
{
	struct espota_result r;

	(void)state;
	memset(&r, 0x5a, sizeof(r));
	espota_result_fail(&r, ESPOTA_ERR_USAGE, "invalid value '%s' for %s", "70000", "-p/--port");
	assert_int_equal(r.err, ESPOTA_ERR_USAGE);
	assert_string_equal(r.message, "invalid value '70000' for -p/--port");
	assert_string_equal(r.device_addr, "");
	assert_string_equal(r.file, "");
	assert_int_equal(r.bytes_sent, 0);
}

/* The library refuses a config without a device or an image as a usage
 * error, before it reads anything. */
static void upload_needs_device_and_image(void **state)
{
	struct espota_config cfg;
	struct espota_result r;

	(void)state;
	espota_config_init(&cfg);
	cfg.image_path = "/nonexistent/app.bin";
	assert_int_equal(espota_upload(&cfg, &r), ESPOTA_ERR_USAGE);
	assert_int_equal(r.err, ESPOTA_ERR_USAGE);
	assert_non_null(strstr(r.message, "-i"));
	espota_config_init(&cfg);
	cfg.esp_host = "127.0.0.1";
	assert_int_equal(espota_upload(&cfg, &r), ESPOTA_ERR_USAGE);
	assert_non_null(strstr(r.message, "-f"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_are_espotas),
		cmocka_unit_test(password_precedence),
		cmocka_unit_test(password_file_first_line),
		cmocka_unit_test(password_file_errors),
		cmocka_unit_test(exit_status),
		cmocka_unit_test(result_fail),
		cmocka_unit_test(upload_needs_device_and_image),
	};
	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
