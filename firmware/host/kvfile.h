/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Small key=value text files ('#' comments, one pair a line), the format
 * of a simulated device's F.conf and F.state. */
#ifndef ESPOTA_KVFILE_H
#define ESPOTA_KVFILE_H

#include <stddef.h>

#define KVFILE_MAX 32

struct kvfile {
	char *text; /* the file, split in place */
	size_t n;
	const char *key[KVFILE_MAX];
	const char *value[KVFILE_MAX];
};

/* Reads path. Returns 0, or -1 with errno set (ENOENT when absent,
 * EINVAL when a line is not key=value or there are too many). */
int kvfile_load(struct kvfile *kv, const char *path);
/* The value of key, or NULL. */
const char *kvfile_get(const struct kvfile *kv, const char *key);
void kvfile_free(struct kvfile *kv);

#endif
