/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The eboot journal (layout in journal.h, argument in docs/eboot.md).
 *
 * State table, decoded from what is on flash:
 *
 *   command record | close slots     | step log      | state
 *   ---------------+-----------------+---------------+-------------
 *   bad magic/CRC  | (ignored)       | (ignored)     | EMPTY
 *   valid          | a DONE mark     | (ignored)     | DONE
 *   valid          | a REFUSED mark  | (ignored)     | REFUSED
 *   valid          | no valid mark   | no valid step | PENDING
 *   valid          | no valid mark   | k valid steps | IN_PROGRESS
 *
 * Words that are neither erased nor a valid mark are torn writes: skipped.
 */
#include "journal.h"

#include "boot_command.h"
#include "crc32.h"
#include "fwmem.h"
#include "hal.h"

_Static_assert(sizeof(struct journal_command) == JOURNAL_LOG_START, "the record is 16 words");

#define ERASED 0xFFFFFFFFu
#define UNKNOWN_LEN 0xFFFFFFFFu
#define RECORD_CRC_SPAN (sizeof(struct journal_command) - 4u)

static bool is_mark(uint32_t w)
{
	return (w >> 16) == (~w & 0xFFFFu);
}

static uint32_t round_sector(uint32_t x)
{
	return (x + JOURNAL_SECTOR - 1u) & ~(JOURNAL_SECTOR - 1u);
}

int journal_read(struct hal *h, uint32_t addr, struct journal_view *v)
{
	uint32_t close = 0; /* the close mark, once found (only one is ever written) */
	int rc;

	v->addr = addr;
	v->steps = 0;
	v->last_step = 0;
	v->log_next = JOURNAL_CLOSE_START;
	v->close_next = JOURNAL_SECTOR;
	rc = hal_flash_read(h, addr, &v->cmd, sizeof(v->cmd));
	/* A word at a time: small code for eboot. The close slots first: a
	 * closed journal, the state of most boots, needs no log scan. */
	for (uint32_t off = JOURNAL_CLOSE_START; off < JOURNAL_SECTOR && rc == HAL_OK; off += 4) {
		uint32_t w = 0;

		rc = hal_flash_read(h, addr + off, &w, sizeof(w));
		if (w == ERASED && v->close_next == JOURNAL_SECTOR)
			v->close_next = off;
		if (w == journal_mark(JOURNAL_CODE_DONE) || w == journal_mark(JOURNAL_CODE_REFUSED))
			close = w;
	}
	/* The log ends at its first erased word. */
	for (uint32_t off = JOURNAL_LOG_START; off < JOURNAL_CLOSE_START && rc == HAL_OK && !close;
	     off += 4) {
		uint32_t w = 0;

		rc = hal_flash_read(h, addr + off, &w, sizeof(w));
		if (w == ERASED) {
			v->log_next = off;
			break;
		}
		if (is_mark(w)) {
			v->steps++;
			v->last_step = w & 0xFFFFu;
		}
	}
	if (rc != HAL_OK)
		return rc;

	if (v->cmd.magic != JOURNAL_MAGIC ||
	    v->cmd.crc32 != crc32_mpeg2(0xFFFFFFFFu, &v->cmd, RECORD_CRC_SPAN))
		v->state = JOURNAL_EMPTY;
	else if (close)
		v->state = close == journal_mark(JOURNAL_CODE_DONE) ? JOURNAL_DONE : JOURNAL_REFUSED;
	else
		v->state = v->steps ? JOURNAL_IN_PROGRESS : JOURNAL_PENDING;
	return HAL_OK;
}

/* True when [start, end) shares a sector with [stage2, journal + sector). */
static bool overlaps_reserved(const struct flash_layout *l, uint32_t start, uint32_t end)
{
	return start < l->journal + JOURNAL_SECTOR && l->stage2 < end;
}

int journal_check(const struct journal_command *c, const struct flash_layout *l)
{
	uint32_t size = l->flash_size;
	uint32_t src_end, dst_end;

	if (((c->src | c->dst) & (JOURNAL_SECTOR - 1u)) != 0)
		return JOURNAL_EALIGN;
	if (c->len == 0 || c->out_len <= c->tail)
		return JOURNAL_ESIZE;
	/* Each term below 1 GiB, so the sums below cannot wrap; a term past
	 * the chip (at most 1 GiB) takes its end past it too. */
	if (((c->src | c->dst | c->len | c->tail | c->out_len) >> 30) != 0 || size > 0x40000000u)
		return JOURNAL_ERANGE;
	src_end = round_sector(c->src + c->len + c->tail);
	dst_end = round_sector(c->dst + c->out_len);
	if (src_end > size || dst_end > size)
		return JOURNAL_ERANGE;
	/* Restarting a copy needs every staged byte intact, so the two regions
	 * must not share a sector; nor may either touch eboot's reserved
	 * sectors (stage 2, then the journal): a raw RTC command from a stock
	 * core, sized to Arduino's larger filesystem, would reach them. */
	if (c->dst < src_end && c->src < dst_end)
		return JOURNAL_EOVERLAP;
	if (overlaps_reserved(l, c->dst, dst_end) || overlaps_reserved(l, c->src, src_end))
		return JOURNAL_EOVERLAP;
	return JOURNAL_OK;
}

/* CRC-32 (gzip's) of flash [addr, addr + n), any alignment, read through buf. */
static int crc_range(struct hal *h, uint32_t addr, uint32_t n, uint8_t *buf, size_t buflen,
		     uint32_t *crc)
{
	uint32_t a = addr & ~3u;
	uint32_t skip = addr - a;

	while (n > 0) {
		uint32_t need = (skip + n + 3u) & ~3u;
		uint32_t chunk = need < buflen ? need : (uint32_t)buflen;
		uint32_t use = chunk - skip < n ? chunk - skip : n;
		int rc = hal_flash_read(h, a, buf, chunk);

		if (rc != HAL_OK)
			return rc;
		*crc = crc32_gzip(*crc, buf + skip, use);
		n -= use;
		a += chunk;
		skip = 0;
	}
	return HAL_OK;
}

int journal_prepare(struct hal *h, const struct flash_layout *l, uint32_t src, uint32_t dst,
		    uint32_t len, uint32_t tail, struct journal_command *c, uint8_t *buf,
		    size_t buflen)
{
	int rc;

	fw_memset(c, 0, sizeof(*c));
	c->magic = JOURNAL_MAGIC;
	c->src = src;
	c->dst = dst;
	c->len = len;
	c->tail = tail;
	c->prev_app_len = UNKNOWN_LEN;
	c->prev_fs_len = UNKNOWN_LEN;
	buflen &= ~(size_t)3;
	if ((src & (JOURNAL_SECTOR - 1u)) != 0)
		return JOURNAL_EALIGN;
	if (len == 0)
		return JOURNAL_ESIZE;
	if (src >= l->flash_size || len > l->flash_size - src ||
	    tail > l->flash_size - src - len)
		return JOURNAL_ERANGE;

	rc = hal_flash_read(h, src, buf, 4);
	if (rc != HAL_OK)
		return rc;
	if (buf[0] == 0x1F && buf[1] == 0x8B) {
		uint32_t trailer = src + len - 8u;
		uint32_t isize;

		if (len < 18u) /* 10-byte header, empty deflate block, 8-byte trailer */
			return JOURNAL_ESIZE;
		rc = hal_flash_read(h, trailer & ~3u, buf, (trailer & 3u) ? 12u : 8u);
		if (rc != HAL_OK)
			return rc;
		c->flags = JOURNAL_FLAG_GZIP;
		c->crc_image = fw_load_le32(buf + (trailer & 3u));
		isize = fw_load_le32(buf + (trailer & 3u) + 4);
		if (isize > 0xFFFFFFFFu - tail)
			return JOURNAL_ERANGE;
		c->out_len = isize + tail;
	} else {
		c->out_len = len + tail;
		rc = crc_range(h, src, len, buf, buflen, &c->crc_image);
		if (rc != HAL_OK)
			return rc;
	}
	rc = crc_range(h, src + len, tail, buf, buflen, &c->crc_tail);
	if (rc != HAL_OK)
		return rc;
	return journal_check(c, l);
}

int journal_begin(struct hal *h, uint32_t addr, struct journal_command *c,
		  struct journal_view *v)
{
	struct journal_view old; /* c may be v->cmd */
	int rc = journal_read(h, addr, &old);

	if (rc != HAL_OK)
		return rc;
	/* What the old journal knew is installed stays known. */
	if (old.state != JOURNAL_EMPTY) {
		c->prev_app_len = old.cmd.prev_app_len;
		c->prev_fs_len = old.cmd.prev_fs_len;
		if (old.state == JOURNAL_DONE && old.cmd.dst == 0)
			c->prev_app_len = old.cmd.out_len;
		else if (old.state == JOURNAL_DONE)
			c->prev_fs_len = old.cmd.out_len;
	}
	c->magic = JOURNAL_MAGIC;
	c->crc32 = crc32_mpeg2(0xFFFFFFFFu, c, RECORD_CRC_SPAN);

	rc = hal_flash_erase_sector(h, addr);
	if (rc == HAL_OK)
		rc = hal_flash_write(h, addr, c, sizeof(*c));
	/* v as the next boot will read it: PENDING */
	return rc == HAL_OK ? journal_read(h, addr, v) : rc;
}

int journal_log_step(struct hal *h, struct journal_view *v, uint32_t index)
{
	uint32_t w = journal_mark(index);

	if (v->log_next >= JOURNAL_CLOSE_START)
		return HAL_OK; /* full: the copy goes on, restarts just redo more */
	v->log_next += 4u;
	v->steps++;
	v->last_step = index;
	v->state = JOURNAL_IN_PROGRESS;
	return hal_flash_write(h, v->addr + v->log_next - 4u, &w, sizeof(w));
}

int journal_close(struct hal *h, struct journal_view *v, uint32_t code)
{
	uint32_t w = journal_mark(code);

	if (v->close_next >= JOURNAL_SECTOR)
		return JOURNAL_EFULL;
	v->close_next += 4u;
	v->state = code == JOURNAL_CODE_DONE ? JOURNAL_DONE : JOURNAL_REFUSED;
	return hal_flash_write(h, v->addr + v->close_next - 4u, &w, sizeof(w));
}

int journal_installed_info(struct hal *h, const struct flash_layout *l, uint32_t dst,
			   struct journal_installed *out)
{
	struct journal_view v;
	uint32_t len;
	int rc = journal_read(h, l->journal, &v);

	if (rc != HAL_OK)
		return rc;
	if (v.state == JOURNAL_EMPTY)
		return 1;
	if (v.state == JOURNAL_DONE && v.cmd.dst == dst)
		len = v.cmd.out_len;
	else
		len = dst == 0 ? v.cmd.prev_app_len : v.cmd.prev_fs_len;
	if (len == UNKNOWN_LEN)
		return 1;
	out->dst = dst;
	out->len = len;
	return 0;
}

bool journal_update_pending(struct hal *h, const struct flash_layout *l)
{
	struct journal_view v;
	struct boot_command c;

	if (journal_read(h, l->journal, &v) == HAL_OK &&
	    (v.state == JOURNAL_PENDING || v.state == JOURNAL_IN_PROGRESS))
		return true;
	return boot_command_rtc_read(h, &c) && c.action == BOOT_ACTION_COPY_RAW;
}

const char *journal_strerror(int status)
{
	switch (status) {
	case JOURNAL_OK:
		return "ok";
	case JOURNAL_EALIGN:
		return "install refused: source or destination not on a 4096-byte sector boundary; "
		       "stage the image on a sector boundary";
	case JOURNAL_ESIZE:
		return "install refused: empty image or gzip stream too short; upload a complete image";
	case JOURNAL_ERANGE:
		return "install refused: image runs past the end of the flash chip; upload a smaller image";
	case JOURNAL_EOVERLAP:
		return "install refused: installed image would overwrite the staged upload; upload a smaller image";
	case JOURNAL_EFULL:
		return "journal close failed: all 8 close slots torn; schedule the update again "
		       "(that erases the journal sector)";
	case HAL_EPOWER:
		return "flash access failed: power lost";
	default:
		return "flash access failed: check the flash chip";
	}
}
