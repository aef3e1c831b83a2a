/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "asn1_der.h"

bool der_read(struct der_cursor *c, uint8_t tag, struct der_cursor *body)
{
	size_t pos = 2, len;

	if (c->len < 2 || c->p[0] != tag)
		return false;
	len = c->p[1];
	if (len & 0x80) {
		size_t nlen = len & 0x7f;

		/* 0x80 is BER's indefinite length, never DER */
		if (nlen == 0 || nlen > 3 || c->len < 2 + nlen)
			return false;
		len = 0;
		for (size_t i = 0; i < nlen; i++)
			len = (len << 8) | c->p[2 + i];
		pos += nlen;
	}
	if (len > c->len - pos)
		return false;
	body->p = c->p + pos;
	body->len = len;
	c->p += pos + len;
	c->len -= pos + len;
	return true;
}

int der_peek_tag(const struct der_cursor *c)
{
	return c->len > 0 ? c->p[0] : -1;
}
