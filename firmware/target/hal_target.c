/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hal.h over the ESP8266 mask ROM and registers, for eboot. The network
 * part of hal.h needs the SDK's lwIP and is not implemented on bare metal:
 * nothing that eboot links refers to it.
 */
#include "hal_target.h"

#include "image_header.h"
#include "rom.h"

/* ---- SPI flash ---- */

/* The ROM moves whole words between the SPI buffer and memory, so a
 * buffer that is not word-aligned goes through this many bytes at a time. */
#define BOUNCE_WORDS 16u

static int check_span(const struct hal *h, uint32_t addr, size_t len)
{
	if ((addr | len) % 4u != 0)
		return HAL_EALIGN;
	if (addr > h->flash_size || len > h->flash_size - addr)
		return HAL_ERANGE;
	return HAL_OK;
}

/* One body for both directions keeps the boot sector small. */
static int flash_io(struct hal *h, uint32_t addr, uint8_t *buf, size_t len, bool write)
{
	uint32_t bounce[BOUNCE_WORDS];
	int rc = check_span(h, addr, len);

	if (rc != HAL_OK)
		return rc;
	while (len > 0) {
		bool direct = ((uintptr_t)buf & 3u) == 0;
		size_t n = direct || len < sizeof(bounce) ? len : sizeof(bounce);
		void *p = direct ? (void *)buf : (void *)bounce;

		if (write && !direct)
			__builtin_memcpy(bounce, buf, n);
		if (write ? SPIWrite(addr, p, (uint32_t)n) : SPIRead(addr, p, (uint32_t)n))
			return HAL_EIO;
		if (!write && !direct)
			__builtin_memcpy(buf, bounce, n);
		buf += n;
		addr += (uint32_t)n;
		len -= n;
	}
	return HAL_OK;
}

uint32_t hal_flash_size(struct hal *h)
{
	return h->flash_size;
}

int hal_flash_read(struct hal *h, uint32_t addr, void *buf, size_t len)
{
	return flash_io(h, addr, buf, len, false);
}

/* flash_io only reads from buf when writing. */
int hal_flash_write(struct hal *h, uint32_t addr, const void *buf, size_t len)
{
	return flash_io(h, addr, (uint8_t *)(uintptr_t)buf, len, true);
}

int hal_flash_erase_sector(struct hal *h, uint32_t addr)
{
	if (addr % HAL_FLASH_SECTOR != 0)
		return HAL_EALIGN;
	if (addr >= h->flash_size)
		return HAL_ERANGE;
	return SPIEraseSector(addr / HAL_FLASH_SECTOR) ? HAL_EIO : HAL_OK;
}

/* ---- RTC user memory: 512 bytes at 0x60001200, 32-bit accesses only ---- */

/* Byte by byte through word reads and read-modify-writes: the block is at
 * most 512 bytes, and the code stays a few instructions long. */
static int rtc_io(uint32_t offset, uint8_t *buf, size_t len, bool write)
{
	if (offset % 4u != 0)
		return HAL_EALIGN;
	if (offset > HAL_RTC_USER_SIZE || len > HAL_RTC_USER_SIZE - offset)
		return HAL_ERANGE;
	for (size_t i = 0; i < len; i++) {
		uint32_t at = offset + (uint32_t)i;
		volatile uint32_t *reg = &REG32(RTC_USER_MEM_BASE + (at & ~3u));
		unsigned shift = 8u * (at & 3u);

		if (write)
			*reg = (*reg & ~(0xFFu << shift)) | (uint32_t)buf[i] << shift;
		else
			buf[i] = (uint8_t)(*reg >> shift);
	}
	return HAL_OK;
}

int hal_rtc_read(struct hal *h, uint32_t offset, void *buf, size_t len)
{
	(void)h;
	return rtc_io(offset, buf, len, false);
}

/* rtc_io only reads from buf when writing. */
int hal_rtc_write(struct hal *h, uint32_t offset, const void *buf, size_t len)
{
	(void)h;
	return rtc_io(offset, (uint8_t *)(uintptr_t)buf, len, true);
}

/* ---- clock: the CPU cycle counter CCOUNT, extended to 64 bits ---- */

static uint32_t read_ccount(void)
{
	uint32_t c;

	__asm__ volatile("rsr %0, ccount" : "=a"(c));
	return c;
}

/* CCOUNT wraps every 2^32 cycles (53 s at 80 MHz): the clock stays right
 * as long as it is read at least that often. It starts at the first read,
 * so that a boot that never asks the time carries none of this code. */
static uint64_t cycles_now(struct hal *h)
{
	uint32_t now = read_ccount();

	if (h->cpu_mhz == 0) {
		h->cpu_mhz = ets_get_cpu_frequency();
		if (h->cpu_mhz == 0)
			h->cpu_mhz = 80;
		h->last_ccount = now;
	}

	h->cycles += (uint32_t)(now - h->last_ccount);
	h->last_ccount = now;
	return h->cycles;
}

uint32_t hal_micros(struct hal *h)
{
	return (uint32_t)(cycles_now(h) / h->cpu_mhz);
}

uint32_t hal_millis(struct hal *h)
{
	return (uint32_t)(cycles_now(h) / (h->cpu_mhz * 1000u));
}

void hal_delay_ms(struct hal *h, uint32_t ms)
{
	(void)h;
	while (ms-- > 0)
		ets_delay_us(1000);
}

/* ---- randomness, console, reset ---- */

/* The RNG register gives a fresh 32-bit value on every read; its entropy
 * comes from RF noise, which is weaker with the radio off (boot time). */
int hal_random(struct hal *h, void *buf, size_t len)
{
	uint8_t *out = buf;

	(void)h;
	while (len > 0) {
		uint32_t w = REG32(RNG_REG);
		size_t n = len < 4u ? len : 4u;

		for (size_t i = 0; i < n; i++)
			*out++ = (uint8_t)(w >> (8u * i));
		len -= n;
	}
	return HAL_OK;
}

void hal_console(struct hal *h, const char *text, size_t len)
{
	(void)h;
	while (len-- > 0)
		ets_putc(*text++);
}

void hal_request_reset(struct hal *h)
{
	h->reset_requested = true;
}

void hal_target_reset(void)
{
	REG32(RTC_SW_RESET_REG) |= RTC_SW_RESET_BIT;
	for (;;) {
	}
}

int hal_target_init(struct hal *h)
{
	uint32_t word0;

	h->cpu_mhz = 0; /* the clock starts at its first read */
	h->last_ccount = 0;
	h->cycles = 0;
	h->reset_requested = false;
	h->flash_size = 0;
	if (SPIRead(0, &word0, sizeof(word0)))
		return HAL_EIO;
	h->flash_size = image_flash_size((uint8_t)(word0 >> 24));
	return h->flash_size ? HAL_OK : HAL_ERANGE;
}
