/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The hand-off from the Updater to eboot: the core's RTC command block
 * (docs/protocol/image-and-flash.md §7) and our flash journal, written together so
 * that a reset finds the RTC copy and a power loss finds the journal.
 */
#ifndef ESPOTA_FW_BOOT_COMMAND_H
#define ESPOTA_FW_BOOT_COMMAND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flash_layout.h"

struct hal;

#define BOOT_CMD_MAGIC 0xEB001000u
#define BOOT_CMD_MAGIC_MASK 0xFFFFF000u
#define BOOT_ACTION_COPY_RAW 0x00000001u
#define BOOT_ACTION_LOAD_APP 0xFFFFFFFFu

/* 128 bytes, the layout of RTC user memory offset 0. */
struct boot_command {
	uint32_t magic;
	uint32_t action;
	uint32_t args[29];
	uint32_t crc32; /* CRC-32/MPEG-2 over the 124 bytes before it */
};
_Static_assert(sizeof(struct boot_command) == 128, "the core's RTC command block is 128 bytes");
_Static_assert(offsetof(struct boot_command, crc32) == 124, "the CRC is the block's last word");

/* Fills c as COPY_RAW(src, dst, len) with unused args zeroed. */
void boot_command_copy(struct boot_command *c, uint32_t src, uint32_t dst, uint32_t len);
/* Sets magic and CRC, then stores the block in RTC memory. */
int boot_command_rtc_write(struct hal *h, struct boot_command *c);
/* True when RTC memory holds a valid block (magic and CRC). */
bool boot_command_rtc_read(struct hal *h, struct boot_command *c);
/* Zeroes the magic and CRC words, as the core does. */
int boot_command_rtc_clear(struct hal *h);

/* The Updater's last step: record COPY_RAW(src, dst, len) in the flash
 * journal, then in RTC memory. Returns 0 or a negative HAL code. */
int boot_schedule_copy(struct hal *h, const struct flash_layout *l, uint32_t src, uint32_t dst,
		       uint32_t len);

/* As boot_schedule_copy, and also install the tail bytes that follow the
 * staged payload (a signature block after a gzip stream) verbatim after
 * the output, so the installed image is the upload as sent, inflated.
 * Returns 0, a negative HAL code or a JOURNAL_E* code (journal.h). */
int boot_schedule_install(struct hal *h, const struct flash_layout *l, uint32_t src, uint32_t dst,
			  uint32_t len, uint32_t tail);

#endif
