/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "escape.h"

#include <stdint.h>
#include <stdio.h>

/* The escape for byte b into e (5 bytes); returns its length. */
static size_t escape_one(uint8_t b, char e[5])
{
	switch (b) {
	case '\\': e[0] = '\\'; e[1] = '\\'; return 2;
	case '\t': e[0] = '\\'; e[1] = 't'; return 2;
	case '\n': e[0] = '\\'; e[1] = 'n'; return 2;
	case '\r': e[0] = '\\'; e[1] = 'r'; return 2;
	}
	if (b >= 0x20 && b < 0x7F) {
		e[0] = (char)b;
		return 1;
	}
	snprintf(e, 5, "\\x%02x", b);
	return 4;
}

char *escape_text(char *out, size_t cap, const void *in, size_t len)
{
	const uint8_t *p = in;
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		char e[5];
		size_t n = escape_one(p[i], e);

		if (o + n >= cap)
			break;
		for (size_t k = 0; k < n; k++)
			out[o++] = e[k];
	}
	out[o] = '\0';
	return out;
}
