/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The Merkle-Damgard framing MD5 and SHA-256 share: 64-byte blocks,
 * buffering of partial input, and the final 0x80 / zeros / bit-length
 * padding. Each hash supplies its compression function. */
#ifndef ESPOTA_FW_MD_STREAM_H
#define ESPOTA_FW_MD_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef void (*md_block_fn)(uint32_t *state, const uint8_t blk[64]);

/* Feeds data; *count is the total length so far in bytes. */
void md_stream_update(uint32_t *state, uint8_t buf[64], uint64_t *count, md_block_fn block,
		      const void *data, size_t len);
/* Pads a copy of the partial block into state (a copy of the running
 * state, which it finishes); big_endian selects the length's byte order. */
void md_stream_final(uint32_t *state, const uint8_t buf[64], uint64_t count, md_block_fn block,
		     bool big_endian);

#endif
