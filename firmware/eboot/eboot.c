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
	static const char hex[] = "0123456789abcdef";
	char t[10];
	uint32_t v;

	if (hal_flash_read(h, VERSION_WORD, &v, sizeof(v)) != HAL_OK)
		return;
	t[0] = 'v';
	for (unsigned i = 0; i < 8; i++)
		t[1 + i] = hex[(v >> (28 - 4 * i)) & 15u];
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

/* Produces the next destination sector into w->out. */
static enum eboot_status stream_next(struct hal *h, struct eboot_work *w, struct stream *s)
{
	const struct journal_command *c = s->c;
	uint32_t image_len = c->out_len - c->tail;
	uint32_t n = 0;
	unsigned idle = 0;

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
			if (st == INFLATE_DONE) {
				if (s->total + made != image_len)
					return EBOOT_EINFLATE;
				s->inflating = false;
			} else if (used == 0 && made == 0 && ++idle > 8) {
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

static uint32_t sector_count(const struct journal_command *c)
{
	return (c->out_len + SECTOR - 1) / SECTOR;
}

/* Runs the whole stream without writing: the staged upload must inflate
 * cleanly, end where it was said to, and match the recorded CRCs. */
static enum eboot_status check_source(struct hal *h, struct eboot_work *w,
				      const struct journal_command *c)
{
	struct stream s;
	enum eboot_status st;

	stream_init(w, &s, c);
	for (uint32_t i = 0; i <= sector_count(c); i++) {
		st = stream_next(h, w, &s);
		if (st != EBOOT_OK)
			return st;
	}
	if (s.src_pos - SECTOR + s.in_pos != s.src_end)
		return EBOOT_EINFLATE; /* bytes between the gzip trailer and the tail */
	if (s.crc_image != c->crc_image || s.crc_tail != c->crc_tail)
		return EBOOT_EVERIFY;
	return EBOOT_OK;
}

/* Makes the destination sector at addr hold data: left alone when it
 * already does, else erased, written and logged. */
static enum eboot_status put_sector(struct hal *h, struct eboot_work *w, struct journal_view *v,
				    uint32_t addr, const uint8_t *data)
{
	int rc = hal_flash_read(h, addr, w->cmp, SECTOR);

	if (rc != HAL_OK)
		return hal_fail(rc, EBOOT_EREAD);
	if (fw_memcmp(w->cmp, data, SECTOR) == 0)
		return EBOOT_OK;
	rc = hal_flash_erase_sector(h, addr);
	if (rc != HAL_OK)
		return hal_fail(rc, EBOOT_EERASE);
	rc = hal_flash_write(h, addr, data, SECTOR);
	if (rc == HAL_OK)
		rc = journal_log_step(h, v, (addr - v->cmd.dst) / SECTOR);
	return rc == HAL_OK ? EBOOT_OK : hal_fail(rc, EBOOT_EWRITE);
}

/* Copies or inflates, verifies, writes sector 0 last, closes the journal. */
static enum eboot_status install(struct hal *h, struct eboot_work *w, struct journal_view *v)
{
	const struct journal_command *c = &v->cmd;
	uint32_t image_len = c->out_len - c->tail;
	uint32_t crc_image = 0, crc_tail = 0;
	struct stream s;
	enum eboot_status st;
	int rc;

	stream_init(w, &s, c);
	for (uint32_t addr = c->dst; addr < c->dst + c->out_len; addr += SECTOR) {
		st = stream_next(h, w, &s);
		if (st != EBOOT_OK)
			return st;
		if (addr == 0)
			fw_memcpy(w->hold, w->out, SECTOR); /* eboot's own sector: last */
		else if ((st = put_sector(h, w, v, addr, w->out)) != EBOOT_OK)
			return st;
	}

	/* Read the copy back (new sector 0 from RAM) against the CRCs. */
	for (uint32_t off = 0; off < c->out_len; off += SECTOR) {
		const uint8_t *p = w->hold;
		uint32_t k = min32(SECTOR, c->out_len - off);
		uint32_t split = off < image_len ? min32(k, image_len - off) : 0;

		if (c->dst + off != 0) {
			rc = hal_flash_read(h, c->dst + off, w->cmp, SECTOR);
			if (rc != HAL_OK)
				return hal_fail(rc, EBOOT_EREAD);
			p = w->cmp;
		}
		crc_image = crc32_gzip(crc_image, p, split);
		crc_tail = crc32_gzip(crc_tail, p + split, k - split);
	}
	if (crc_image != c->crc_image || crc_tail != c->crc_tail)
		return EBOOT_EVERIFY;

	/* The one window no ROM-booted design closes: a power cut while
	 * sector 0 is erased or half written leaves no bootloader. */
	if (c->dst == 0) {
		st = put_sector(h, w, v, 0, w->hold);
		if (st != EBOOT_OK)
			return st;
		rc = hal_flash_read(h, 0, w->cmp, SECTOR);
		if (rc != HAL_OK)
			return hal_fail(rc, EBOOT_EREAD);
		if (fw_memcmp(w->cmp, w->hold, SECTOR) != 0)
			return EBOOT_EVERIFY;
	}
	rc = journal_close(h, v, JOURNAL_CODE_DONE);
	return rc == HAL_OK ? EBOOT_OK : hal_fail(rc, EBOOT_EWRITE);
}

/* The command cannot be carried out and nothing was written: close it, so
 * the reset that follows boots the old app. */
static enum eboot_status refuse(struct hal *h, struct journal_view *v, enum eboot_status st)
{
	int rc = journal_close(h, v, JOURNAL_CODE_REFUSED);

	if (rc == HAL_EPOWER)
		return EBOOT_EPOWER;
	put_result(h, st);
	return st;
}

static enum eboot_status journal_error(int rc)
{
	if (rc == JOURNAL_EALIGN)
		return EBOOT_EALIGN;
	if (rc <= JOURNAL_ESIZE)
		return EBOOT_ERANGE;
	return hal_fail(rc, EBOOT_EREAD);
}

enum eboot_status eboot_run(struct hal *h, const struct flash_layout *l, struct eboot_work *w,
			    uint32_t *boot_offset)
{
	struct journal_view v;
	struct boot_command rtc;
	bool have_rtc;
	enum eboot_status st;
	int rc;

	*boot_offset = 0;
	put_version(h);
	rc = journal_read(h, l->journal, &v);
	if (rc != HAL_OK)
		return hal_fail(rc, EBOOT_EREAD);
	have_rtc = boot_command_rtc_read(h, &rtc);

	if (v.state != JOURNAL_PENDING && v.state != JOURNAL_IN_PROGRESS) {
		if (!have_rtc) {
			hal_console(h, "~", 1);
			goto load;
		}
		hal_console(h, "@", 1);
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
		/* An Updater that knows no journal: journal its command here,
		 * which makes the rest of the install power-loss safe too. */
		rc = journal_prepare(h, l, rtc.args[0], rtc.args[1], rtc.args[2], 0, &v.cmd, w->in,
				     SECTOR);
		if (rc == HAL_OK)
			rc = journal_begin(h, l->journal, &v.cmd, &v);
		if (rc != HAL_OK) {
			st = journal_error(rc);
			if (st == EBOOT_EALIGN || st == EBOOT_ERANGE) {
				boot_command_rtc_clear(h);
				hal_console(h, "cp:", 3);
				put_result(h, st);
			}
			return st;
		}
	} else {
		hal_console(h, "@", 1);
	}
	/* From here the journal holds the command; the RTC copy is spent. */
	if (have_rtc) {
		rc = boot_command_rtc_clear(h);
		if (rc != HAL_OK)
			return hal_fail(rc, EBOOT_EWRITE);
	}

	hal_console(h, "cp:", 3);
	rc = journal_check(&v.cmd, l);
	if (rc != JOURNAL_OK)
		return refuse(h, &v, journal_error(rc));
	if (v.state == JOURNAL_PENDING) {
		st = check_source(h, w, &v.cmd);
		if (st == EBOOT_EPOWER)
			return st;
		if (st != EBOOT_OK)
			return refuse(h, &v, st);
	}
	st = install(h, w, &v);
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

const char *eboot_strerror(enum eboot_status st)
{
	switch (st) {
	case EBOOT_OK:
		return "ok";
	case EBOOT_EALIGN:
		return "install refused: staged image or destination not sector aligned";
	case EBOOT_EERASE:
		return "install failed: flash erase failed; the install resumes at the next boot";
	case EBOOT_EREAD:
		return "install failed: flash read failed; the install resumes at the next boot";
	case EBOOT_EWRITE:
		return "install failed: flash write failed; the install resumes at the next boot";
	case EBOOT_EHEADER:
		return "install refused: bad gzip header in the staged image; upload it again";
	case EBOOT_EINFLATE:
		return "install refused: corrupt gzip data in the staged image; upload it again";
	case EBOOT_ERANGE:
		return "install refused: image would run past the chip or over the staged upload; "
		       "upload a smaller image";
	case EBOOT_EVERIFY:
		return "install failed: copy does not match the staged image; the install resumes at the next boot";
	case EBOOT_EPOWER:
		return "install interrupted: power lost; the install resumes at the next boot";
	case EBOOT_EACTION:
		return "boot command refused: unknown action in RTC memory";
	}
	return "unknown eboot status";
}
