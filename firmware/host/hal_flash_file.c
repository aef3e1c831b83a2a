/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPI flash over a mapped file, with the rules of NOR flash enforced as
 * MCUboot's simflash does: erase works on whole aligned sectors, a write
 * can only clear bits, and every address and length is a multiple of 4.
 * A write that would need to set a bit is refused (HAL_EIO) and changes
 * nothing: on a chip it would silently leave a mix, so the simulator
 * reports the bug in the device logic instead.
 */
#include <string.h>
#include <time.h>

#include "hal_posix_state.h"

/* Datasheet-order timings of an ESP8266 module's SPI flash. */
#define ERASE_SECTOR_NS 45000000L
#define PROGRAM_PAGE_NS 500000L
#define PROGRAM_PAGE 256u

static void sleep_ns(long long ns)
{
	struct timespec ts = { .tv_sec = (time_t)(ns / 1000000000LL),
			       .tv_nsec = (long)(ns % 1000000000LL) };

	while (nanosleep(&ts, &ts) != 0) {
	}
}

static int check_span(const struct hal *h, uint32_t addr, size_t len)
{
	if (addr % 4 != 0 || len % 4 != 0)
		return HAL_EALIGN;
	if (addr > h->flash_size || len > h->flash_size - addr)
		return HAL_ERANGE;
	return HAL_OK;
}

uint32_t hal_flash_size(struct hal *h)
{
	return h->flash_size;
}

int hal_flash_read(struct hal *h, uint32_t addr, void *buf, size_t len)
{
	int rc;

	if (h->power_lost)
		return HAL_EPOWER;
	rc = check_span(h, addr, len);
	if (rc != HAL_OK)
		return rc;
	memcpy(buf, h->flash + addr, len);
	return HAL_OK;
}

int hal_flash_write(struct hal *h, uint32_t addr, const void *buf, size_t len)
{
	const uint8_t *src = buf;
	uint8_t *dst;
	bool cut;
	int rc;

	if (h->power_lost)
		return HAL_EPOWER;
	rc = check_span(h, addr, len);
	if (rc != HAL_OK)
		return rc;
	if (len == 0)
		return HAL_OK;
	dst = h->flash + addr;
	for (size_t i = 0; i < len; i++) {
		if ((uint8_t)(src[i] & ~dst[i]) != 0)
			return HAL_EIO; /* would set a bit: the sector was not erased */
	}
	cut = hal_posix_count_op(h);
	if (cut && h->power_cut_torn)
		len = len / 8 * 4; /* the first half of the words, then darkness */
	for (size_t i = 0; i < len; i++)
		dst[i] &= src[i];
	if (h->flash_timing)
		sleep_ns((long long)(len + PROGRAM_PAGE - 1) / PROGRAM_PAGE * PROGRAM_PAGE_NS);
	if (cut) {
		hal_posix_cut_power(h);
		return HAL_EPOWER;
	}
	return HAL_OK;
}

int hal_flash_erase_sector(struct hal *h, uint32_t addr)
{
	bool cut;

	if (h->power_lost)
		return HAL_EPOWER;
	if (addr % HAL_FLASH_SECTOR != 0)
		return HAL_EALIGN;
	if (addr >= h->flash_size)
		return HAL_ERANGE;
	cut = hal_posix_count_op(h);
	memset(h->flash + addr, 0xFF, HAL_FLASH_SECTOR);
	if (h->flash_timing)
		sleep_ns(ERASE_SECTOR_NS);
	if (cut) {
		hal_posix_cut_power(h);
		return HAL_EPOWER;
	}
	return HAL_OK;
}
