/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * eboot: finish the pending install, if any, and say what to boot.
 *
 * An install is driven by the flash journal (journal.h) so that it
 * survives a power cut: the staged source is checked whole before the
 * first destination sector is touched, every sector is then produced from
 * the start of the stream and written only where flash differs, the copy
 * is read back and checked, sector 0 (eboot itself) goes last, and only
 * then is the journal closed. Any interrupted run is simply run again.
 * docs/eboot.md gives the argument.
 */
#include "eboot.h"

#include "boot_command.h"
#include "crc32.h"
#include "fwmem.h"
#include "hal.h"
#include "journal.h"

#define SECTOR HAL_FLASH_SECTOR
#define VERSION_WORD 0x1010u /* the .bin length word of the app image */

/* The bytes an install writes: inflate(src[0, len)) or src[0, len), then
 * the tail src[len, len + tail) verbatim, then 0xFF to the sector end. */
struct stream {
	const struct journal_command *c;
	uint32_t src_pos; /* next staged offset to read into in[] */
	uint32_t src_end;
	uint32_t in_pos, in_len;
	uint32_t total; /* bytes produced so far */
	uint32_t crc_image, crc_tail;
	bool inflating; /* gzip member not yet ended */
};

static enum eboot_status hal_fail(int rc, enum eboot_status st)
{
	return rc == HAL_EPOWER ? EBOOT_EPOWER : st;
}

static uint32_t min32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

static void put_version(struct hal *h)
{
	char t[10];
	uint32_t v;

	if (hal_flash_read(h, VERSION_WORD, &v, sizeof(v)) != HAL_OK)
		return;
	t[0] = 'v';
	for (unsigned i = 9; --i > 0; v >>= 4) {
		unsigned d = v & 15u;

		t[i] = (char)(d < 10 ? '0' + d : 'a' - 10 + d);
	}
	t[9] = '\n';
	hal_console(h, t, sizeof(t));
}

static void put_result(struct hal *h, enum eboot_status st)
{
	char t[2] = { (char)('0' + st), '\n' };

	hal_console(h, t, sizeof(t));
}

static void stream_init(struct eboot_work *w, struct stream *s, const struct journal_command *c)
{
	fw_memset(s, 0, sizeof(*s));
	s->c = c;
	s->src_pos = c->src;
	s->src_end = c->src + c->len + c->tail;
	s->inflating = (c->flags & JOURNAL_FLAG_GZIP) != 0;
	if (s->inflating)
		inflate_init(&w->inflate, true);
}

/* Produces the next destination sector into w->out. Kept out of line: the
 * inflater inlined into each of install()'s passes costs 84 bytes on lx106. */
__attribute__((noinline)) static enum eboot_status stream_next(struct hal *h, struct eboot_work *w,
							       struct stream *s)
{
	const struct journal_command *c = s->c;
	uint32_t image_len = c->out_len - c->tail;
	uint32_t n = 0;

	while (n < SECTOR && (s->total < c->out_len || s->inflating)) {
		size_t used, made;

		if (s->in_pos == s->in_len) {
			int rc;

			if (s->src_pos >= s->src_end)
				return EBOOT_EINFLATE; /* the stream wants more than was staged */
			rc = hal_flash_read(h, s->src_pos, w->in, SECTOR);
			if (rc != HAL_OK)
				return hal_fail(rc, EBOOT_EREAD);
			s->in_pos = 0;
			s->in_len = min32(SECTOR, s->src_end - s->src_pos);
			s->src_pos += SECTOR;
		}
		if (s->inflating) {
			/* Never past ISIZE: a stream that runs longer stalls here. */
			enum inflate_status st = inflate_feed(
				&w->inflate, w->in + s->in_pos, s->in_len - s->in_pos, &used, w->out + n,
				min32(SECTOR - n, image_len - s->total), &made);

			if (st < 0)
				return st == INFLATE_ERR_HEADER ? EBOOT_EHEADER : EBOOT_EINFLATE;
			/* With input at hand and room for output the inflater
			 * always moves; it stalls only when the stream would
			 * run past ISIZE. */
			if (st == INFLATE_DONE) {
				if (s->total + made != image_len)
					return EBOOT_EINFLATE;
				s->inflating = false;
			} else if (used == 0 && made == 0) {
				return EBOOT_EINFLATE;
			}
		} else {
			uint32_t end = s->total < image_len ? image_len : c->out_len;

			used = made = min32(min32(SECTOR - n, end - s->total), s->in_len - s->in_pos);
			fw_memcpy(w->out + n, w->in + s->in_pos, made);
		}
		if (s->total < image_len)
			s->crc_image = crc32_gzip(s->crc_image, w->out + n, made);
		else
			s->crc_tail = crc32_gzip(s->crc_tail, w->out + n, made);
		s->in_pos += (uint32_t)used;
		s->total += (uint32_t)made;
		n += (uint32_t)made;
	}
	fw_memset(w->out + n, 0xFF, SECTOR - n);
	return EBOOT_OK;
}

/* What install() does besides producing the stream. */
#define DRY 1u   /* write nothing: check the staged source only */
#define LEARN 2u /* record the stream's CRCs in the command instead of checking them */

/* Makes the destination sector at addr hold data: left alone when it
 * already does, else erased, written, read back and logged. */
static enum eboot_status put_sector(struct hal *h, struct eboot_work *w, struct journal_view *v,
				    uint32_t addr, const uint8_t *data)
{
	enum eboot_status st = EBOOT_EREAD; /* what a failure of the next step means */
	int rc = hal_flash_read(h, addr, w->cmp, SECTOR);

	if (rc != HAL_OK)
		goto fail;
	if (fw_memcmp(w->cmp, data, SECTOR) == 0)
		return EBOOT_OK;
	st = EBOOT_EERASE;
	if ((rc = hal_flash_erase_sector(h, addr)) != HAL_OK)
		goto fail;
	st = EBOOT_EWRITE;
	if ((rc = hal_flash_write(h, addr, data, SECTOR)) != HAL_OK)
		goto fail;
	st = EBOOT_EREAD;
	if ((rc = hal_flash_read(h, addr, w->cmp, SECTOR)) != HAL_OK)
		goto fail;
	if (fw_memcmp(w->cmp, data, SECTOR) != 0)
		return EBOOT_EVERIFY; /* does not read back as written */
	st = EBOOT_EWRITE;
	if ((rc = journal_log_step(h, v, (addr - v->cmd.dst) / SECTOR)) == HAL_OK)
		return EBOOT_OK;
fail:
	return hal_fail(rc, st);
}

/* Produces the whole output from the start of the stream. Each sector is
 * written where flash differs and read back; sector 0 (eboot's own) is
 * held back until every other sector reads back right and the stream's
 * CRCs match the command; then it goes, and the journal is closed.
 * With DRY it only checks that the staged source makes that output. */
static enum eboot_status install(struct hal *h, struct eboot_work *w, struct journal_view *v,
				 unsigned mode)
{
	struct journal_command *c = &v->cmd;
	struct stream s;
	enum eboot_status st = EBOOT_OK;
	int rc;

	stream_init(w, &s, c);
	/* One more round after the last sector lets a gzip trailer end. */
	for (uint32_t off = 0; off <= c->out_len && st == EBOOT_OK; off += SECTOR) {
		st = stream_next(h, w, &s);
		if (st != EBOOT_OK || (mode & DRY) || off == c->out_len)
			continue;
		if (c->dst + off == 0)
			fw_memcpy(w->hold, w->out, SECTOR);
		else
			st = put_sector(h, w, v, c->dst + off, w->out);
	}
	if (st != EBOOT_OK)
		return st;
	if (mode & LEARN) {
		c->crc_image = s.crc_image;
		c->crc_tail = s.crc_tail;
	}
	if (s.crc_image != c->crc_image || s.crc_tail != c->crc_tail)
		return EBOOT_EVERIFY;
	if (mode & DRY)
		return EBOOT_OK;
	/* The one window no ROM-booted design closes: a power cut while
	 * sector 0 is erased or half written leaves no bootloader. */
	if (c->dst == 0 && (st = put_sector(h, w, v, 0, w->hold)) != EBOOT_OK)
		return st;
	rc = journal_close(h, v, JOURNAL_CODE_DONE);
	return rc == HAL_OK ? EBOOT_OK : hal_fail(rc, EBOOT_EWRITE);
}

/* The core's COPY_RAW(src, dst, len) as a journal command; the CRCs are
 * learnt by a dry run of the stream. Unreadable flash is left for
 * journal_check to refuse (a gzip member with no readable ISIZE has
 * out_len 0), so a bad command cannot make every boot fail. */
static void command_from_rtc(struct hal *h, struct eboot_work *w, const struct boot_command *b,
			     struct journal_command *c)
{
	uint32_t src = b->args[0], len = b->args[2];
	uint32_t isize = src + len - 4;

	fw_memset(c, 0, sizeof(*c));
	c->prev_app_len = c->prev_fs_len = 0xFFFFFFFFu; /* unknown */
	c->src = src;
	c->dst = b->args[1];
	c->len = len;
	c->out_len = len;
	/* (an unaligned src fails the read here, and journal_check anyway) */
	if (len >= 18 && hal_flash_read(h, src, w->in, 4) == HAL_OK && w->in[0] == 0x1F &&
	    w->in[1] == 0x8B) {
		c->flags = JOURNAL_FLAG_GZIP;
		c->out_len = 0;
		/* ISIZE is little-endian, as the record and the CPUs are */
		if (hal_flash_read(h, isize & ~3u, w->in, 8) == HAL_OK)
			fw_memcpy(&c->out_len, w->in + (isize & 3u), 4);
	}
}

enum eboot_status eboot_run(struct hal *h, const struct flash_layout *l, struct eboot_work *w,
			    uint32_t *boot_offset)
{
	struct journal_view v;
	struct boot_command rtc;
	bool have_rtc, open;
	enum eboot_status st;
	int rc;

	*boot_offset = 0;
	put_version(h);
	rc = journal_read(h, l->journal, &v);
	if (rc != HAL_OK)
		return hal_fail(rc, EBOOT_EREAD);
	have_rtc = boot_command_rtc_read(h, &rtc);
	open = v.state == JOURNAL_PENDING || v.state == JOURNAL_IN_PROGRESS;
	/* "@": a command to carry out, "~": none */
	hal_console(h, open || have_rtc ? "@" : "~", 1);
	if (!open) {
		if (!have_rtc)
			goto load;
		if (rtc.action == BOOT_ACTION_LOAD_APP) {
			*boot_offset = rtc.args[0];
			rc = boot_command_rtc_clear(h);
			if (rc != HAL_OK)
				return hal_fail(rc, EBOOT_EWRITE);
			goto load;
		}
		if (rtc.action != BOOT_ACTION_COPY_RAW) {
			boot_command_rtc_clear(h);
			return EBOOT_EACTION;
		}
		/* An Updater that knows no journal: journal its command here
		 * (below), which makes its install power-loss safe too. */
		command_from_rtc(h, w, &rtc, &v.cmd);
		v.state = JOURNAL_EMPTY;
	}

	hal_console(h, "cp:", 3);
	rc = journal_check(&v.cmd, l);
	st = rc == JOURNAL_OK ? EBOOT_OK : rc == JOURNAL_EALIGN ? EBOOT_EALIGN : EBOOT_ERANGE;
	/* Nothing written yet: the staged source must make the promised
	 * output before the old app is touched, or the command is refused. */
	if (st == EBOOT_OK && v.state != JOURNAL_IN_PROGRESS)
		st = install(h, w, &v, v.state == JOURNAL_EMPTY ? DRY | LEARN : DRY);
	if (st == EBOOT_OK && v.state == JOURNAL_EMPTY) {
		rc = journal_begin(h, l->journal, &v.cmd, &v);
		if (rc != HAL_OK)
			return hal_fail(rc, EBOOT_EWRITE);
	}
	if (st == EBOOT_EPOWER)
		return st;
	/* From here the journal holds the command (or it is refused): the
	 * RTC copy is spent. */
	if (have_rtc && (rc = boot_command_rtc_clear(h)) != HAL_OK)
		return hal_fail(rc, EBOOT_EWRITE);
	/* The old app stays whole until START is on flash; only before it may
	 * a command be refused (a later dry run cannot fail but on a read). */
	if (st == EBOOT_OK) {
		if (v.state == JOURNAL_PENDING &&
		    (rc = journal_log_step(h, &v, JOURNAL_STEP_START)) != HAL_OK)
			return hal_fail(rc, EBOOT_EWRITE);
		st = install(h, w, &v, 0);
	} else if (v.state == JOURNAL_PENDING &&
		   (rc = journal_close(h, &v, JOURNAL_CODE_REFUSED)) != HAL_OK) {
		st = hal_fail(rc, EBOOT_EWRITE);
	}
	if (st == EBOOT_EPOWER)
		return st;
	put_result(h, st);
	if (st != EBOOT_OK)
		return st;
	/* Both kinds of install boot the app at 0 afterwards (for a
	 * filesystem the original tried fs_start + 0x1000 and crashed). */
load:
	hal_console(h, "ld\n", 3);
	return EBOOT_OK;
}
