/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The ESP8266 mask ROM routines the target build calls. Their addresses
 * are in rom.ld; these are their C signatures (call0 ABI, as the ROM was
 * built). The SPI routines return 0 on success, 1 on error, 2 on timeout.
 */
#ifndef ESPOTA_TARGET_ROM_H
#define ESPOTA_TARGET_ROM_H

#include <stdint.h>

/* dst/src must be 4-byte aligned; addr and size multiples of 4. */
int SPIRead(uint32_t addr, void *dst, uint32_t size);
int SPIWrite(uint32_t addr, const void *src, uint32_t size);
/* Erases sector number addr / 4096. */
int SPIEraseSector(uint32_t sector);

void ets_putc(char c);
void ets_wdt_enable(void);
void ets_wdt_disable(void);
void ets_delay_us(uint32_t us);
/* The CPU clock in MHz as the ROM last set it. */
uint32_t ets_get_cpu_frequency(void);

/* Peripheral registers (32-bit access only). */
#define REG32(addr) (*(volatile uint32_t *)(uintptr_t)(addr))
#define RTC_USER_MEM_BASE 0x60001200u /* 512 bytes, kept across resets */
#define RNG_REG 0x3FF20E44u           /* hardware random number */
#define RTC_SW_RESET_REG 0x60000700u  /* bit 31: system reset */
#define RTC_SW_RESET_BIT 0x80000000u

#endif
