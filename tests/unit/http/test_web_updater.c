/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The web updater over the POSIX HAL's real sockets on 127.0.0.1, driven
 * by the real curl(1): the page, the preflight, /info, multipart and raw
 * uploads into the Updater, refusals with their status, and the login
 * (Basic, Digest, a wrong password refused before the body is sent). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "flash_layout.h"
#include "hal_posix.h"
#include "stage2_standin.h"
#include "test_device.h"
#include "updater.h"
#include "web_updater.h"

#define FLASH_SIZE (4u << 20)
#define LOOPBACK 0x7F000001u

extern char **environ;

struct rig {
	struct test_device dev;
	char image[96], out[96], hdr[96], url[160];
	struct hal *h;
	struct updater_config ucfg;
	struct updater u;
	struct web_updater w;
};

static void info(void *ctx, struct web_info *out)
{
	(void)ctx;
	out->chip_id = 15602487;
	out->flash_size = FLASH_SIZE;
	strcpy(out->version, "test-1");
	strcpy(out->app_md5, "0123456789abcdef0123456789abcdef");
}

static struct rig *rig_open(const char *user, const char *password)
{
	struct rig *r = calloc(1, sizeof(*r));
	struct web_config wc = { 0 };
	char cmd[256];

	assert_non_null(r);
	test_device_open(&r->dev, "web-updater", FLASH_SIZE);
	r->h = r->dev.h;
	snprintf(r->image, sizeof(r->image), "%s/app.bin", r->dev.dir);
	snprintf(r->out, sizeof(r->out), "%s/out", r->dev.dir);
	snprintf(r->hdr, sizeof(r->hdr), "%s/hdr", r->dev.dir);
	snprintf(cmd, sizeof(cmd), "%s -o %s --size 300000 --content sketch --flash-size 4M", MKIMAGE,
		 r->image);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(flash_layout_default(&r->ucfg.layout, FLASH_SIZE), 0);
	assert_int_equal(stage2_standin_write(r->h, r->ucfg.layout.stage2), HAL_OK);
	updater_init(&r->u, r->h, &r->ucfg, NULL);
	wc.bind_ip = LOOPBACK;
	wc.user = user;
	wc.password = password;
	wc.info = info;
	wc.stream_timeout_ms = 1500;
	assert_int_equal(web_begin(&r->w, r->h, &r->u, &wc), 0);
	assert_int_not_equal(web_port(&r->w), 0);
	snprintf(r->url, sizeof(r->url), "http://127.0.0.1:%u", web_port(&r->w));
	return r;
}

static void rig_close(struct rig *r)
{
	web_stop(&r->w);
	test_device_close(&r->dev);
	free(r);
}

/* Runs curl with the arguments (NULL-terminated; "URL..." is prefixed with
 * the server's address) while serving the web updater; body to r->out,
 * headers to r->hdr. Returns curl's exit status. */
static int curl(struct rig *r, ...)
{
	char *argv[40], urls[4][256];
	int argc = 0, nurl = 0, status = -1;
	va_list ap;
	pid_t pid;
	time_t start = time(NULL);

	argv[argc++] = "curl";
	argv[argc++] = "-sS";
	argv[argc++] = "-o";
	argv[argc++] = r->out;
	argv[argc++] = "-D";
	argv[argc++] = r->hdr;
	va_start(ap, r);
	for (char *a; (a = va_arg(ap, char *)) != NULL && argc < 38;) {
		if (a[0] == '/' && nurl < 4) {
			snprintf(urls[nurl], sizeof(urls[nurl]), "%s%s", r->url, a);
			a = urls[nurl++];
		}
		argv[argc++] = a;
	}
	va_end(ap);
	argv[argc] = NULL;
	assert_int_equal(posix_spawnp(&pid, "curl", NULL, NULL, argv, environ), 0);
	while (time(NULL) - start < 20) {
		struct hal_pollset set[WEB_POLL_ENTRIES];
		uint32_t wait = 20;
		size_t n = web_poll_set(&r->w, set, WEB_POLL_ENTRIES, hal_millis(r->h), &wait);

		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		hal_poll(r->h, set, n, wait);
		web_step(&r->w, set, n, hal_millis(r->h));
	}
	kill(pid, 9);
	waitpid(pid, &status, 0);
	fail_msg("curl did not finish");
	return -1;
}

static bool file_has(const char *path, const char *text)
{
	static char buf[8192];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return strstr(buf, text) != NULL;
}

static void page_preflight_info(void **state)
{
	struct rig *r = rig_open(NULL, NULL);

	(void)state;
	assert_int_equal(curl(r, "/update", NULL), 0);
	assert_true(file_has(r->hdr, "HTTP/1.1 200 OK\r\n"));
	assert_true(file_has(r->hdr, "Content-Type: text/html\r\n"));
	assert_true(file_has(r->out, "name='firmware'"));
	assert_true(file_has(r->out, "name='filesystem'"));
	assert_true(file_has(r->out, "accept='.bin,.bin.gz'"));
	assert_int_equal(curl(r, "-X", "OPTIONS", "/update", NULL), 0);
	assert_true(file_has(r->hdr, "Access-Control-Allow-Origin: *\r\n"));
	assert_true(file_has(r->hdr, "Access-Control-Allow-Headers: *\r\n"));
	assert_true(file_has(r->out, "y"));
	assert_int_equal(curl(r, "/info", NULL), 0);
	assert_true(file_has(r->hdr, "Content-Type: application/json\r\n"));
	assert_true(file_has(r->out, "{\"chip_id\":15602487,\"flash_size\":4194304,"));
	assert_true(file_has(r->out, "\"version\":\"test-1\",\"uptime_ms\":"));
	assert_int_equal(curl(r, "-f", "/", NULL), 22);
	assert_true(file_has(r->hdr, "HTTP/1.1 404 Not Found\r\n"));
	assert_int_equal(curl(r, "-f", "-H", "Transfer-Encoding: chunked", "-d", "x", "/update", NULL), 22);
	assert_true(file_has(r->hdr, "HTTP/1.1 501 "));
	rig_close(r);
}

static void multipart_upload(void **state)
{
	struct rig *r = rig_open(NULL, NULL);
	char field[160];

	(void)state;
	snprintf(field, sizeof(field), "firmware=@%s", r->image);
	assert_int_equal(curl(r, "-f", "-F", field, "/update", NULL), 0);
	assert_true(file_has(r->out, "Update Success! Rebooting..."));
	assert_true(file_has(r->hdr, "Access-Control-Allow-Origin: *\r\n"));
	assert_true(file_has(r->hdr, "HTTP/1.1 200 OK\r\n"));
	/* the answer went out whole; the reset follows 100 ms later */
	assert_false(hal_posix_reset_requested(r->h));
	{
		uint32_t end = hal_millis(r->h) + 500;

		while (!hal_posix_reset_requested(r->h) && hal_millis(r->h) < end) {
			struct hal_pollset set[WEB_POLL_ENTRIES];
			uint32_t wait = 20;
			size_t n = web_poll_set(&r->w, set, WEB_POLL_ENTRIES, hal_millis(r->h), &wait);

			hal_poll(r->h, set, n, wait);
			web_step(&r->w, set, n, hal_millis(r->h));
		}
	}
	assert_true(hal_posix_reset_requested(r->h));
	rig_close(r);
}

static void refused_images(void **state)
{
	struct rig *r = rig_open(NULL, NULL);
	char field[160], bad[128], cmd[256];

	(void)state;
	snprintf(bad, sizeof(bad), "%s/bad.bin", r->dev.dir);
	snprintf(cmd, sizeof(cmd), "head -c 20000 /dev/zero > %s", bad);
	assert_int_equal(system(cmd), 0);
	snprintf(field, sizeof(field), "firmware=@%s", bad);
	assert_int_equal(curl(r, "--fail-with-body", "-F", field, "/update", NULL), 22);
	assert_true(file_has(r->hdr, "HTTP/1.1 400 Bad Request\r\n"));
	assert_true(file_has(r->out, "Update error: ERROR[10]: Magic byte is not 0xE9"));
	assert_false(updater_is_running(&r->u));
	/* raw: a wrong X-MD5 is the Updater's MD5 error */
	snprintf(field, sizeof(field), "@%s", r->image);
	assert_int_equal(curl(r, "--fail-with-body", "-H", "Content-Type: application/octet-stream", "-H",
			      "X-MD5: 00000000000000000000000000000000", "--data-binary", field,
			      "/update?mode=firmware", NULL), 22);
	assert_true(file_has(r->out, "Update error: ERROR[7]: MD5 verification failed"));
	/* raw: a wrong X-SHA256 */
	assert_int_equal(curl(r, "--fail-with-body", "-H", "Content-Type: application/octet-stream", "-H",
			      "X-SHA256: 0000000000000000000000000000000000000000000000000000000000000000",
			      "--data-binary", field, "/update?mode=firmware", NULL), 22);
	assert_true(file_has(r->out, "Update error: SHA-256 verification failed"));
	/* raw: a good image */
	assert_int_equal(curl(r, "--fail-with-body", "-H", "Content-Type: application/octet-stream",
			      "--data-binary", field, "/update?mode=firmware", NULL), 0);
	assert_true(file_has(r->out, "Update Success! Rebooting..."));
	rig_close(r);
}

static void login(void **state)
{
	struct rig *r = rig_open("admin", "s3cret");
	char field[160];

	(void)state;
	assert_int_equal(curl(r, "-f", "/update", NULL), 22);
	assert_true(file_has(r->hdr, "HTTP/1.1 401 Unauthorized\r\n"));
	assert_true(file_has(r->hdr, "WWW-Authenticate: Basic realm=\"Login Required\"\r\n"));
	assert_true(file_has(r->hdr, "WWW-Authenticate: Digest realm=\"Login Required\", qop=\"auth\""));
	assert_int_equal(curl(r, "-f", "-u", "admin:s3cret", "/update", NULL), 0);
	assert_true(file_has(r->out, "name='firmware'"));
	assert_int_equal(curl(r, "-f", "--digest", "-u", "admin:s3cret", "/info", NULL), 0);
	assert_true(file_has(r->out, "\"chip_id\":15602487"));
	assert_int_equal(curl(r, "-f", "--digest", "-u", "admin:wrong", "/info", NULL), 22);
	/* a wrong password with Expect: the 401 comes instead of 100 Continue,
	 * so no body byte is sent (curl does not wait its second) */
	snprintf(field, sizeof(field), "firmware=@%s", r->image);
	assert_int_equal(curl(r, "-f", "-u", "admin:wrong", "-H", "Expect: 100-continue", "-F", field,
			      "-w", "%{size_upload}", "/update", NULL), 22);
	assert_true(file_has(r->hdr, "HTTP/1.1 401 Unauthorized\r\n"));
	assert_false(file_has(r->hdr, "100 Continue"));
	assert_false(updater_is_running(&r->u));
	assert_int_equal(curl(r, "-f", "--digest", "-u", "admin:s3cret", "-F", field, "/update", NULL), 0);
	assert_true(file_has(r->out, "Update Success! Rebooting..."));
	rig_close(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(page_preflight_info),
		cmocka_unit_test(multipart_upload),
		cmocka_unit_test(refused_images),
		cmocka_unit_test(login),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
