/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Upload progress: a live bar for people on a terminal, espota.py's
 * "Uploading: [===  ] 42%" lines for IDEs that parse them, or nothing. */
#ifndef ESPOTA_COMMON_PROGRESS_H
#define ESPOTA_COMMON_PROGRESS_H

#include <stdint.h>
#include <stdio.h>

enum progress_style {
	PROGRESS_NONE,
	PROGRESS_ESPOTA, /* espota.py -r: 60-column bar, redrawn with \r on each percent */
	PROGRESS_BAR,    /* terminal: bar, bytes, percent, rate and ETA */
};

struct progress {
	FILE *out;
	enum progress_style style;
	uint64_t total;
	uint64_t start_us;
	uint64_t last_draw_us;
	int last_percent;
};

/* Picks PROGRESS_BAR when out is a terminal, PROGRESS_ESPOTA when the user
 * asked for progress (-r) without one, PROGRESS_NONE otherwise. */
enum progress_style progress_pick_style(FILE *out, int requested);
void progress_start(struct progress *p, FILE *out, enum progress_style style, uint64_t total);
void progress_update(struct progress *p, uint64_t done);
/* Draws the final state and ends the line. */
void progress_finish(struct progress *p, uint64_t done);

#endif
