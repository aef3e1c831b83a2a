/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the simulator saw written into the filesystem region in place,
 * kept in F.state. Without ATOMIC_FS_UPDATE the Updater writes a
 * filesystem image straight over the live one and nothing on the device
 * records its length (an FS image has no header to measure), so `stage
 * --fs` notes it here. Installs through eboot are in eboot's journal.
 */
#ifndef ESPOTA_DEVICE_STATE_H
#define ESPOTA_DEVICE_STATE_H

#include <stdint.h>

#include "device_config.h"

struct device_state {
	uint32_t fs_size; /* last filesystem image written in place; 0: unknown */
};

/* Missing or unreadable file: all zero. */
void device_state_load(struct device_state *s, const struct device_paths *p);
/* Returns 0, or -1 with errno set. */
int device_state_save(const struct device_state *s, const struct device_paths *p);

#endif
