/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * An OTA upload without the network. The image goes through the device's
 * Updater exactly as ArduinoOTA feeds it: begin with the size, the MD5 the
 * uploader announces, then network-sized pieces, then end, which checks
 * and schedules eboot.
 */
#ifndef ESPOTA_DEVICE_STAGE_H
#define ESPOTA_DEVICE_STAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "device.h"
#include "log.h"

#define DEVICE_STAGE_CHUNK 1460u /* one TCP segment, as ArduinoOTA receives */

/* Feeds img[0..len) (a filesystem image with fs) to the Updater; name
 * names it in messages. Returns DEVICE_OK, with *in_place true when it
 * went straight into the filesystem region (no ATOMIC_FS_UPDATE) and
 * false when eboot installs it at the next boot; DEVICE_ERR_FAILED with
 * the Updater's error text, as the device reports it, in text; or
 * DEVICE_ERR_POWER_LOST. */
enum device_error device_stage(struct device *d, const char *name, const uint8_t *img, size_t len,
			       bool fs, bool *in_place, char *text, size_t textlen,
			       const struct logger *lg);

/* A filesystem image written in place leaves no trace on the device that
 * says how long it is: note it in F.state for status. A failure is
 * logged as a warning. */
void device_note_fs_upload(struct device *d, uint32_t size, const struct logger *lg);

#endif
