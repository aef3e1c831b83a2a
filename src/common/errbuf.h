/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Error text into a caller's buffer, for functions that return -1 and say
 * why in (err, errlen). */
#ifndef ESPOTA_COMMON_ERRBUF_H
#define ESPOTA_COMMON_ERRBUF_H

#include <stddef.h>

/* Formats the message into err (truncated to errlen; err may be NULL)
 * and returns -1. */
int errbuf_fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
