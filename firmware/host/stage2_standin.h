/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the simulator flashes at eboot's stage 2 region (flash_layout.stage2)
 * when `espota-device init` makes a device: a small ROM-format image that
 * passes every check stage 1 makes of stage 2 (stage2_image.h).
 *
 * Why a stand-in: the simulator runs eboot as host code (firmware/eboot),
 * so it never executes what lies in that region; yet the Updater refuses
 * to schedule an install when the region holds no valid stage 2, as a real
 * device must. The real eboot-stage2.bin is only cross-built where
 * gcc-xtensa-lx106 is installed, and the simulator must build without it.
 * The stand-in's one instruction is lx106's ret.n: were it ever started on
 * a chip, stage 1 would report "s2:6" and boot the app.
 */
#ifndef ESPOTA_STAGE2_STANDIN_H
#define ESPOTA_STAGE2_STANDIN_H

#include <stddef.h>
#include <stdint.h>

#include "hal.h"

/* The stand-in's length: a multiple of 16, well inside FLASH_STAGE2_SIZE. */
#define STAGE2_STANDIN_SIZE 64u

/* Builds the stand-in into out. */
void stage2_standin_build(uint8_t out[STAGE2_STANDIN_SIZE]);

/* Erases the stage 2 region at addr (FLASH_STAGE2_SIZE bytes) and writes
 * the stand-in there. Returns 0 or a negative HAL code. */
int stage2_standin_write(struct hal *h, uint32_t addr);

#endif
