/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Bytes from the network made safe to print: every byte outside printable
 * ASCII, and the backslash itself, written as a C escape (\\ \t \n \r
 * \xNN), so a log line shows exactly what arrived, on one line, and a
 * terminal never acts on a control sequence an uploader sent.
 */
#ifndef ESPOTA_COMMON_ESCAPE_H
#define ESPOTA_COMMON_ESCAPE_H

#include <stddef.h>

/* Room for the escaped form of n bytes, the NUL included. */
#define ESCAPE_TEXT_SIZE(n) ((n) * 4 + 1)

/* Writes the escaped form of in[0..len) into out (cap bytes, cap >= 1),
 * NUL-terminated; an escape that does not fit whole is left out with
 * everything after it. Returns out. */
char *escape_text(char *out, size_t cap, const void *in, size_t len);

#endif
