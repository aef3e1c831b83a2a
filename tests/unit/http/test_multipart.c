/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The multipart reader: the parts and their exact bytes, whatever the
 * split of the body, data that looks like a delimiter but is not, the
 * boundary rules, and every refusal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "multipart.h"

#define MAX_PARTS 4
#define DATA_MAX (64 * 1024)

/* What a sink saw: the parts, their data, and the order of the calls. */
struct seen {
	int parts, ended;
	struct multipart_part part[MAX_PARTS];
	uint8_t data[MAX_PARTS][DATA_MAX];
	size_t len[MAX_PARTS];
	bool open;
	int stop_at_part; /* part_begin of this part index refuses; -1 never */
};

static int on_begin(void *ctx, const struct multipart_part *p)
{
	struct seen *s = ctx;

	assert_false(s->open);
	assert_true(s->parts < MAX_PARTS);
	if (s->parts == s->stop_at_part)
		return 1;
	s->part[s->parts] = *p;
	s->open = true;
	return 0;
}

static int on_data(void *ctx, const uint8_t *d, size_t n)
{
	struct seen *s = ctx;

	assert_true(s->open);
	assert_true(n > 0);
	assert_true(s->len[s->parts] + n <= DATA_MAX);
	memcpy(s->data[s->parts] + s->len[s->parts], d, n);
	s->len[s->parts] += n;
	return 0;
}

static int on_end(void *ctx)
{
	struct seen *s = ctx;

	assert_true(s->open);
	s->open = false;
	s->parts++;
	s->ended++;
	return 0;
}

/* Reads body in pieces of the given sizes (cycled; 0 = the whole body at
 * once) and returns multipart_finish's verdict; *s has what was seen. */
static enum multipart_error read_body(const char *boundary, const uint8_t *body, size_t len,
				      const size_t *pieces, size_t npieces, struct seen *s)
{
	static struct multipart m;
	struct multipart_sink sink = { s, on_begin, on_data, on_end };
	size_t pos = 0, k = 0;

	memset(s, 0, sizeof(*s));
	s->stop_at_part = -1;
	assert_int_equal(multipart_init(&m, boundary, &sink), MULTIPART_OK);
	while (pos < len && m.state == MULTIPART_MORE) {
		size_t n = npieces ? pieces[k++ % npieces] : len;
		size_t taken;

		if (n > len - pos)
			n = len - pos;
		taken = multipart_feed(&m, body + pos, n);
		if (m.state != MULTIPART_ERROR)
			assert_int_equal(taken, n);
		pos += n;
	}
	return multipart_finish(&m);
}

static struct seen *seen_new(void)
{
	struct seen *s = calloc(1, sizeof(*s));

	assert_non_null(s);
	return s;
}

/* The body split at every point k and byte by byte reads as the whole. */
static void same_every_way(const char *boundary, const uint8_t *body, size_t len,
			   enum multipart_error want, const struct seen *whole)
{
	struct seen *s = seen_new();
	static const size_t one = 1;

	for (size_t k = 1; k <= len; k++) {
		size_t split[2] = { k, len };

		if (k < len)
			assert_int_equal(read_body(boundary, body, len, split, 2, s), want);
		else
			assert_int_equal(read_body(boundary, body, len, &one, 1, s), want);
		assert_int_equal(s->parts, whole->parts);
		for (int i = 0; i < whole->parts; i++) {
			assert_string_equal(s->part[i].name, whole->part[i].name);
			assert_string_equal(s->part[i].filename, whole->part[i].filename);
			assert_int_equal(s->part[i].has_filename, whole->part[i].has_filename);
			assert_int_equal(s->len[i], whole->len[i]);
			assert_memory_equal(s->data[i], whole->data[i], whole->len[i]);
		}
	}
	free(s);
}

#define B "----WebKitFormBoundaryx8Qz3kVvR0aZ1p2C"

/* A browser's upload of the firmware form: one file part whose bytes hold
 * CR, LF, dashes and most of the delimiter, and a text field after it. */
static void browser_form(void **state)
{
	static const uint8_t file[] =
		"\xe9\x01\x02\x40\r\n--" "----WebKitFormBoundaryx8Qz3kVvR0aZ1p2" "\r\r\n\r\n-"
		"\r\n--" "----WebKitFormBoundaryx8Qz3kVvR0aZ1p2X" "\n--" B "\x00\xff";
	uint8_t body[1024];
	size_t n = 0;
	struct seen *s = seen_new();

	(void)state;
#define PUT(str) (memcpy(body + n, str, sizeof(str) - 1), n += sizeof(str) - 1)
	PUT("--" B "\r\n");
	PUT("Content-Disposition: form-data; name=\"firmware\"; filename=\"Blink.ino.bin\"\r\n");
	PUT("Content-Type: application/octet-stream\r\n\r\n");
	memcpy(body + n, file, sizeof(file) - 1);
	n += sizeof(file) - 1;
	PUT("\r\n--" B "\r\n");
	PUT("Content-Disposition: form-data; name=\"note\"\r\n\r\n");
	PUT("hello");
	PUT("\r\n--" B "--\r\n");
	PUT("epilogue, ignored\r\n--" B "\r\n");

	assert_int_equal(read_body(B, body, n, NULL, 0, s), MULTIPART_OK);
	assert_int_equal(s->parts, 2);
	assert_string_equal(s->part[0].name, "firmware");
	assert_string_equal(s->part[0].filename, "Blink.ino.bin");
	assert_true(s->part[0].has_filename);
	assert_int_equal(s->len[0], sizeof(file) - 1);
	assert_memory_equal(s->data[0], file, sizeof(file) - 1);
	assert_string_equal(s->part[1].name, "note");
	assert_false(s->part[1].has_filename);
	assert_int_equal(s->len[1], 5);
	assert_memory_equal(s->data[1], "hello", 5);
	same_every_way(B, body, n, MULTIPART_OK, s);
	free(s);
}

/* curl -F: a preamble-free body, quoted and unquoted parameters, an empty
 * part, LF-only line ends after a delimiter, blanks before the CRLF. */
static void curl_form_and_tolerances(void **state)
{
	static const char body[] =
		"preamble text\r\n"
		"--xyz  \r\n"
		"content-disposition: form-data; NAME=filesystem; FileName=\"a \\\"b\\\".bin\"\r\n"
		"\r\n"
		"\r\n--xyz\n"
		"Content-Disposition: form-data; name=\"f\"; filename*=UTF-8''%e2%82%ac.bin\n"
		"\n"
		"12345"
		"\r\n--xyz--";
	struct seen *s = seen_new();

	(void)state;
	assert_int_equal(read_body("xyz", (const uint8_t *)body, sizeof(body) - 1, NULL, 0, s),
			 MULTIPART_OK);
	assert_int_equal(s->parts, 2);
	assert_string_equal(s->part[0].name, "filesystem");
	assert_string_equal(s->part[0].filename, "a \"b\".bin");
	assert_int_equal(s->len[0], 0);
	assert_string_equal(s->part[1].name, "f");
	assert_true(s->part[1].has_filename);
	assert_int_equal(s->len[1], 5);
	same_every_way("xyz", (const uint8_t *)body, sizeof(body) - 1, MULTIPART_OK, s);
	free(s);
}

/* 48 KiB of bytes drawn from "\r\n-xyz" (delimiter fragments everywhere),
 * read in pieces of prime sizes. */
static void delimiter_fragments_in_data(void **state)
{
	static uint8_t body[DATA_MAX];
	static uint8_t data[48 * 1024];
	static const char alphabet[] = "\r\n-xyz";
	static const size_t primes[] = { 1, 2, 3, 5, 7, 13, 1460, 97, 2048 };
	struct seen *s = seen_new();
	uint32_t x = 12345;
	size_t n = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(data); i++) {
		x = x * 1103515245u + 12345u;
		data[i] = (uint8_t)alphabet[(x >> 16) % 6];
	}
	/* the delimiter "\r\n--xyz" must not occur in the data: break it up */
	for (size_t i = 0; i + 7 <= sizeof(data); i++)
		if (memcmp(data + i, "\r\n--xyz", 7) == 0)
			data[i + 6] = 'q';
	n += (size_t)sprintf((char *)body, "--xyz\r\nContent-Disposition: form-data; name=\"firmware\"; filename=\"f\"\r\n\r\n");
	memcpy(body + n, data, sizeof(data));
	n += sizeof(data);
	memcpy(body + n, "\r\n--xyz--\r\n", 11);
	n += 11;
	for (size_t k = 0; k < sizeof(primes) / sizeof(primes[0]); k++) {
		assert_int_equal(read_body("xyz", body, n, primes + k, 1, s), MULTIPART_OK);
		assert_int_equal(s->parts, 1);
		assert_int_equal(s->len[0], sizeof(data));
		assert_memory_equal(s->data[0], data, sizeof(data));
	}
	assert_int_equal(read_body("xyz", body, n, primes, sizeof(primes) / sizeof(primes[0]), s),
			 MULTIPART_OK);
	assert_memory_equal(s->data[0], data, sizeof(data));
	free(s);
}

static void boundaries(void **state)
{
	char b[MULTIPART_BOUNDARY_MAX + 8];
	char ct[200];
	struct multipart m;

	(void)state;
	assert_true(multipart_boundary("multipart/form-data; boundary=" B, b, sizeof(b)));
	assert_string_equal(b, B);
	assert_true(multipart_boundary("Multipart/Form-Data;boundary=\"a b:c\"", b, sizeof(b)));
	assert_string_equal(b, "a b:c");
	assert_true(multipart_boundary("multipart/form-data; charset=x; BOUNDARY=q", b, sizeof(b)));
	assert_string_equal(b, "q");
	assert_false(multipart_boundary("multipart/mixed; boundary=q", b, sizeof(b)));
	assert_false(multipart_boundary("application/octet-stream", b, sizeof(b)));
	assert_false(multipart_boundary("multipart/form-data", b, sizeof(b)));
	assert_false(multipart_boundary("multipart/form-data; boundary=", b, sizeof(b)));
	assert_false(multipart_boundary("multipart/form-data; boundary=\"ends in space \"", b, sizeof(b)));
	assert_false(multipart_boundary("multipart/form-data; boundary=bad<char>", b, sizeof(b)));
	memset(ct, 0, sizeof(ct));
	strcpy(ct, "multipart/form-data; boundary=");
	memset(ct + strlen(ct), 'a', 70);
	assert_true(multipart_boundary(ct, b, sizeof(b)));
	assert_int_equal(strlen(b), 70);
	strcat(ct, "a"); /* 71: past RFC 2046's limit */
	assert_false(multipart_boundary(ct, b, sizeof(b)));
	assert_false(multipart_boundary("multipart/form-data; boundary=abcdef", b, 4)); /* no room */
	assert_int_equal(multipart_init(&m, "", NULL), MULTIPART_ERR_BOUNDARY);
	assert_int_equal(m.state, MULTIPART_ERROR);
}

static void refusals(void **state)
{
	static const struct {
		const char *body;
		enum multipart_error err;
	} cases[] = {
		{ "--q\r\nContent-Disposition: form-data; name=a\r\n\r\ndata", MULTIPART_ERR_TRUNCATED },
		{ "--q\r\nContent-Disposition: form-data; name=a\r\n\r\ndata\r\n--q", MULTIPART_ERR_TRUNCATED },
		{ "no delimiter at all", MULTIPART_ERR_TRUNCATED },
		{ "", MULTIPART_ERR_TRUNCATED },
		{ "--qX\r\n\r\n", MULTIPART_ERR_MALFORMED },
		{ "--q-x", MULTIPART_ERR_MALFORMED },
		{ "--q\rx", MULTIPART_ERR_MALFORMED },
		{ "--q\r\nA: b\rc\r\n\r\n", MULTIPART_ERR_MALFORMED },
		{ "--q\r\nA: 1\r\nA: 2\r\nA: 3\r\nA: 4\r\nA: 5\r\nA: 6\r\nA: 7\r\nA: 8\r\nA: 9\r\n\r\n--q--",
		  MULTIPART_ERR_HEADERS },
		{ "--q\r\nContent-Disposition: form-data; name=\"0123456789012345678901234567890123456789012345678901234567890123456789\"\r\n\r\n--q--",
		  MULTIPART_ERR_NAME },
	};
	struct seen *s = seen_new();
	char *long_line;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len = strlen(cases[i].body);
		enum multipart_error got = read_body("q", (const uint8_t *)cases[i].body, len, NULL, 0, s);
		struct seen *whole = seen_new();

		if (got != cases[i].err)
			fail_msg("case %zu: %d, expected %d", i, got, cases[i].err);
		*whole = *s;
		same_every_way("q", (const uint8_t *)cases[i].body, len, cases[i].err, whole);
		free(whole);
		assert_true(strlen(multipart_strerror(got)) > 0);
	}
	/* a header line of exactly the bound fits; one byte more does not */
	long_line = malloc(MULTIPART_LINE_MAX + 32);
	assert_non_null(long_line);
	for (size_t extra = 0; extra < 2; extra++) {
		size_t line = MULTIPART_LINE_MAX + extra;

		strcpy(long_line, "--q\r\nX: ");
		memset(long_line + 8, 'v', line - 3);
		strcpy(long_line + 5 + line, "\r\n\r\n\r\n--q--"); /* an empty part */
		assert_int_equal(read_body("q", (const uint8_t *)long_line, strlen(long_line), NULL, 0, s),
				 extra ? MULTIPART_ERR_LINE : MULTIPART_OK);
	}
	free(long_line);
	free(s);
}

/* A sink that refuses stops the reader at once. */
static void sink_refusal(void **state)
{
	static const char body[] = "--q\r\nContent-Disposition: form-data; name=a\r\n\r\nxx\r\n--q--";
	struct multipart_sink sink = { NULL, on_begin, on_data, on_end };
	struct seen *s = seen_new();
	struct multipart m;

	(void)state;
	s->stop_at_part = 0;
	sink.ctx = s;
	multipart_init(&m, "q", &sink);
	assert_true(multipart_feed(&m, (const uint8_t *)body, sizeof(body) - 1) < sizeof(body) - 1);
	assert_int_equal(m.state, MULTIPART_ERROR);
	assert_int_equal(multipart_finish(&m), MULTIPART_ERR_SINK);
	assert_int_equal(s->len[0], 0);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(browser_form),
		cmocka_unit_test(curl_form_and_tolerances),
		cmocka_unit_test(delimiter_fragments_in_data),
		cmocka_unit_test(boundaries),
		cmocka_unit_test(refusals),
		cmocka_unit_test(sink_refusal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
