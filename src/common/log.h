/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Levelled logging to a stream. The logger is a value the program owns and
 * passes down, so no library keeps global state. */
#ifndef ESPOTA_COMMON_LOG_H
#define ESPOTA_COMMON_LOG_H

#include <stdio.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARNING, LOG_ERROR, LOG_CRITICAL, LOG_QUIET };

enum log_style {
	LOG_STYLE_PLAIN,  /* "prog: message" (git style) */
	LOG_STYLE_ESPOTA, /* "HH:MM:SS [LEVEL]: message", as espota.py logs */
};

struct logger {
	FILE *out;
	enum log_level level; /* messages below this level are dropped */
	enum log_style style;
	const char *prog;
};

void log_init(struct logger *lg, const char *prog, FILE *out, enum log_level level,
	      enum log_style style);
void log_msg(const struct logger *lg, enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *log_level_name(enum log_level level);

#define log_debug(lg, ...) log_msg((lg), LOG_DEBUG, __VA_ARGS__)
#define log_info(lg, ...) log_msg((lg), LOG_INFO, __VA_ARGS__)
#define log_warn(lg, ...) log_msg((lg), LOG_WARNING, __VA_ARGS__)
#define log_error(lg, ...) log_msg((lg), LOG_ERROR, __VA_ARGS__)

#endif
