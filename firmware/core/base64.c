/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "base64.h"

#include <stdbool.h>

/* The value of one alphabet character, -1 if it is not one; ranges
 * instead of a 256-byte table, for size. */
static int b64_value(char ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9')
		return ch - '0' + 52;
	if (ch == '+')
		return 62;
	if (ch == '/')
		return 63;
	return -1;
}

static bool b64_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

long b64_decode(const char *text, size_t len, uint8_t *out, size_t cap)
{
	uint32_t acc = 0;
	unsigned nbits = 0, pads = 0, quantum = 0;
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		char ch = text[i];
		int v;

		if (b64_space(ch))
			continue;
		if (ch == '=') {
			/* at most two, only in the last two places of a quantum */
			if (quantum < 2 || ++pads > 2)
				return -1;
			quantum = (quantum + 1) & 3;
			continue;
		}
		v = b64_value(ch);
		if (v < 0 || pads > 0)
			return -1;
		acc = (acc << 6) | (uint32_t)v;
		nbits += 6;
		quantum = (quantum + 1) & 3;
		if (nbits >= 8) {
			nbits -= 8;
			if (n >= cap)
				return -2;
			out[n++] = (uint8_t)(acc >> nbits);
		}
	}
	/* complete quanta only, and the padding must close the last one */
	if (quantum != 0 || (pads > 0 && nbits >= 6))
		return -1;
	return (long)n;
}
