/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "fwmem.h"

void fw_memcpy(void *dst, const void *src, size_t len)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	while (len--)
		*d++ = *s++;
}

void fw_memset(void *dst, int value, size_t len)
{
	uint8_t *d = dst;

	while (len--)
		*d++ = (uint8_t)value;
}

int fw_memcmp(const void *a, const void *b, size_t len)
{
	const uint8_t *x = a, *y = b;

	for (size_t i = 0; i < len; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

unsigned fw_memdiff_ct(const void *a, const void *b, size_t len)
{
	const volatile uint8_t *x = a, *y = b;
	unsigned acc = 0;

	for (size_t i = 0; i < len; i++)
		acc |= (unsigned)(x[i] ^ y[i]);
	return acc;
}

size_t fw_strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

bool fw_ascii_eq_n(const char *word, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (word[i] == '\0' || fw_ascii_lower(word[i]) != fw_ascii_lower(s[i]))
			return false;
	return word[n] == '\0';
}
