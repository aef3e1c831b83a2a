/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "device_state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "kvfile.h"

static uint32_t get_u32(const struct kvfile *kv, const char *key)
{
	const char *v = kvfile_get(kv, key);
	unsigned long n;
	char *end;

	if (!v)
		return 0;
	n = strtoul(v, &end, 10);
	return *end || n > UINT32_MAX ? 0 : (uint32_t)n;
}

void device_state_load(struct device_state *s, const struct device_paths *p)
{
	struct kvfile kv;

	memset(s, 0, sizeof(*s));
	if (kvfile_load(&kv, p->state) != 0)
		return;
	s->fs_size = get_u32(&kv, "fs_size");
	kvfile_free(&kv);
}

int device_state_save(const struct device_state *s, const struct device_paths *p)
{
	char text[256];
	int n = snprintf(text, sizeof(text),
			 "# espota-device: what the simulator saw installed\n"
			 "fs_size=%lu\n", (unsigned long)s->fs_size);

	return file_write_atomic(p->state, text, (size_t)n, 0644) == FILE_OK ? 0 : -1;
}
