/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The bytes to upload: FILE.signed when it exists (docs/protocol/ota-protocol.md §10), gzip -9 of
 * them with --compress, and the size and MD5 the invitation announces. */
#ifndef ESPOTA_IMAGE_H
#define ESPOTA_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "espota.h"

#define ESPOTA_IMAGE_MAX (64u << 20)

struct espota_image {
	char *path;           /* the file read (FILE or FILE.signed) */
	bool signed_substituted;
	uint8_t *data;        /* what is sent */
	size_t len;
	uint64_t file_size;   /* before compression */
	bool compressed;
	char md5[33];         /* of data[0..len) */
};

/* Fills img; on failure returns the error and a message in msg. */
enum espota_error espota_image_load(const char *path, bool compress, struct espota_image *img,
				    char *msg, size_t msglen);
void espota_image_free(struct espota_image *img);

#endif
