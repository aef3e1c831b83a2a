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

static bool word_aligned(const void *p)
{
	return ((uintptr_t)p & 3u) == 0;
}

uint32_t hal_flash_size(struct hal *h)
{
	return h->flash_size;
}

int hal_flash_read(struct hal *h, uint32_t addr, void *buf, size_t len)
{
	uint32_t bounce[BOUNCE_WORDS];
	uint8_t *out = buf;
	int rc = check_span(h, addr, len);

	if (rc != HAL_OK)
		return rc;
	if (word_aligned(buf))
		return SPIRead(addr, buf, (uint32_t)len) ? HAL_EIO : HAL_OK;
	while (len > 0) {
		size_t n = len < sizeof(bounce) ? len : sizeof(bounce);

		if (SPIRead(addr, bounce, (uint32_t)n))
			return HAL_EIO;
		__builtin_memcpy(out, bounce, n);
		out += n;
		addr += (uint32_t)n;
		len -= n;
	}
	return HAL_OK;
}

int hal_flash_write(struct hal *h, uint32_t addr, const void *buf, size_t len)
{
	uint32_t bounce[BOUNCE_WORDS];
	const uint8_t *in = buf;
	int rc = check_span(h, addr, len);

	if (rc != HAL_OK)
		return rc;
	if (word_aligned(buf))
		return SPIWrite(addr, buf, (uint32_t)len) ? HAL_EIO : HAL_OK;
	while (len > 0) {
		size_t n = len < sizeof(bounce) ? len : sizeof(bounce);

		__builtin_memcpy(bounce, in, n);
		if (SPIWrite(addr, bounce, (uint32_t)n))
			return HAL_EIO;
		in += n;
		addr += (uint32_t)n;
		len -= n;
	}
	return HAL_OK;
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

static int check_rtc_span(uint32_t offset, size_t len)
{
	if (offset % 4u != 0)
		return HAL_EALIGN;
	if (offset > HAL_RTC_USER_SIZE || len > HAL_RTC_USER_SIZE - offset)
		return HAL_ERANGE;
	return HAL_OK;
}

int hal_rtc_read(struct hal *h, uint32_t offset, void *buf, size_t len)
{
	uint8_t *out = buf;
	int rc = check_rtc_span(offset, len);

	(void)h;
	if (rc != HAL_OK)
		return rc;
	for (uint32_t reg = RTC_USER_MEM_BASE + offset; len > 0; reg += 4u) {
		uint32_t w = REG32(reg);
		size_t n = len < 4u ? len : 4u;

		for (size_t i = 0; i < n; i++)
			*out++ = (uint8_t)(w >> (8u * i));
		len -= n;
	}
	return HAL_OK;
}

int hal_rtc_write(struct hal *h, uint32_t offset, const void *buf, size_t len)
{
	const uint8_t *in = buf;
	int rc = check_rtc_span(offset, len);

	(void)h;
	if (rc != HAL_OK)
		return rc;
	for (uint32_t reg = RTC_USER_MEM_BASE + offset; len > 0; reg += 4u) {
		size_t n = len < 4u ? len : 4u;
		/* A short last word keeps the bytes past the end. */
		uint32_t w = n < 4u ? REG32(reg) : 0;

		for (size_t i = 0; i < n; i++) {
			w &= ~(0xFFu << (8u * i));
			w |= (uint32_t)*in++ << (8u * i);
		}
		REG32(reg) = w;
		len -= n;
	}
	return HAL_OK;
}

/* ---- clock: the CPU cycle counter CCOUNT, extended to 64 bits ---- */

static uint32_t read_ccount(void)
{
	uint32_t c;

	__asm__ volatile("rsr %0, ccount" : "=a"(c));
	return c;
}

/* CCOUNT wraps every 2^32 cycles (53 s at 80 MHz): the clock stays right
 * as long as it is read at least that often. */
static uint64_t cycles_now(struct hal *h)
{
	uint32_t now = read_ccount();

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

	h->cpu_mhz = ets_get_cpu_frequency();
	if (h->cpu_mhz == 0)
		h->cpu_mhz = 80;
	h->last_ccount = read_ccount();
	h->cycles = 0;
	h->reset_requested = false;
	h->flash_size = 0;
	if (SPIRead(0, &word0, sizeof(word0)))
		return HAL_EIO;
	h->flash_size = image_flash_size((uint8_t)(word0 >> 24));
	return h->flash_size ? HAL_OK : HAL_ERANGE;
}
