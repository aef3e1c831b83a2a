/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The request-head parser: what it keeps, what it refuses with which
 * status, and that the answer never depends on where TCP split the bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_request.h"

/* a string literal and its length */
#define S(lit) lit, sizeof(lit) - 1

/* Parses text fed in two pieces split at k (k = 0: one piece); returns how
 * many bytes were taken in all. */
static size_t parse_split(struct http_request *r, const char *text, size_t len, size_t k)
{
	size_t taken;

	http_request_init(r);
	if (k == 0 || k >= len)
		return http_request_feed(r, (const uint8_t *)text, len);
	taken = http_request_feed(r, (const uint8_t *)text, k);
	if (r->state != HTTP_REQ_MORE)
		return taken;
	return taken + http_request_feed(r, (const uint8_t *)text + k, len - k);
}

static size_t parse_bytewise(struct http_request *r, const char *text, size_t len)
{
	size_t taken = 0;

	http_request_init(r);
	for (size_t i = 0; i < len && r->state == HTTP_REQ_MORE; i++)
		taken += http_request_feed(r, (const uint8_t *)text + i, 1);
	return taken;
}

/* The parse of text at every split point and byte by byte equals the one
 * of the whole; *out is the whole's. */
static size_t parse_every_way(struct http_request *out, const char *text, size_t len)
{
	struct http_request *r = malloc(sizeof(*r));
	size_t whole = parse_split(out, text, len, 0);

	assert_non_null(r);
	for (size_t k = 1; k <= len; k++) {
		size_t t = k < len ? parse_split(r, text, len, k) : parse_bytewise(r, text, len);

		assert_int_equal(t, whole);
		assert_int_equal(r->state, out->state);
		assert_int_equal(r->status, out->status);
		assert_int_equal(r->method, out->method);
		assert_string_equal(r->path, out->path);
		assert_string_equal(r->query, out->query);
		assert_string_equal(r->authorization, out->authorization);
		assert_string_equal(r->content_type, out->content_type);
		assert_int_equal(r->content_length, out->content_length);
		assert_int_equal(r->expect_continue, out->expect_continue);
		assert_int_equal(r->close, out->close);
	}
	free(r);
	return whole;
}

static const char browser_post[] =
	"POST /update HTTP/1.1\r\n"
	"Host: 192.168.4.1\r\n"
	"Connection: keep-alive\r\n"
	"Content-Length: 1049000\r\n"
	"Authorization: Basic YWRtaW46c2VjcmV0\r\n"
	"Origin: http://192.168.4.1\r\n"
	"Content-Type: multipart/form-data; boundary=----WebKitFormBoundaryx8Qz3kVvR0aZ1p2C\r\n"
	"Accept: text/html,application/xhtml+xml,*/*;q=0.8\r\n"
	"Expect: 100-continue\r\n"
	"\r\n"
	"------WebKitFormBoundary";

static void browser_upload_head(void **state)
{
	struct http_request r;
	size_t head = strlen(browser_post) - strlen("------WebKitFormBoundary");
	size_t taken;

	(void)state;
	taken = parse_every_way(&r, browser_post, strlen(browser_post));
	assert_int_equal(r.state, HTTP_REQ_DONE);
	assert_int_equal(taken, head); /* the body's first bytes are left */
	assert_int_equal(r.method, HTTP_METHOD_POST);
	assert_string_equal(r.method_text, "POST");
	assert_string_equal(r.path, "/update");
	assert_string_equal(r.query, "");
	assert_int_equal(r.version_minor, 1);
	assert_true(r.has_length);
	assert_int_equal(r.content_length, 1049000);
	assert_true(r.expect_continue);
	assert_false(r.close);
	assert_string_equal(r.authorization, "Basic YWRtaW46c2VjcmV0");
	assert_string_equal(r.origin, "http://192.168.4.1");
	assert_string_equal(r.content_type,
			    "multipart/form-data; boundary=----WebKitFormBoundaryx8Qz3kVvR0aZ1p2C");
	assert_string_equal(r.x_md5, "");
}

static void raw_upload_with_query_and_digests(void **state)
{
	static const char req[] =
		"POST /update?mode=filesystem&x=1 HTTP/1.1\r\n"
		"content-length:   42  \r\n"
		"CONTENT-TYPE: application/octet-stream\r\n"
		"x-md5: 0123456789ABCDEF0123456789abcdef\r\n"
		"X-SHA256: 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\r\n"
		"Connection: Upgrade, close\r\n"
		"\r\n";
	struct http_request r;
	char v[16];

	(void)state;
	assert_int_equal(parse_every_way(&r, req, strlen(req)), strlen(req));
	assert_int_equal(r.state, HTTP_REQ_DONE);
	assert_string_equal(r.path, "/update");
	assert_string_equal(r.query, "mode=filesystem&x=1");
	assert_true(http_query_param(r.query, "mode", v, sizeof(v)));
	assert_string_equal(v, "filesystem");
	assert_true(http_query_param(r.query, "x", v, sizeof(v)));
	assert_string_equal(v, "1");
	assert_false(http_query_param(r.query, "mod", v, sizeof(v)));
	assert_false(http_query_param(r.query, "mode", v, 4)); /* does not fit */
	assert_int_equal(r.content_length, 42);
	assert_string_equal(r.content_type, "application/octet-stream");
	assert_string_equal(r.x_md5, "0123456789ABCDEF0123456789abcdef");
	assert_int_equal(strlen(r.x_sha256), 64);
	assert_true(r.close);
	assert_false(r.expect_continue);
}

static void versions_and_connection(void **state)
{
	struct http_request r;

	(void)state;
	parse_every_way(&r, S("GET /update HTTP/1.0\r\n\r\n"));
	assert_int_equal(r.state, HTTP_REQ_DONE);
	assert_int_equal(r.method, HTTP_METHOD_GET);
	assert_int_equal(r.version_minor, 0);
	assert_true(r.close); /* HTTP/1.0 closes unless it asks for keep-alive */
	parse_every_way(&r, S("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"));
	assert_int_equal(r.state, HTTP_REQ_DONE);
	assert_false(r.close);
	/* bare LF line ends and blank lines before the request are taken */
	parse_every_way(&r, S("\r\n\nOPTIONS /update HTTP/1.1\nHost: x\n\n"));
	assert_int_equal(r.state, HTTP_REQ_DONE);
	assert_int_equal(r.method, HTTP_METHOD_OPTIONS);
	assert_false(r.close);
	parse_every_way(&r, S("DELETE /update HTTP/1.1\r\n\r\n"));
	assert_int_equal(r.state, HTTP_REQ_DONE);
	assert_int_equal(r.method, HTTP_METHOD_OTHER);
	assert_string_equal(r.method_text, "DELETE");
	/* two equal Content-Length lines are one */
	parse_every_way(&r, S("POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n"));
	assert_int_equal(r.state, HTTP_REQ_DONE);
	assert_int_equal(r.content_length, 5);
}

/* Builds a request head with a repeated piece; returns a malloc'd string. */
static char *repeat(const char *before, const char *piece, size_t times, const char *after)
{
	size_t n = strlen(before) + strlen(piece) * times + strlen(after) + 1;
	char *s = malloc(n), *p = s;

	assert_non_null(s);
	p += sprintf(p, "%s", before);
	for (size_t i = 0; i < times; i++)
		p += sprintf(p, "%s", piece);
	sprintf(p, "%s", after);
	return s;
}

static void expect_refusal(const char *req, size_t len, uint16_t status)
{
	struct http_request r;

	parse_every_way(&r, req, len);
	if (r.state != HTTP_REQ_ERROR || r.status != status)
		fail_msg("'%.60s...': state %d status %u, expected status %u", req, r.state, r.status,
			 status);
	assert_non_null(r.reason);
	assert_true(strlen(r.reason) > 0);
}

static void refusals(void **state)
{
	static const struct {
		const char *req;
		uint16_t status;
	} cases[] = {
		{ "GET update HTTP/1.1\r\n\r\n", 400 },
		{ "GET http://host/update HTTP/1.1\r\n\r\n", 400 },
		{ "GET /update\r\n\r\n", 400 },
		{ "GET  /update HTTP/1.1\r\n\r\n", 400 },
		{ "GET /update HTTP/1.2\r\n\r\n", 400 },
		{ "GET /update HTTP/2.0\r\n\r\n", 505 },
		{ "GET /update HTTP/1.1 \r\n\r\n", 400 },
		{ "GET /update HTT\r\n\r\n", 400 },
		{ "GETTINGVERYLONGMETHOD /update HTTP/1.1\r\n\r\n", 501 },
		{ "POST / HTTP/1.1\r\nContent-Length: 12a\r\n\r\n", 400 },
		{ "POST / HTTP/1.1\r\nContent-Length: \r\n\r\n", 400 },
		{ "POST / HTTP/1.1\r\nContent-Length: 2147483648\r\n\r\n", 413 },
		{ "POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n", 413 },
		{ "POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", 400 },
		{ "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 501 },
		{ "POST / HTTP/1.1\r\nExpect: 200-ok\r\n\r\n", 417 },
		{ "POST / HTTP/1.1\r\nX-MD5: 1234\r\n\r\n", 400 },
		{ "POST / HTTP/1.1\r\nX-MD5: 0123456789abcdef0123456789abcdeg\r\n\r\n", 400 },
		{ "POST / HTTP/1.1\r\nX-SHA256: 00\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\n: a\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\rHost: a\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\nHost: a\x01\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\nHost: a\x7f\r\n\r\n", 400 },
	};
	char *s;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_refusal(cases[i].req, strlen(cases[i].req), cases[i].status);
	/* a NUL byte */
	expect_refusal(S("GET / HTTP/1.1\r\nHost: \0a\r\n\r\n"), 400);

	/* the bounds: path, query, request line, header line, count, head */
	s = repeat("GET /", "a", HTTP_PATH_MAX, " HTTP/1.1\r\n\r\n"); /* 129-byte path */
	expect_refusal(s, strlen(s), 414);
	free(s);
	s = repeat("GET /", "a", HTTP_PATH_MAX - 1, " HTTP/1.1\r\n\r\n"); /* 128 fits */
	{
		struct http_request r;

		parse_every_way(&r, s, strlen(s));
		assert_int_equal(r.state, HTTP_REQ_DONE);
		assert_int_equal(strlen(r.path), HTTP_PATH_MAX);
	}
	free(s);
	s = repeat("GET /?", "q", HTTP_QUERY_MAX + 1, " HTTP/1.1\r\n\r\n");
	expect_refusal(s, strlen(s), 414);
	free(s);
	s = repeat("GET /", "a", HTTP_LINE_MAX, " HTTP/1.1\r\n\r\n");
	expect_refusal(s, strlen(s), 414);
	free(s);
	s = repeat("GET / HTTP/1.1\r\nX-Long: ", "v", HTTP_LINE_MAX, "\r\n\r\n");
	expect_refusal(s, strlen(s), 431);
	free(s);
	s = repeat("GET / HTTP/1.1\r\n", "A: b\r\n", HTTP_HEADERS_MAX + 1, "\r\n");
	expect_refusal(s, strlen(s), 431);
	free(s);
	s = repeat("GET / HTTP/1.1\r\n", "A: b\r\n", HTTP_HEADERS_MAX, "\r\n"); /* 64 fit */
	{
		struct http_request r;

		parse_every_way(&r, s, strlen(s));
		assert_int_equal(r.state, HTTP_REQ_DONE);
	}
	free(s);
	s = repeat("GET / HTTP/1.1\r\n", "X-Pad: 0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789\r\n", 60, "\r\n");
	expect_refusal(s, strlen(s), 431); /* 60 lines of 139 bytes: past 8 KiB */
	free(s);
	s = repeat("GET / HTTP/1.1\r\nAuthorization: Digest ", "x", HTTP_AUTH_MAX, "\r\n\r\n");
	expect_refusal(s, strlen(s), 431);
	free(s);
	s = repeat("GET / HTTP/1.1\r\nOrigin: http://", "o", HTTP_ORIGIN_MAX, "\r\n\r\n");
	expect_refusal(s, strlen(s), 431);
	free(s);
}

/* Only MORE takes every byte; after DONE or ERROR nothing more is taken. */
static void stops_at_the_end_of_the_head(void **state)
{
	struct http_request r;
	static const char req[] = "GET / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n";

	(void)state;
	http_request_init(&r);
	assert_int_equal(http_request_feed(&r, (const uint8_t *)req, sizeof(req) - 1), 18);
	assert_int_equal(r.state, HTTP_REQ_DONE);
	assert_int_equal(http_request_feed(&r, (const uint8_t *)req + 18, 5), 0);
	http_request_init(&r);
	assert_int_equal(http_request_feed(&r, (const uint8_t *)"GET x", 5), 5);
	assert_int_equal(r.state, HTTP_REQ_MORE);
	assert_int_equal(http_request_feed(&r, (const uint8_t *)" HTTP/1.1\r\n", 11), 11);
	assert_int_equal(r.state, HTTP_REQ_ERROR);
	assert_int_equal(r.status, 400);
	assert_int_equal(http_request_feed(&r, (const uint8_t *)"\r\n", 2), 0);
}

static void token_compare(void **state)
{
	(void)state;
	assert_true(http_token_eq("Content-Length", "content-length"));
	assert_true(http_token_eq("", ""));
	assert_false(http_token_eq("Content-Length", "Content-Lengt"));
	assert_false(http_token_eq("a", "ab"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(browser_upload_head),
		cmocka_unit_test(raw_upload_with_query_and_digests),
		cmocka_unit_test(versions_and_connection),
		cmocka_unit_test(refusals),
		cmocka_unit_test(stops_at_the_end_of_the_head),
		cmocka_unit_test(token_compare),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
