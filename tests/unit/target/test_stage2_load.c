/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * stage2_load_and_jump() on the host. Stage 2's RAM windows are mapped at
 * their ESP8266 addresses (IRAM executable, so that the test image's entry
 * can be a host "return" instruction: a good image is called and comes
 * back, which the loader reports as STAGE2_ERR_RETURNED). Stage 1's own
 * RAM and the app's IRAM are left unmapped: a loader that wrote there
 * would crash the test.
 *
 * Every image is also given to stage2_image_check() (firmware/core), the
 * portable check the Updater and the simulator run through the HAL, here
 * served from the same flash buffer: both must reach the same verdict,
 * as they share one set of windows and codes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include <cmocka.h>

#include "hal.h"
#include "rom.h"
#include "stage2_image.h"
#include "stage2_load.h"

#define FLASH_SIZE 0x10000u
#define REGION 0x8000u /* where the tests put stage 2 in the fake flash */

static uint8_t flash[FLASH_SIZE];
static unsigned reads;

/* The ROM's SPIRead over the flash buffer: 1 (error) outside it. */
int SPIRead(uint32_t addr, void *dst, uint32_t size)
{
	reads++;
	if (addr > FLASH_SIZE || size > FLASH_SIZE - addr)
		return 1;
	memcpy(dst, flash + addr, size);
	return 0;
}

/* The HAL's flash over the same buffer, for stage2_image_check(); not
 * counted in reads, which follows the loader alone. */
struct hal {
	int unused;
};

uint32_t hal_flash_size(struct hal *h)
{
	(void)h;
	return FLASH_SIZE;
}

int hal_flash_read(struct hal *h, uint32_t addr, void *buf, size_t len)
{
	(void)h;
	if (addr % 4 || len % 4)
		return HAL_EALIGN;
	if (addr > FLASH_SIZE || len > FLASH_SIZE - addr)
		return HAL_ERANGE;
	memcpy(buf, flash + addr, len);
	return HAL_OK;
}

/* The loader's result, and the portable check agreeing with it (a good
 * image, called and come back, is STAGE2_OK to the check). */
static int loaded(uint32_t addr)
{
	struct hal h = { 0 };
	int rc = stage2_load_and_jump(addr);

	assert_int_equal(stage2_image_check(&h, addr),
			 rc == STAGE2_ERR_RETURNED ? STAGE2_OK : rc);
	return rc;
}

/* A host instruction that returns from a call, for the image's entry. */
#if defined(__x86_64__) || defined(__i386__)
static const uint8_t host_ret[] = { 0xC3 };
#elif defined(__aarch64__)
static const uint8_t host_ret[] = { 0xC0, 0x03, 0x5F, 0xD6 };
#else
#define NO_HOST_RET 1
static const uint8_t host_ret[] = { 0 };
#endif

static int map_window(uint32_t start, uint32_t end, int prot)
{
	void *want = (void *)(uintptr_t)start;
	void *p = mmap(want, end - start, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
		       -1, 0);

	if (p == MAP_FAILED)
		return -1;
	if (p != want) { /* kernels before 4.17 treat the flag as a hint */
		munmap(p, end - start);
		return -1;
	}
	return 0;
}

static int setup(void **state)
{
	(void)state;
	if (map_window(STAGE2_IRAM_START, STAGE2_IRAM_END, PROT_READ | PROT_WRITE | PROT_EXEC) != 0)
		return -1;
	if (map_window(STAGE2_DRAM_START, STAGE2_DRAM_END, PROT_READ | PROT_WRITE) != 0) {
		munmap((void *)(uintptr_t)STAGE2_IRAM_START, STAGE2_IRAM_END - STAGE2_IRAM_START);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	munmap((void *)(uintptr_t)STAGE2_IRAM_START, STAGE2_IRAM_END - STAGE2_IRAM_START);
	munmap((void *)(uintptr_t)STAGE2_DRAM_START, STAGE2_DRAM_END - STAGE2_DRAM_START);
	return 0;
}

struct seg {
	uint32_t addr, len;
	const uint8_t *data; /* host_ret at the start, or NULL; then a byte pattern */
};

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Writes a ROM-format image at flash[REGION]: header, segments, zero
 * padding and the checksum byte (0xEF xor every data byte) ending on a
 * 16-byte boundary. Returns the offset of the checksum byte. */
static uint32_t make_image(const struct seg *s, unsigned n, uint32_t entry)
{
	uint8_t *img = flash + REGION;
	uint32_t pos = 8;
	uint8_t sum = 0xEF;

	memset(flash, 0xFF, sizeof(flash));
	img[0] = 0xE9;
	img[1] = (uint8_t)n;
	img[2] = 2;
	img[3] = 0x40;
	put32(img + 4, entry);
	for (unsigned i = 0; i < n; i++) {
		put32(img + pos, s[i].addr);
		put32(img + pos + 4, s[i].len);
		pos += 8;
		for (uint32_t k = 0; k < s[i].len; k++) {
			uint8_t b = s[i].data && k < sizeof(host_ret) ? s[i].data[k] : (uint8_t)(k * 13u + i);

			img[pos + k] = b;
			sum ^= b;
		}
		pos += s[i].len;
	}
	while ((pos + 1) % 16 != 0)
		img[pos++] = 0;
	img[pos] = sum;
	return REGION + pos;
}

static void test_good_image_is_loaded_checked_and_called(void **state)
{
	(void)state;
#ifdef NO_HOST_RET
	skip();
#endif
	/* The DRAM segment's length takes the image end through every
	 * residue mod 16, so the checksum byte is found wherever it is. */
	for (uint32_t extra = 0; extra < 16; extra += 4) {
		struct seg s[2] = {
			{ STAGE2_IRAM_START, 64, host_ret },
			{ STAGE2_DRAM_START + 0x100, 40 + extra, NULL },
		};

		make_image(s, 2, STAGE2_IRAM_START);
		memset((void *)(uintptr_t)STAGE2_DRAM_START, 0, 0x200);
		assert_int_equal(loaded(REGION), STAGE2_ERR_RETURNED);
		/* both segments landed at their addresses, byte for byte */
		assert_memory_equal((void *)(uintptr_t)STAGE2_IRAM_START, flash + REGION + 16, 64);
		assert_memory_equal((void *)(uintptr_t)(STAGE2_DRAM_START + 0x100),
				    flash + REGION + 16 + 64 + 8, 40 + extra);
	}
}

static void test_erased_region_is_no_image(void **state)
{
	(void)state;
	memset(flash, 0xFF, sizeof(flash));
	assert_int_equal(loaded(REGION), STAGE2_ERR_MAGIC);
}

static void test_one_bad_byte_fails_the_checksum(void **state)
{
	struct seg s[2] = {
		{ STAGE2_IRAM_START, 64, host_ret },
		{ STAGE2_DRAM_START, 100, NULL },
	};

	(void)state;
	/* in either segment, or the checksum byte itself */
	for (int which = 0; which < 3; which++) {
		uint32_t sum_at = make_image(s, 2, STAGE2_IRAM_START);

		if (which == 0)
			flash[REGION + 16 + 10] ^= 0x20;
		else if (which == 1)
			flash[REGION + 16 + 64 + 8 + 99] ^= 0x01;
		else
			flash[sum_at] ^= 0x80;
		assert_int_equal(loaded(REGION), STAGE2_ERR_CHECKSUM);
	}
}

/* Segments that would land on stage 1 or the app's IRAM are refused
 * before anything is read there (those pages are not mapped: a write
 * would crash the test). */
static void test_segment_outside_the_windows_is_refused(void **state)
{
	static const struct seg bad[] = {
		{ 0x4010F000u, 64, NULL },                  /* stage 1's IRAM */
		{ 0x40100000u, 64, NULL },                  /* the app loader's range */
		{ 0x3FFE8000u, 64, NULL },                  /* stage 1's DRAM */
		{ STAGE2_IRAM_END - 32, 64, NULL },         /* runs past stage 2's IRAM */
		{ STAGE2_DRAM_END - 4, 8, NULL },           /* into the ROM's RAM */
		{ 0xFFFFFFF0u, 0x20, NULL },                /* wraps around */
		{ STAGE2_DRAM_START + 2, 64, NULL },        /* not word aligned */
		{ STAGE2_DRAM_START, 62, NULL },            /* not whole words */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct seg s[2] = { { STAGE2_IRAM_START, 64, host_ret }, bad[i] };

		make_image(s, 2, STAGE2_IRAM_START);
		assert_int_equal(loaded(REGION), STAGE2_ERR_SEGMENT);
	}
}

static void test_entry_outside_stage2_iram_is_refused(void **state)
{
	static const uint32_t entries[] = { 0x4010F000u, 0x40100000u, STAGE2_DRAM_START, 0 };
	struct seg s[1] = { { STAGE2_IRAM_START, 64, host_ret } };

	(void)state;
	for (size_t i = 0; i < sizeof(entries) / sizeof(entries[0]); i++) {
		make_image(s, 1, entries[i]);
		assert_int_equal(loaded(REGION), STAGE2_ERR_ENTRY);
	}
}

static void test_read_errors_are_reported(void **state)
{
	struct seg s[1] = { { STAGE2_IRAM_START, 64, host_ret } };

	(void)state;
	/* no flash at the region at all */
	assert_int_equal(loaded(FLASH_SIZE), STAGE2_ERR_READ);
	/* a segment longer than the flash that is left */
	make_image(s, 1, STAGE2_IRAM_START);
	memcpy(flash + FLASH_SIZE - 16, flash + REGION, 16);
	flash[FLASH_SIZE - 16 + 12] = 0x00; /* length 0x2000: past the end */
	flash[FLASH_SIZE - 16 + 13] = 0x20;
	reads = 0;
	assert_int_equal(loaded(FLASH_SIZE - 16), STAGE2_ERR_READ);
	assert_int_equal(reads, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_image_is_loaded_checked_and_called),
		cmocka_unit_test(test_erased_region_is_no_image),
		cmocka_unit_test(test_one_bad_byte_fails_the_checksum),
		cmocka_unit_test(test_segment_outside_the_windows_is_refused),
		cmocka_unit_test(test_entry_outside_stage2_iram_is_refused),
		cmocka_unit_test(test_read_errors_are_reported),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
