/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "progress.h"

#include <unistd.h>

#include "clock.h"

#define ESPOTA_BAR_WIDTH 60
#define TTY_BAR_WIDTH 30

enum progress_style progress_pick_style(FILE *out, int requested)
{
	if (isatty(fileno(out)))
		return PROGRESS_BAR;
	return requested ? PROGRESS_ESPOTA : PROGRESS_NONE;
}

void progress_start(struct progress *p, FILE *out, enum progress_style style, uint64_t total)
{
	p->out = out;
	p->style = style;
	p->total = total;
	p->start_us = clock_us();
	p->last_draw_us = 0;
	p->last_percent = -1;
}

static int progress_percent(const struct progress *p, uint64_t done)
{
	if (p->total == 0)
		return 100;
	return (int)(done * 100 / p->total);
}

/* espota.py: int(round(60 * done / total)), Python rounding half to even */
static int espota_fill(const struct progress *p, uint64_t done)
{
	uint64_t q, r;

	if (p->total == 0 || done >= p->total)
		return ESPOTA_BAR_WIDTH;
	q = done * ESPOTA_BAR_WIDTH / p->total;
	r = done * ESPOTA_BAR_WIDTH % p->total;
	if (2 * r > p->total || (2 * r == p->total && (q & 1)))
		q++;
	return (int)q;
}

static void draw_espota(struct progress *p, uint64_t done, int percent)
{
	int fill = espota_fill(p, done);

	fputs("\rUploading: [", p->out);
	for (int i = 0; i < ESPOTA_BAR_WIDTH; i++)
		fputc(i < fill ? '=' : ' ', p->out);
	fprintf(p->out, "] %d%% ", percent);
	if (percent >= 100)
		fputs("Done...\r\n", p->out);
}

static void human_bytes(char *buf, size_t len, double v)
{
	const char *unit = "B";

	if (v >= 1024.0 * 1024.0) {
		v /= 1024.0 * 1024.0;
		unit = "MiB";
	} else if (v >= 1024.0) {
		v /= 1024.0;
		unit = "KiB";
	}
	snprintf(buf, len, "%.1f %s", v, unit);
}

static void draw_bar(struct progress *p, uint64_t done, int percent, uint64_t now)
{
	double secs = (double)(now - p->start_us) / 1e6;
	double rate = secs > 0 ? (double)done / secs : 0;
	int fill = percent * TTY_BAR_WIDTH / 100;
	char sdone[32], srate[32];

	human_bytes(sdone, sizeof(sdone), (double)done);
	human_bytes(srate, sizeof(srate), rate);
	fputs("\r[", p->out);
	for (int i = 0; i < TTY_BAR_WIDTH; i++)
		fputc(i < fill ? '#' : '.', p->out);
	fprintf(p->out, "] %3d%% %s %s/s", percent, sdone, srate);
	if (rate > 0 && done < p->total)
		fprintf(p->out, " ETA %.0fs ", (double)(p->total - done) / rate);
	else
		fputs("          ", p->out);
}

void progress_update(struct progress *p, uint64_t done)
{
	int percent = progress_percent(p, done);
	uint64_t now;

	if (p->style == PROGRESS_NONE)
		return;
	if (p->style == PROGRESS_ESPOTA) {
		/* One line per percent step: enough for IDEs, not a flood. */
		if (percent != p->last_percent && percent < 100)
			draw_espota(p, done, percent);
		p->last_percent = percent;
		fflush(p->out);
		return;
	}
	now = clock_us();
	if (now - p->last_draw_us < 100000 && percent != 100)
		return;
	p->last_draw_us = now;
	draw_bar(p, done, percent, now);
	fflush(p->out);
}

void progress_finish(struct progress *p, uint64_t done)
{
	int percent = progress_percent(p, done);

	if (p->style == PROGRESS_ESPOTA) {
		draw_espota(p, done, percent);
	} else if (p->style == PROGRESS_BAR) {
		draw_bar(p, done, percent, clock_us());
		fputc('\n', p->out);
	}
	fflush(p->out);
}
