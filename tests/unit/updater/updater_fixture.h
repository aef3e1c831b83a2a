/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A simulated device for the Updater tests: a real flash file and RTC file
 * in a temporary directory, opened through the POSIX HAL, holding a running
 * .bin of a chosen length; plus builders for the images uploaded to it. */
#ifndef ESPOTA_TEST_UPDATER_FIXTURE_H
#define ESPOTA_TEST_UPDATER_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hal_posix.h"
#include "updater.h"

struct cb_log {
	int starts, ends, errors, progress_calls;
	enum updater_error last_error;
	uint32_t last_done, last_total;
	uint32_t prev_done;
	bool progress_monotonic;
};

struct device {
	char dir[64];
	char flash_path[96];
	char rtc_path[96];
	struct hal *hal;
	struct updater_config cfg;
	struct cb_log log;
	struct updater u;
	struct rsa_pubkey key;
};

/* Size nibble (docs/protocol/image-and-flash.md §3) of a chip size. */
uint8_t size_nibble(uint32_t flash_size);

/* Fills out[0..len) with an elf2bin-shaped .bin: eboot sector, then the app
 * header at 0x1000 with one segment so that ESP.getSketchSize() is exactly
 * len (len a multiple of 16, at least 0x1030). */
void make_bin(uint8_t *out, uint32_t len, uint8_t mode, uint8_t size_freq, uint32_t seed);

/* A device with a chip of flash_size, Arduino default layout, running a
 * .bin of running_len bytes whose header says header_size_nibble, and
 * flash mode device_mode. */
void device_open(struct device *d, uint32_t flash_size, uint32_t running_len,
		 uint8_t header_size_nibble, uint8_t device_mode);
/* The same with the power cut at flash erase/write number power_cut_after
 * (hal_posix.h; -1: never). */
void device_open_cut(struct device *d, uint32_t flash_size, uint32_t running_len,
		     uint8_t header_size_nibble, uint8_t device_mode, long power_cut_after);
/* Power off and on again: RTC memory as the HAL keeps it, no more cuts. */
void device_power_cycle(struct device *d);
void device_close(struct device *d);

/* Flash bytes [addr, addr + len) into a fresh malloc'd buffer. */
uint8_t *flash_dump(struct device *d, uint32_t addr, uint32_t len);

/* begin + write in pieces of chunk + end; returns end()'s result (false
 * early if begin or a write fails). */
bool upload(struct device *d, const uint8_t *img, uint32_t len, int cmd, size_t chunk,
	    const char *md5hex);

/* gzip (RFC 1952) of in, malloc'd. */
uint8_t *gzip_bytes(const uint8_t *in, size_t len, size_t *outlen);

#endif
