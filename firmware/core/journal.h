/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * eboot's power-loss journal: one flash sector (flash_layout.journal) that
 * says what eboot must install and how far it got, so that a power cut,
 * which wipes the RTC command, cannot leave a half-copied sketch.
 *
 * Sector layout (docs/eboot.md has the whole argument):
 *   0x000  command record, 16 words, CRC-32/MPEG-2 in the last word
 *   0x040  step log: START, then one word per destination sector erased
 *          and written, appended in order, until the first erased word
 *   0xFE0  close slots: 8 words; DONE (verified) or REFUSED
 * Every mark is written once into erased flash and never rewritten. A mark
 * word holds a 16-bit code c as (~c << 16 | c): a write torn part way
 * leaves some of its 0 bits at 1, which no valid mark has, so a torn mark
 * reads as "not written". A torn command record fails its CRC: no command.
 */
#ifndef ESPOTA_FW_JOURNAL_H
#define ESPOTA_FW_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flash_layout.h"

struct hal;

#define JOURNAL_MAGIC 0x4C4E4A45u /* "EJNL" */
#define JOURNAL_FLAG_GZIP 1u
#define JOURNAL_LOG_START 0x40u
#define JOURNAL_CLOSE_START 0xFE0u
#define JOURNAL_SECTOR 4096u
#define JOURNAL_LOG_SLOTS ((JOURNAL_CLOSE_START - JOURNAL_LOG_START) / 4u)

/* Mark codes (see journal_mark). */
#define JOURNAL_CODE_DONE 0x0D0Eu
#define JOURNAL_CODE_REFUSED 0x0BADu
/* The step logged before the first destination sector is erased: from
 * then on the old image is no longer whole (sector steps are 0..0xFFFE). */
#define JOURNAL_STEP_START 0xFFFFu

/* Errors of this module; apart from the HAL's codes (hal.h), which
 * functions that touch flash pass through unchanged. */
enum journal_status {
	JOURNAL_OK = 0,
	JOURNAL_EALIGN = -20,   /* source or destination not on a 4096-byte sector */
	JOURNAL_ESIZE = -21,    /* zero length, or a gzip upload shorter than its header and trailer */
	JOURNAL_ERANGE = -22,   /* source or destination runs past the end of the chip */
	JOURNAL_EOVERLAP = -23, /* destination would overwrite the staged source or the journal */
	JOURNAL_EFULL = -24,    /* no close slot left (only after 8 torn closes) */
};

/* The command record: the first 64 bytes of the journal sector. */
struct journal_command {
	uint32_t magic;
	uint32_t src;       /* staged image, sector aligned */
	uint32_t dst;       /* where it goes: 0 (app) or fs_start (atomic FS update) */
	uint32_t len;       /* staged bytes inflated (gzip) or copied */
	uint32_t tail;      /* bytes after len installed verbatim after the output (a signature) */
	uint32_t flags;     /* JOURNAL_FLAG_GZIP */
	uint32_t out_len;   /* installed length: (gzip ? ISIZE : len) + tail */
	uint32_t crc_image; /* CRC-32 (gzip's) of the first out_len - tail installed bytes */
	uint32_t crc_tail;  /* CRC-32 (gzip's) of the tail */
	/* What was installed before this command, carried on from the journal
	 * it replaced (0xFFFFFFFF: unknown, e.g. flashed over serial). */
	uint32_t prev_app_len; /* at 0 */
	uint32_t prev_fs_len;  /* at any other destination (the filesystem) */
	uint32_t reserved[4];
	uint32_t crc32; /* CRC-32/MPEG-2 over the 60 bytes before it */
};
_Static_assert(sizeof(struct journal_command) == 64, "the command record is 64 bytes");
_Static_assert(offsetof(struct journal_command, crc32) == 60, "the CRC is the record's last word");
_Static_assert(JOURNAL_LOG_START == sizeof(struct journal_command), "the step log follows the record");
_Static_assert(JOURNAL_LOG_SLOTS == 1000, "the step log holds 1000 words (docs/eboot.md)");
_Static_assert((JOURNAL_SECTOR - JOURNAL_CLOSE_START) / 4u == 8, "8 close slots end the sector");
_Static_assert(FLASH_STAGE2_SIZE == 2 * JOURNAL_SECTOR, "stage 2 has two sectors");

enum journal_state {
	JOURNAL_EMPTY,       /* erased or torn record: no command */
	JOURNAL_PENDING,     /* command recorded, no destination sector touched yet */
	JOURNAL_IN_PROGRESS, /* install started (START logged): must finish */
	JOURNAL_DONE,        /* installed and verified */
	JOURNAL_REFUSED,     /* eboot refused it (range, corrupt source); nothing written */
};

/* The journal as decoded from flash. */
struct journal_view {
	uint32_t addr; /* the journal sector */
	enum journal_state state;
	struct journal_command cmd;
	/* The log is scanned only for an open journal (PENDING, IN_PROGRESS);
	 * for a closed one these stay 0 and JOURNAL_CLOSE_START. */
	uint32_t steps;      /* valid step marks (START included) */
	uint32_t last_step;  /* the last logged sector index (valid when steps > 0) */
	uint32_t log_next;   /* offset of the next free log word; JOURNAL_CLOSE_START: full */
	uint32_t close_next; /* offset of the next free close slot; JOURNAL_SECTOR: none */
};

/* The image installed in a region, as the last completed copy left it. */
struct journal_installed {
	uint32_t dst;
	uint32_t len; /* bytes exactly as installed (after inflating, tail included) */
};

/* A mark word holding code: (~code << 16) | code. */
static inline uint32_t journal_mark(uint32_t code)
{
	return (~code << 16) | (code & 0xFFFFu);
}

/* Reads and decodes the journal at l->journal (the state table in
 * journal.c). Returns 0 or a HAL code. */
int journal_read(struct hal *h, uint32_t addr, struct journal_view *v);

/* Checks a command against the chip and layout: sector alignment, both
 * regions inside the chip, the destination (rounded up to sectors) clear
 * of the staged source and of the journal. Returns 0 or JOURNAL_E*. */
int journal_check(const struct journal_command *c, const struct flash_layout *l);

/* Builds the command for installing [src, src + len + tail) at dst:
 * detects gzip (1f 8b at src), reads ISIZE and the CRC-32 from the gzip
 * trailer at src + len - 8, or computes the CRC of the staged bytes, and
 * checks it (journal_check). buf (a multiple of 4 bytes, at least 16) is
 * scratch for reading flash. Returns 0, a HAL code or JOURNAL_E*. */
int journal_prepare(struct hal *h, const struct flash_layout *l, uint32_t src, uint32_t dst,
		    uint32_t len, uint32_t tail, struct journal_command *c, uint8_t *buf,
		    size_t buflen);

/* Starts a new journal for c: carries the other region's installed image
 * from the old journal into c, erases the sector, writes the record, and
 * leaves v decoded as PENDING. Returns 0 or a HAL code. */
int journal_begin(struct hal *h, uint32_t addr, struct journal_command *c,
		  struct journal_view *v);

/* Appends "destination sector index written" to the log (silently not
 * logged once the log is full). Returns 0 or a HAL code. */
int journal_log_step(struct hal *h, struct journal_view *v, uint32_t index);

/* Writes a close mark (JOURNAL_CODE_DONE or _REFUSED) in the next free
 * slot. Returns 0, a HAL code or JOURNAL_EFULL. */
int journal_close(struct hal *h, struct journal_view *v, uint32_t code);

/* What is installed at dst (0: the app; fs_start: the filesystem) as far as
 * the journal knows: the last DONE copy to dst, or what a later command
 * recorded as installed there before it. Returns 0 and fills *out, 1 when the journal does not know
 * (a serial-flashed image: parse its header instead), or a HAL code. */
int journal_installed_info(struct hal *h, const struct flash_layout *l, uint32_t dst,
			   struct journal_installed *out);

/* True when a command awaits eboot (journal PENDING or IN_PROGRESS, or a
 * valid RTC command). */
bool journal_update_pending(struct hal *h, const struct flash_layout *l);

const char *journal_strerror(int status);

#endif
