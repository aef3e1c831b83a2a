/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "multipart.h"

#include "fwmem.h"

enum phase {
	PH_PREAMBLE, /* before the first delimiter: skipped */
	PH_AFTER,    /* just after a delimiter: "--", or blanks then CRLF */
	PH_DASH,     /* one '-' after a delimiter */
	PH_AFTER_CR, /* CR after a delimiter */
	PH_HEADERS,  /* a part's header lines */
	PH_DATA,     /* a part's data */
	PH_EPILOGUE, /* after the closing delimiter: skipped */
};

static const char *skip_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* One ";key=value" parameter of a header value from *p, the value
 * unquoted into val (cut to vcap - 1 bytes; *cut says so). False when
 * there is none left. */
static bool next_param(const char **p, const char **key, size_t *klen, char *val, size_t vcap,
		       bool *cut)
{
	const char *s = *p;
	size_t n = 0;

	while (*s && *s != ';')
		s++; /* the rest of the previous item */
	if (*s != ';')
		return false;
	s = skip_blanks(s + 1);
	*key = s;
	while (*s && *s != '=' && *s != ';' && *s != ' ' && *s != '\t')
		s++;
	*klen = (size_t)(s - *key);
	s = skip_blanks(s);
	*cut = false;
	if (*s == '=') {
		s = skip_blanks(s + 1);
		if (*s == '"') {
			for (s++; *s && *s != '"'; s++) {
				if (*s == '\\' && s[1])
					s++;
				if (n + 1 < vcap)
					val[n++] = *s;
				else
					*cut = true;
			}
			if (*s == '"')
				s++;
		} else {
			for (; *s && *s != ';' && *s != ' ' && *s != '\t'; s++) {
				if (n + 1 < vcap)
					val[n++] = *s;
				else
					*cut = true;
			}
		}
	}
	val[n] = '\0';
	*p = s;
	return true;
}

/* RFC 2046 bchars. */
static bool is_bchar(char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return true;
	switch (c) {
	case '\'': case '(': case ')': case '+': case '_': case ',': case '-': case '.':
	case '/': case ':': case '=': case '?': case ' ':
		return true;
	}
	return false;
}

static bool valid_boundary(const char *b)
{
	size_t n = fw_strlen(b);

	if (n == 0 || n > MULTIPART_BOUNDARY_MAX || b[n - 1] == ' ')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_bchar(b[i]))
			return false;
	return true;
}

bool multipart_boundary(const char *content_type, char *out, size_t cap)
{
	const char *p = skip_blanks(content_type), *key;
	size_t n = 0, klen;
	bool cut;

	while (p[n] && p[n] != ';' && p[n] != ' ' && p[n] != '\t')
		n++;
	if (!fw_ascii_eq_n("multipart/form-data", p, n))
		return false;
	while (next_param(&p, &key, &klen, out, cap, &cut))
		if (fw_ascii_eq_n("boundary", key, klen))
			return !cut && valid_boundary(out);
	return false;
}

enum multipart_error multipart_init(struct multipart *m, const char *boundary,
				    const struct multipart_sink *sink)
{
	size_t n = fw_strlen(boundary);

	fw_memset(m, 0, sizeof(*m));
	m->sink = sink;
	if (!valid_boundary(boundary)) {
		m->state = MULTIPART_ERROR;
		m->error = MULTIPART_ERR_BOUNDARY;
		return m->error;
	}
	fw_memcpy(m->delim, "\r\n--", 4);
	fw_memcpy(m->delim + 4, boundary, n);
	m->delim_len = (uint8_t)(4 + n);
	m->state = MULTIPART_MORE;
	m->phase = PH_PREAMBLE;
	m->match = 2; /* the first delimiter may open the body: its CRLF is implied */
	return MULTIPART_OK;
}

static size_t fail(struct multipart *m, enum multipart_error err, size_t taken)
{
	m->state = MULTIPART_ERROR;
	m->error = err;
	return taken;
}

/* A part header line: only Content-Disposition matters. */
static enum multipart_error header_line(struct multipart *m)
{
	const char *p = m->line, *key;
	char val[MULTIPART_FILENAME_MAX + 1];
	size_t n = 0, klen;
	bool cut;

	while (p[n] && p[n] != ':')
		n++;
	if (p[n] != ':' || !fw_ascii_eq_n("content-disposition", p, n))
		return MULTIPART_OK;
	p += n + 1;
	while (next_param(&p, &key, &klen, val, sizeof(val), &cut)) {
		if (fw_ascii_eq_n("name", key, klen)) {
			if (cut || fw_strlen(val) > MULTIPART_NAME_MAX)
				return MULTIPART_ERR_NAME;
			fw_memcpy(m->part.name, val, fw_strlen(val) + 1);
		} else if (fw_ascii_eq_n("filename", key, klen)) {
			fw_memcpy(m->part.filename, val, fw_strlen(val) + 1);
			m->part.has_filename = true;
		} else if (fw_ascii_eq_n("filename*", key, klen)) {
			m->part.has_filename = true;
		}
	}
	return MULTIPART_OK;
}

static void start_headers(struct multipart *m)
{
	m->phase = PH_HEADERS;
	m->header_lines = 0;
	m->line_len = 0;
	m->line_cr = false;
	fw_memset(&m->part, 0, sizeof(m->part));
}

/* One byte of a part's header block. Returns MULTIPART_OK to go on. */
static enum multipart_error header_byte(struct multipart *m, uint8_t c)
{
	enum multipart_error err;

	if (c == '\n') {
		m->line[m->line_len] = '\0';
		m->line_cr = false;
		if (m->line_len == 0) {
			m->phase = PH_DATA;
			m->in_part = true;
			if (m->sink && m->sink->part_begin && m->sink->part_begin(m->sink->ctx, &m->part))
				return MULTIPART_ERR_SINK;
			return MULTIPART_OK;
		}
		if (++m->header_lines > MULTIPART_HEADERS_MAX)
			return MULTIPART_ERR_HEADERS;
		err = header_line(m);
		m->line_len = 0;
		return err;
	}
	if (m->line_cr)
		return MULTIPART_ERR_MALFORMED; /* a CR not before LF */
	if (c == '\r') {
		m->line_cr = true;
		return MULTIPART_OK;
	}
	if (m->line_len >= MULTIPART_LINE_MAX)
		return MULTIPART_ERR_LINE;
	m->line[m->line_len++] = (char)c;
	return MULTIPART_OK;
}

static bool emit(struct multipart *m, const uint8_t *data, size_t len)
{
	if (len == 0 || !m->sink || !m->sink->part_data)
		return true;
	return m->sink->part_data(m->sink->ctx, data, len) == 0;
}

/* A byte right after a delimiter. */
static enum multipart_error after_byte(struct multipart *m, uint8_t c)
{
	switch (m->phase) {
	case PH_AFTER:
		if (c == '-')
			m->phase = PH_DASH;
		else if (c == '\r')
			m->phase = PH_AFTER_CR;
		else if (c == '\n')
			start_headers(m);
		else if (c != ' ' && c != '\t')
			return MULTIPART_ERR_MALFORMED;
		return MULTIPART_OK;
	case PH_DASH:
		if (c != '-')
			return MULTIPART_ERR_MALFORMED;
		m->phase = PH_EPILOGUE;
		m->state = MULTIPART_DONE;
		return MULTIPART_OK;
	default: /* PH_AFTER_CR */
		if (c != '\n')
			return MULTIPART_ERR_MALFORMED;
		start_headers(m);
		return MULTIPART_OK;
	}
}

size_t multipart_feed(struct multipart *m, const uint8_t *in, size_t len)
{
	size_t i = 0, run = 0; /* in[run..i) is data not yet given to the sink */
	enum multipart_error err;

	while (i < len && m->state == MULTIPART_MORE) {
		uint8_t c = in[i];

		if (m->phase == PH_DATA || m->phase == PH_PREAMBLE) {
			bool data = m->phase == PH_DATA;

			if (c == m->delim[m->match]) {
				if (m->match == 0 && data && !emit(m, in + run, i - run))
					return fail(m, MULTIPART_ERR_SINK, i);
				i++;
				run = i;
				if (++m->match < m->delim_len)
					continue;
				m->match = 0;
				m->phase = PH_AFTER;
				if (data) {
					m->in_part = false;
					if (m->sink && m->sink->part_end && m->sink->part_end(m->sink->ctx))
						return fail(m, MULTIPART_ERR_SINK, i);
				}
			} else if (m->match > 0) {
				/* what was held back was data after all; c may start a delimiter
				 * itself (only CR can: no other delimiter byte is a CR) */
				if (data && !emit(m, m->delim, m->match))
					return fail(m, MULTIPART_ERR_SINK, i);
				m->match = 0;
				run = i;
			} else {
				i++;
			}
			continue;
		}
		if (m->phase == PH_EPILOGUE)
			return len;
		err = m->phase == PH_HEADERS ? header_byte(m, c) : after_byte(m, c);
		i++;
		run = i;
		if (err != MULTIPART_OK)
			return fail(m, err, i);
	}
	if (m->state == MULTIPART_MORE && m->phase == PH_DATA && m->match == 0 &&
	    !emit(m, in + run, i - run))
		return fail(m, MULTIPART_ERR_SINK, i);
	return m->state == MULTIPART_DONE ? len : i;
}

enum multipart_error multipart_finish(struct multipart *m)
{
	if (m->state == MULTIPART_MORE)
		(void)fail(m, MULTIPART_ERR_TRUNCATED, 0);
	return m->state == MULTIPART_DONE ? MULTIPART_OK : m->error;
}

const char *multipart_strerror(enum multipart_error err)
{
	switch (err) {
	case MULTIPART_OK:
		return "ok";
	case MULTIPART_ERR_BOUNDARY:
		return "no usable multipart boundary: send multipart/form-data with a boundary of 1 to 70 characters";
	case MULTIPART_ERR_LINE:
		return "a part header line is too long";
	case MULTIPART_ERR_HEADERS:
		return "too many part header lines";
	case MULTIPART_ERR_MALFORMED:
		return "malformed multipart body";
	case MULTIPART_ERR_NAME:
		return "a form field name is too long";
	case MULTIPART_ERR_SINK:
		return "the upload was stopped";
	case MULTIPART_ERR_TRUNCATED:
		return "the multipart body ended before its closing boundary";
	}
	return "unknown multipart error";
}
