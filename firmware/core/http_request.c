/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "http_request.h"

#include "fwmem.h"

bool http_token_eq(const char *a, const char *b)
{
	while (*a && fw_ascii_lower(*a) == fw_ascii_lower(*b)) {
		a++;
		b++;
	}
	return *a == *b;
}

/* RFC 9110 tchar: the characters of a method or a header name. */
static bool is_tchar(char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return true;
	switch (c) {
	case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
	case '-': case '.': case '^': case '_': case '`': case '|': case '~':
		return true;
	}
	return false;
}

/* True when s starts with prefix; never reads past the end of s. */
static bool starts_with(const char *s, const char *prefix)
{
	while (*prefix && *s == *prefix) {
		s++;
		prefix++;
	}
	return *prefix == '\0';
}

static bool is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = fw_ascii_lower(s[i]);

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
	}
	return s[n] == '\0';
}

static size_t refuse(struct http_request *r, uint16_t status, const char *reason, size_t taken)
{
	r->state = HTTP_REQ_ERROR;
	r->status = status;
	r->reason = reason;
	return taken;
}

/* Copies the NUL-terminated s into out (cap bytes); false when it does not fit. */
static bool copy_text(char *out, size_t cap, const char *s)
{
	size_t n = fw_strlen(s);

	if (n >= cap)
		return false;
	fw_memcpy(out, s, n + 1);
	return true;
}

static const struct {
	const char *name;
	enum http_method method;
} methods[] = {
	{ "GET", HTTP_METHOD_GET },
	{ "HEAD", HTTP_METHOD_HEAD },
	{ "POST", HTTP_METHOD_POST },
	{ "OPTIONS", HTTP_METHOD_OPTIONS },
};

/* "METHOD SP /path[?query] SP HTTP/1.x". Returns 0 or the refusal's status. */
static uint16_t request_line(struct http_request *r, char *line, const char **reason)
{
	char *target, *version, *q;
	size_t n = 0;

	while (is_tchar(line[n]))
		n++;
	if (n == 0 || line[n] != ' ') {
		*reason = "malformed request line";
		return 400;
	}
	if (n >= sizeof(r->method_text)) {
		*reason = "method not implemented";
		return 501;
	}
	fw_memcpy(r->method_text, line, n);
	r->method_text[n] = '\0';
	r->method = HTTP_METHOD_OTHER;
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (fw_strlen(methods[i].name) == n && fw_memcmp(methods[i].name, line, n) == 0)
			r->method = methods[i].method;
	target = line + n + 1;
	for (version = target; *version && *version != ' '; version++)
		;
	if (*target != '/' || *version != ' ') {
		*reason = "malformed request line: the target must be a path";
		return 400;
	}
	*version++ = '\0';
	if (!starts_with(version, "HTTP/1.") || !(version[7] == '0' || version[7] == '1') ||
	    version[8] != '\0') {
		if (starts_with(version, "HTTP/") && version[5] >= '2' && version[5] <= '9') {
			*reason = "HTTP version not supported: use HTTP/1.1";
			return 505;
		}
		*reason = "malformed request line: no HTTP/1.x version";
		return 400;
	}
	r->version_minor = (uint8_t)(version[7] - '0');
	for (q = target; *q && *q != '?'; q++)
		;
	if (*q == '?') {
		*q++ = '\0';
		if (!copy_text(r->query, sizeof(r->query), q)) {
			*reason = "query too long";
			return 414;
		}
	}
	if (!copy_text(r->path, sizeof(r->path), target)) {
		*reason = "path too long";
		return 414;
	}
	return 0;
}

/* True when the comma-separated list has the token (any letter case). */
static bool list_has(const char *list, const char *token)
{
	size_t tn = fw_strlen(token);

	while (*list) {
		size_t n = 0, end;

		while (*list == ' ' || *list == '\t' || *list == ',')
			list++;
		while (list[n] && list[n] != ',')
			n++;
		end = n;
		while (end > 0 && (list[end - 1] == ' ' || list[end - 1] == '\t'))
			end--;
		if (end == tn) {
			size_t i = 0;

			while (i < tn && fw_ascii_lower(list[i]) == fw_ascii_lower(token[i]))
				i++;
			if (i == tn)
				return true;
		}
		list += n;
	}
	return false;
}

static uint16_t content_length(struct http_request *r, const char *v, const char **reason)
{
	uint64_t n = 0;

	if (*v == '\0') {
		*reason = "malformed Content-Length";
		return 400;
	}
	for (; *v; v++) {
		if (*v < '0' || *v > '9') {
			*reason = "malformed Content-Length";
			return 400;
		}
		n = n * 10 + (uint64_t)(*v - '0');
		if (n > HTTP_BODY_MAX) {
			*reason = "body too large";
			return 413;
		}
	}
	if (r->has_length && r->content_length != (uint32_t)n) {
		*reason = "two different Content-Length headers";
		return 400;
	}
	r->has_length = true;
	r->content_length = (uint32_t)n;
	return 0;
}

/* One header line "Name: value". Returns 0 or the refusal's status. */
static uint16_t header_line(struct http_request *r, char *line, const char **reason)
{
	char *v, *end;
	size_t n = 0;

	while (is_tchar(line[n]))
		n++;
	if (n == 0 || line[n] != ':') {
		/* also a folded line (leading space), which RFC 9112 lets a server refuse */
		*reason = "malformed header line";
		return 400;
	}
	line[n] = '\0';
	v = line + n + 1;
	while (*v == ' ' || *v == '\t')
		v++;
	end = v + fw_strlen(v);
	while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';

	if (http_token_eq(line, "Content-Length"))
		return content_length(r, v, reason);
	if (http_token_eq(line, "Transfer-Encoding")) {
		*reason = "Transfer-Encoding is not supported: send a Content-Length";
		return 501;
	}
	if (http_token_eq(line, "Expect")) {
		if (!http_token_eq(v, "100-continue")) {
			*reason = "only Expect: 100-continue is supported";
			return 417;
		}
		r->expect_continue = true;
	} else if (http_token_eq(line, "Connection")) {
		r->close = r->close || list_has(v, "close");
		r->keep_alive = r->keep_alive || list_has(v, "keep-alive");
	} else if (http_token_eq(line, "Authorization")) {
		if (!copy_text(r->authorization, sizeof(r->authorization), v)) {
			*reason = "Authorization header too long";
			return 431;
		}
	} else if (http_token_eq(line, "Content-Type")) {
		if (!copy_text(r->content_type, sizeof(r->content_type), v)) {
			*reason = "Content-Type header too long";
			return 431;
		}
	} else if (http_token_eq(line, "Origin")) {
		if (!copy_text(r->origin, sizeof(r->origin), v)) {
			*reason = "Origin header too long";
			return 431;
		}
	} else if (http_token_eq(line, "X-MD5")) {
		if (fw_strlen(v) != 32 || !is_hex(v, 32)) {
			*reason = "X-MD5 must be 32 hex digits";
			return 400;
		}
		fw_memcpy(r->x_md5, v, 33);
	} else if (http_token_eq(line, "X-SHA256")) {
		if (fw_strlen(v) != 64 || !is_hex(v, 64)) {
			*reason = "X-SHA256 must be 64 hex digits";
			return 400;
		}
		fw_memcpy(r->x_sha256, v, 65);
	}
	return 0;
}

void http_request_init(struct http_request *r)
{
	fw_memset(r, 0, sizeof(*r));
	r->state = HTTP_REQ_MORE;
}

/* A whole line is in r->line: the request line, a header, or the blank
 * line that ends the head. Returns 0, or the refusal's status. */
static uint16_t end_of_line(struct http_request *r, const char **reason)
{
	r->line[r->line_len] = '\0';
	if (r->lines == 0) {
		if (r->line_len == 0)
			return 0; /* blank lines before the request line are ignored */
		r->lines = 1;
		return request_line(r, r->line, reason);
	}
	if (r->line_len == 0) {
		if (r->version_minor == 0 && !r->keep_alive)
			r->close = true;
		r->state = HTTP_REQ_DONE;
		return 0;
	}
	if (++r->lines > HTTP_HEADERS_MAX + 1) {
		*reason = "too many header lines";
		return 431;
	}
	return header_line(r, r->line, reason);
}

size_t http_request_feed(struct http_request *r, const uint8_t *in, size_t len)
{
	if (r->state != HTTP_REQ_MORE)
		return 0;
	for (size_t i = 0; i < len && r->state == HTTP_REQ_MORE; i++) {
		char c = (char)in[i];
		const char *reason = "";
		uint16_t status;

		if (++r->head_bytes > HTTP_HEAD_BYTES_MAX)
			return refuse(r, 431, "request head too large", i + 1);
		if (c == '\n') {
			r->line_cr = false;
			status = end_of_line(r, &reason);
			if (status)
				return refuse(r, status, reason, i + 1);
			r->line_len = 0;
			if (r->state == HTTP_REQ_DONE)
				return i + 1;
			continue;
		}
		if (r->line_cr || c == '\0' || ((unsigned char)c < 0x20 && c != '\t' && c != '\r') ||
		    c == 0x7F)
			return refuse(r, 400, "control character in the request head", i + 1);
		if (c == '\r') {
			r->line_cr = true;
			continue;
		}
		if (r->line_len >= HTTP_LINE_MAX)
			return refuse(r, r->lines == 0 ? 414 : 431,
				      r->lines == 0 ? "request line too long" : "header line too long",
				      i + 1);
		r->line[r->line_len++] = c;
	}
	return len;
}

bool http_query_param(const char *query, const char *name, char *out, size_t cap)
{
	size_t nlen = fw_strlen(name);

	while (*query) {
		size_t n = 0;

		while (query[n] && query[n] != '&')
			n++;
		if (n > nlen && query[nlen] == '=' && starts_with(query, name)) {
			size_t vlen = n - nlen - 1;

			if (vlen >= cap)
				return false;
			fw_memcpy(out, query + nlen + 1, vlen);
			out[vlen] = '\0';
			return true;
		}
		query += n;
		if (*query == '&')
			query++;
	}
	return false;
}
