/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "kvfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"

int kvfile_load(struct kvfile *kv, const char *path)
{
	struct file_buf buf;
	char *line, *next;

	memset(kv, 0, sizeof(*kv));
	if (file_read_all(path, 65536, &buf) != FILE_OK)
		return -1;
	kv->text = malloc(buf.len + 1);
	if (!kv->text) {
		file_buf_free(&buf);
		errno = ENOMEM;
		return -1;
	}
	memcpy(kv->text, buf.data, buf.len);
	kv->text[buf.len] = '\0';
	file_buf_free(&buf);
	for (line = kv->text; line && *line; line = next) {
		char *eq;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (*line == '#' || *line == '\0')
			continue;
		eq = strchr(line, '=');
		if (!eq || kv->n == KVFILE_MAX) {
			kvfile_free(kv);
			errno = EINVAL;
			return -1;
		}
		*eq = '\0';
		kv->key[kv->n] = line;
		kv->value[kv->n] = eq + 1;
		kv->n++;
	}
	return 0;
}

const char *kvfile_get(const struct kvfile *kv, const char *key)
{
	for (size_t i = 0; i < kv->n; i++)
		if (strcmp(kv->key[i], key) == 0)
			return kv->value[i];
	return NULL;
}

void kvfile_free(struct kvfile *kv)
{
	free(kv->text);
	memset(kv, 0, sizeof(*kv));
}
