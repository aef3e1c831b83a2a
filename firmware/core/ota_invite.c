/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ota_invite.h"

#include "fwmem.h"

#define READ_INT_DIGITS 16 /* the device's char data[16] */

/* -1 at the end of the datagram, as UdpContext::peek/read. */
static int peek(const struct ota_cursor *c)
{
	return c->pos < c->len ? c->data[c->pos] : -1;
}

static int next(struct ota_cursor *c)
{
	return c->pos < c->len ? c->data[c->pos++] : -1;
}

int32_t ota_read_int(struct ota_cursor *c)
{
	int64_t value = 0;

	while (peek(c) == ' ')
		c->pos++;
	for (int i = 0; i < READ_INT_DIGITS; i++) {
		int ch = peek(c);

		if (ch < '0' || ch > '9')
			return (int32_t)value;
		c->pos++;
		value = value * 10 + (ch - '0');
		if (value > INT32_MAX)
			value = INT32_MAX; /* atoi is strtol, which saturates */
	}
	/* 16 digits and still no terminator: the buffer had no room for it. */
	return 0;
}

/* readStringUntil(end): stops at end, NUL or the end of the datagram; the
 * stop character is consumed. Reports where the string lies. */
static void read_until(struct ota_cursor *c, int end, size_t *start, size_t *len)
{
	*start = c->pos;
	for (;;) {
		int ch = next(c);

		if (ch < 0) {
			*len = c->pos - *start;
			return;
		}
		if (ch == 0 || ch == end) {
			*len = c->pos - 1 - *start;
			return;
		}
	}
}

/* String::trim(): isspace() in the C locale, from both ends. */
static int is_space(uint8_t ch)
{
	return ch == ' ' || (ch >= '\t' && ch <= '\r');
}

enum ota_parse ota_parse_invite(const uint8_t *data, size_t len, struct ota_invite *out)
{
	struct ota_cursor c = { data, len, 0 };
	int32_t command, port;
	size_t start, n;

	command = ota_read_int(&c);
	if (command != 0 && command != 100)
		return OTA_PARSE_COMMAND;
	port = ota_read_int(&c);
	out->command = command;
	out->host_port = (uint16_t)port; /* the device stores it in a uint16_t */
	out->size = (uint32_t)ota_read_int(&c);
	(void)next(&c); /* the separator, whatever it is */
	read_until(&c, '\n', &start, &n);
	while (n > 0 && is_space(data[start])) {
		start++;
		n--;
	}
	while (n > 0 && is_space(data[start + n - 1]))
		n--;
	if (n != OTA_MD5_HEX)
		return OTA_PARSE_LENGTH;
	fw_memcpy(out->md5, data + start, n);
	out->md5[n] = '\0';
	return OTA_PARSE_OK;
}

enum ota_parse ota_parse_auth(const uint8_t *data, size_t len, size_t hex_len,
			      struct ota_auth_reply *out)
{
	struct ota_cursor c = { data, len, 0 };
	size_t cn_start, cn_len, rs_start, rs_len;

	if (ota_read_int(&c) != 200)
		return OTA_PARSE_COMMAND;
	(void)next(&c);
	read_until(&c, ' ', &cn_start, &cn_len);
	read_until(&c, '\n', &rs_start, &rs_len);
	if (hex_len > OTA_AUTH_HEX_MAX || cn_len != hex_len || rs_len != hex_len)
		return OTA_PARSE_LENGTH;
	fw_memcpy(out->cnonce, data + cn_start, cn_len);
	out->cnonce[cn_len] = '\0';
	fw_memcpy(out->response, data + rs_start, rs_len);
	out->response[rs_len] = '\0';
	out->response_len = rs_len;
	return OTA_PARSE_OK;
}
