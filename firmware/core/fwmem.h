/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Byte helpers for freestanding code: the target has no C library. */
#ifndef ESPOTA_FW_MEM_H
#define ESPOTA_FW_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void fw_memcpy(void *dst, const void *src, size_t len);
void fw_memset(void *dst, int value, size_t len);
/* Ordering compare, for non-secret data. */
int fw_memcmp(const void *a, const void *b, size_t len);
/* Constant-time equality for secrets and digests: 0 when equal. */
unsigned fw_memdiff_ct(const void *a, const void *b, size_t len);
size_t fw_strlen(const char *s);

/* ASCII letter case folding for protocol tokens (header names, hex). */
static inline char fw_ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* True when the n bytes at s spell word (a whole NUL-terminated string)
 * ignoring ASCII letter case: a token cut out of a header line. */
bool fw_ascii_eq_n(const char *word, const char *s, size_t n);

static inline uint32_t fw_load_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void fw_store_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

#endif
