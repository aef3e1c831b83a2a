/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "log.h"

#include <stdarg.h>
#include <time.h>

void log_init(struct logger *lg, const char *prog, FILE *out, enum log_level level,
	      enum log_style style)
{
	lg->out = out;
	lg->level = level;
	lg->style = style;
	lg->prog = prog;
}

const char *log_level_name(enum log_level level)
{
	switch (level) {
	case LOG_DEBUG:
		return "DEBUG";
	case LOG_INFO:
		return "INFO";
	case LOG_WARNING:
		return "WARNING";
	case LOG_ERROR:
		return "ERROR";
	case LOG_CRITICAL:
		return "CRITICAL";
	case LOG_QUIET:
		return "QUIET";
	}
	return "?";
}

void log_msg(const struct logger *lg, enum log_level level, const char *fmt, ...)
{
	va_list ap;

	if (!lg || !lg->out || level < lg->level)
		return;
	if (lg->style == LOG_STYLE_ESPOTA) {
		char stamp[16];
		time_t now = time(NULL);
		struct tm tm;

		localtime_r(&now, &tm);
		strftime(stamp, sizeof(stamp), "%H:%M:%S", &tm);
		fprintf(lg->out, "%s [%s]: ", stamp, log_level_name(level));
	} else if (lg->prog) {
		fprintf(lg->out, "%s: ", lg->prog);
	}
	va_start(ap, fmt);
	vfprintf(lg->out, fmt, ap);
	va_end(ap);
	fputc('\n', lg->out);
	fflush(lg->out);
}
