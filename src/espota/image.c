/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "image.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "file.h"
#include "gzip_write.h"

enum espota_error espota_image_load(const char *path, bool compress, struct espota_image *img,
				    char *msg, size_t msglen)
{
	size_t plen = strlen(path);
	struct file_buf fb;
	enum file_error fe;

	memset(img, 0, sizeof(*img));
	img->path = malloc(plen + sizeof(".signed"));
	if (!img->path)
		return ESPOTA_ERR_NOMEM;
	snprintf(img->path, plen + sizeof(".signed"), "%s.signed", path);
	if (file_exists(img->path))
		img->signed_substituted = true;
	else
		img->path[plen] = '\0';

	fe = file_read_all(img->path, ESPOTA_IMAGE_MAX, &fb);
	if (fe != FILE_OK) {
		int saved = errno;

		if (fe == FILE_ERR_EMPTY)
			snprintf(msg, msglen, "cannot upload '%s': the file is empty: build the image again",
				 img->path);
		else if (fe == FILE_ERR_TOO_BIG)
			snprintf(msg, msglen, "cannot upload '%s': larger than %u MiB: check the file name",
				 img->path, ESPOTA_IMAGE_MAX >> 20);
		else if (fe == FILE_ERR_OPEN || fe == FILE_ERR_READ)
			snprintf(msg, msglen, "cannot read '%s': %s: check the path given with -f",
				 img->path, strerror(saved));
		else
			snprintf(msg, msglen, "cannot read '%s': %s: check the path given with -f",
				 img->path, file_strerror(fe));
		return fe == FILE_ERR_NOMEM ? ESPOTA_ERR_NOMEM : ESPOTA_ERR_FILE;
	}
	img->file_size = fb.len;
	if (compress && img->signed_substituted) {
		/* the signature covers the bytes as they are; gzip must come before signing */
		file_buf_free(&fb);
		snprintf(msg, msglen,
			 "cannot compress '%s': a signed image is compressed before it is signed "
			 "(gzip -9 the .bin, then sign the .bin.gz): upload it without --compress",
			 img->path);
		return ESPOTA_ERR_COMPRESS;
	}
	/* already gzip (first bytes 1f 8b): send as is */
	if (compress && fb.len >= 2 && fb.data[0] == 0x1f && fb.data[1] == 0x8b)
		compress = false;
	if (compress) {
		enum gzip_write_error ge = gzip_write(fb.data, fb.len, &img->data, &img->len);

		if (ge != GZIP_WRITE_OK) {
			file_buf_free(&fb);
			snprintf(msg, msglen, "cannot compress '%s': %s: retry without --compress",
				 img->path, gzip_write_strerror(ge));
			return ge == GZIP_WRITE_NOMEM ? ESPOTA_ERR_NOMEM : ESPOTA_ERR_COMPRESS;
		}
		img->compressed = true;
		file_buf_free(&fb);
	} else {
		img->data = fb.data;
		img->len = fb.len;
	}
	if (digest_hex(DIGEST_MD5, img->data, img->len, img->md5) != 0) {
		snprintf(msg, msglen, "cannot hash '%s': libcrypto failed", img->path);
		return ESPOTA_ERR_CRYPTO;
	}
	return ESPOTA_OK;
}

void espota_image_free(struct espota_image *img)
{
	free(img->path);
	free(img->data);
	memset(img, 0, sizeof(*img));
}
