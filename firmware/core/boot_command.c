/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The RTC command block of the core and eboot (docs/protocol/image-and-flash.md §7),
 * and the Updater's hand-off that writes the flash journal before it. */
#include "boot_command.h"

#include "crc32.h"
#include "fwmem.h"
#include "hal.h"
#include "journal.h"

_Static_assert(sizeof(struct boot_command) == 128, "the RTC block is 32 words");

#define BOOT_CMD_CRC_SPAN 124u

void boot_command_copy(struct boot_command *c, uint32_t src, uint32_t dst, uint32_t len)
{
	fw_memset(c, 0, sizeof(*c));
	c->action = BOOT_ACTION_COPY_RAW;
	c->args[0] = src;
	c->args[1] = dst;
	c->args[2] = len;
}

int boot_command_rtc_write(struct hal *h, struct boot_command *c)
{
	c->magic = BOOT_CMD_MAGIC;
	c->crc32 = crc32_mpeg2(0xFFFFFFFFu, c, BOOT_CMD_CRC_SPAN);
	return hal_rtc_write(h, 0, c, sizeof(*c));
}

bool boot_command_rtc_read(struct hal *h, struct boot_command *c)
{
	if (hal_rtc_read(h, 0, c, sizeof(*c)) != HAL_OK)
		return false;
	return (c->magic & BOOT_CMD_MAGIC_MASK) == BOOT_CMD_MAGIC &&
	       c->crc32 == crc32_mpeg2(0xFFFFFFFFu, c, BOOT_CMD_CRC_SPAN);
}

int boot_command_rtc_clear(struct hal *h)
{
	const uint32_t zero = 0;
	int rc = hal_rtc_write(h, 0, &zero, sizeof(zero));

	if (rc != HAL_OK)
		return rc;
	return hal_rtc_write(h, BOOT_CMD_CRC_SPAN, &zero, sizeof(zero));
}

int boot_schedule_install(struct hal *h, const struct flash_layout *l, uint32_t src, uint32_t dst,
			  uint32_t len, uint32_t tail)
{
	struct journal_command jc;
	struct journal_view v;
	struct boot_command rc;
	uint8_t buf[256]; /* the app's stack is small; this reads the staged image once */
	int st;

	st = journal_prepare(h, l, src, dst, len, tail, &jc, buf, sizeof(buf));
	if (st != 0)
		return st;
	/* Journal first: once it is complete, a power cut at any later point
	 * still finds the command; before that, the old app is untouched. */
	st = journal_begin(h, l->journal, &jc, &v);
	if (st != 0)
		return st;
	boot_command_copy(&rc, src, dst, len);
	return boot_command_rtc_write(h, &rc);
}

int boot_schedule_copy(struct hal *h, const struct flash_layout *l, uint32_t src, uint32_t dst,
		       uint32_t len)
{
	return boot_schedule_install(h, l, src, dst, len, 0);
}
