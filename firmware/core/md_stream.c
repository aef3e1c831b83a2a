/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "md_stream.h"

#include "fwmem.h"

void md_stream_update(uint32_t *state, uint8_t buf[64], uint64_t *count, md_block_fn block,
		      const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t used = (size_t)(*count & 63);

	*count += len;
	while (len > 0) {
		size_t n = 64 - used;

		if (n > len)
			n = len;
		if (used == 0 && len >= 64) {
			block(state, p); /* whole blocks straight from the input */
			n = 64;
		} else {
			fw_memcpy(buf + used, p, n);
			used += n;
			if (used == 64) {
				block(state, buf);
				used = 0;
			}
		}
		p += n;
		len -= n;
	}
}

void md_stream_final(uint32_t *state, const uint8_t buf[64], uint64_t count, md_block_fn block,
		     bool big_endian)
{
	uint8_t blk[64];
	size_t used = (size_t)(count & 63);
	uint64_t bits = count << 3;

	fw_memcpy(blk, buf, used);
	blk[used++] = 0x80;
	if (used > 56) {
		fw_memset(blk + used, 0, 64 - used);
		block(state, blk);
		used = 0;
	}
	fw_memset(blk + used, 0, 56 - used);
	for (unsigned i = 0; i < 8; i++) {
		unsigned shift = big_endian ? 56 - 8 * i : 8 * i;

		blk[56 + i] = (uint8_t)(bits >> shift);
	}
	block(state, blk);
}
