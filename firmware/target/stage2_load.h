/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Stage 1's way into eboot's second stage (docs/eboot.md, "Two stages"). */
#ifndef ESPOTA_TARGET_STAGE2_LOAD_H
#define ESPOTA_TARGET_STAGE2_LOAD_H

#include <stdint.h>

/* stage 2's RAM windows and the STAGE2_ERR_* codes, shared with the
 * portable check the Updater runs before it schedules an install */
#include "stage2_image.h"

/* Loads the ROM-format image at flash offset addr (header, segments,
 * checksum) into stage 2's RAM, checks it and calls its entry. Returns
 * only when the image is missing or bad, with a STAGE2_ERR_* code; stage
 * 1's own code and data are untouched then, whatever the image held. */
int stage2_load_and_jump(uint32_t addr);

#endif
