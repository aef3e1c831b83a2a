/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ackscan.h"

#include <string.h>

void ackscan_init(struct ackscan *s)
{
	memset(s, 0, sizeof(*s));
}

static enum ackscan_verdict verdict(const struct ackscan *s, bool ended)
{
	if (!s->in_text)
		return ACKSCAN_PENDING;
	/* No Updater text starts with "OK", so two bytes decide success. */
	if (s->text_len >= 2 && s->text[0] == 'O' && s->text[1] == 'K')
		return ACKSCAN_OK;
	if (s->text_len == 1 && s->text[0] == 'O' && !ended)
		return ACKSCAN_PENDING;
	return (s->text_done || ended) ? ACKSCAN_ERROR : ACKSCAN_PENDING;
}

enum ackscan_verdict ackscan_feed(struct ackscan *s, const void *buf, size_t len)
{
	const char *p = buf;

	for (size_t i = 0; i < len; i++) {
		char c = p[i];

		if (!s->in_text) {
			if (c >= '0' && c <= '9') {
				s->ack_digits++;
				continue;
			}
			if (c == '\r' || c == '\n' || c == ' ')
				continue;
			s->in_text = true;
		}
		if (c == '\n') {
			s->text_done = true;
			continue;
		}
		if (c == '\r' || c == '\0')
			continue;
		if (s->text_len + 1 < sizeof(s->text))
			s->text[s->text_len++] = c;
	}
	s->text[s->text_len] = '\0';
	return verdict(s, false);
}

enum ackscan_verdict ackscan_end(struct ackscan *s)
{
	return verdict(s, true);
}

const char *ackscan_text(const struct ackscan *s)
{
	return s->text;
}
