/* SPDX-License-Identifier: LGPL-2.1-or-later */
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

#include "cliopt.h"
#include "digest.h"
#include "file.h"
#include "hex.h"
#include "progress.h"
#include "sock.h"

static void test_hex_roundtrip(void **state)
{
	uint8_t in[4] = { 0x00, 0xAB, 0x7F, 0xFF }, back[4];
	char hex[9];

	(void)state;
	hex_encode(in, 4, hex);
	assert_string_equal(hex, "00ab7fff");
	assert_int_equal(hex_decode("00AB7fff", 8, back, 4), 0);
	assert_memory_equal(in, back, 4);
	assert_int_equal(hex_decode("00ab7ff", 7, back, 4), -1);
	assert_int_equal(hex_decode("00ab7fgf", 8, back, 4), -1);
	assert_true(hex_is_lower("0123abcdef", 10));
	assert_false(hex_is_lower("0123ABCDEF", 10));
}

static void test_digest_vectors(void **state)
{
	char hex[DIGEST_MAX_HEX];
	struct digest d;
	uint8_t out[32];

	(void)state;
	assert_int_equal(digest_hex(DIGEST_MD5, "", 0, hex), 0);
	assert_string_equal(hex, "d41d8cd98f00b204e9800998ecf8427e");
	assert_int_equal(digest_hex(DIGEST_MD5, "123", 3, hex), 0);
	assert_string_equal(hex, "202cb962ac59075b964b07152d234b70");
	assert_int_equal(digest_hex(DIGEST_SHA256, "admin", 5, hex), 0);
	assert_string_equal(hex, "8c6976e5b5410415bde908bd4dee15dfb167a9c873fc4bb8a81f6f2ab448a918");

	/* streaming, and out leaves the state usable */
	assert_int_equal(digest_init(&d, DIGEST_SHA256), 0);
	digest_update(&d, "ad", 2);
	assert_int_equal(digest_out(&d, out), 0);
	digest_update(&d, "min", 3);
	assert_int_equal(digest_out(&d, out), 0);
	hex_encode(out, 32, hex);
	assert_string_equal(hex, "8c6976e5b5410415bde908bd4dee15dfb167a9c873fc4bb8a81f6f2ab448a918");
	digest_free(&d);
}

static void test_file_read_write(void **state)
{
	char dir[] = "/tmp/espota-unit-XXXXXX", path[64], empty[64];
	struct file_buf buf;
	struct stat st;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/a.bin", dir);
	snprintf(empty, sizeof(empty), "%s/empty", dir);
	assert_int_equal(file_write_atomic(path, "hello", 5, 0600), FILE_OK);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(file_read_all(path, 100, &buf), FILE_OK);
	assert_int_equal(buf.len, 5);
	assert_memory_equal(buf.data, "hello", 5);
	file_buf_free(&buf);
	assert_int_equal(file_read_all(path, 4, &buf), FILE_ERR_TOO_BIG);
	assert_null(buf.data);
	assert_int_equal(file_read_all(dir, 100, &buf), FILE_ERR_NOT_REGULAR);
	assert_int_equal(file_write_atomic(empty, "", 0, 0644), FILE_OK);
	assert_int_equal(file_read_all(empty, 100, &buf), FILE_ERR_EMPTY);
	assert_int_equal(file_read_all("/nonexistent/x", 100, &buf), FILE_ERR_OPEN);
	/* a write into a missing directory fails and leaves nothing */
	assert_int_equal(file_write_atomic("/nonexistent/x", "a", 1, 0644), FILE_ERR_WRITE);
	unlink(path);
	unlink(empty);
	rmdir(dir);
}

/* file_map, and file_write_temp_parts with more parts than one writev
 * takes, empty parts among them, and a part of 1 MiB. */
static void test_file_map_and_parts(void **state)
{
	char dir[] = "/tmp/espota-unit-XXXXXX", path[64], *tmp = NULL;
	static uint8_t big[1 << 20];
	struct iovec parts[12];
	struct file_map map;
	struct file_buf buf;
	size_t total = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/p.bin", dir);
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 31 + (i >> 9));
	for (size_t i = 0; i < 12; i++) {
		parts[i].iov_base = big + total;
		parts[i].iov_len = i == 5 ? sizeof(big) - total - 100 : i % 3 == 0 ? 0 : 7 + i;
		total += parts[i].iov_len;
	}
	assert_true(total <= sizeof(big));
	assert_int_equal(file_write_temp_parts(path, parts, 12, 0640, &tmp), FILE_OK);
	assert_non_null(tmp);
	assert_int_equal(rename(tmp, path), 0);
	free(tmp);
	assert_int_equal(file_map(path, sizeof(big), &map), FILE_OK);
	assert_int_equal(map.len, total);
	assert_memory_equal(map.data, big, total);
	file_unmap(&map);
	assert_null(map.data);
	assert_int_equal(file_map(path, total - 1, &map), FILE_ERR_TOO_BIG);
	assert_int_equal(file_map(dir, 100, &map), FILE_ERR_NOT_REGULAR);
	assert_int_equal(file_map("/nonexistent/x", 100, &map), FILE_ERR_OPEN);
	assert_int_equal(file_write_atomic(path, "", 0, 0644), FILE_OK);
	assert_int_equal(file_map(path, 100, &map), FILE_ERR_EMPTY);
	assert_int_equal(file_read_all(path, 100, &buf), FILE_ERR_EMPTY);
	unlink(path);
	rmdir(dir);
}

static void test_progress_espota_lines(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct progress p;

	(void)state;
	progress_start(&p, f, PROGRESS_ESPOTA, 200);
	progress_update(&p, 100);
	progress_update(&p, 101); /* same percent: no redraw */
	progress_finish(&p, 200);
	fclose(f);
	assert_non_null(strstr(text, "\rUploading: [==============================                              ] 50% "));
	assert_non_null(strstr(text, "] 100% Done...\r\n"));
	assert_null(strstr(text, "] 50% \rUploading: [==============================                              ] 50%"));
	free(text);
}

static void test_sock_listen_and_route(void **state)
{
	struct in_addr lo, src;
	char err[128];
	int fd;

	(void)state;
	assert_int_equal(sock_resolve_ipv4("127.0.0.1", &lo, err, sizeof(err)), 0);
	assert_int_equal(sock_resolve_ipv4("localhost", &lo, err, sizeof(err)), 0);
	assert_int_equal(sock_resolve_ipv4("no-such-host.invalid", &lo, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no-such-host.invalid"));
	fd = sock_tcp_listen("127.0.0.1", 0, 1);
	assert_true(fd >= 0);
	assert_true(sock_local_port(fd) > 0);
	close(fd);
	assert_int_equal(sock_tcp_listen("not-an-ip", 0, 1), -1);
	assert_int_equal(sock_route_source(lo, &src), 0);
	assert_int_equal(src.s_addr, lo.s_addr);
}

/* Runs getopt_long over argv as the tools do and returns what
 * cliopt_complain wrote. */
static char *complain(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "auth", required_argument, NULL, 'a' },
		{ "auth-file", required_argument, NULL, 256 },
		{ "spiffs", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	static char out[512];
	FILE *f = fmemopen(out, sizeof(out), "w");
	int ret;

	assert_non_null(f);
	optind = 0;
	opterr = 0;
	while ((ret = getopt_long(argc, argv, ":a:s", longopts, NULL)) != -1)
		if (ret == '?' || ret == ':') {
			cliopt_complain(f, "prog", ret, argv, longopts);
			break;
		}
	fclose(f);
	return out;
}

static void test_cliopt_never_echoes_a_value(void **state)
{
	char a0[] = "prog", unk[] = "--aut=SECRET", amb[] = "--au=SECRET", flag[] = "--spiffs=SECRET";
	char last[] = "--auth", s[] = "-s", bad[] = "-sx", lone[] = "-a";
	char *v1[] = { a0, unk, NULL }, *v2[] = { a0, amb, NULL }, *v3[] = { a0, flag, NULL };
	char *v4[] = { a0, last, NULL }, *v5[] = { a0, s, bad, NULL }, *v6[] = { a0, lone, NULL };

	(void)state;
	assert_string_equal(complain(2, v1), "prog: unknown or ambiguous option '--aut'\n"
					     "Try 'prog --help' for the options.\n");
	assert_null(strstr(complain(2, v2), "SECRET"));
	assert_non_null(strstr(complain(2, v2), "'--au'"));
	assert_non_null(strstr(complain(2, v3), "option '--spiffs' takes no value"));
	assert_null(strstr(complain(2, v3), "SECRET"));
	assert_non_null(strstr(complain(2, v4), "option '--auth' needs a value"));
	assert_non_null(strstr(complain(3, v5), "unknown option '-x'"));
	assert_non_null(strstr(complain(2, v6), "option '-a' needs a value"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hex_roundtrip),
		cmocka_unit_test(test_cliopt_never_echoes_a_value),
		cmocka_unit_test(test_digest_vectors),
		cmocka_unit_test(test_file_read_write),
		cmocka_unit_test(test_file_map_and_parts),
		cmocka_unit_test(test_progress_espota_lines),
		cmocka_unit_test(test_sock_listen_and_route),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
