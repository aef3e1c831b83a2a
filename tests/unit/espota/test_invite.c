/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The invitation text (docs/protocol/ota-protocol.md §3) and the --compress gzip stream. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "gzip_write.h"
#include "image.h"
#include "invite.h"

static void invitation_text(void **state)
{
	char buf[ESPOTA_INVITE_MAX];

	(void)state;
	assert_int_equal(espota_invite_format(0, 48266, 265760, "0123456789abcdef0123456789abcdef", buf,
					      sizeof(buf)), 48);
	assert_string_equal(buf, "0 48266 265760 0123456789abcdef0123456789abcdef\n");
	assert_int_equal(espota_invite_format(100, 10000, 1048576, "d41d8cd98f00b204e9800998ecf8427e",
					      buf, sizeof(buf)), 51);
	assert_string_equal(buf, "100 10000 1048576 d41d8cd98f00b204e9800998ecf8427e\n");
	/* a buffer too small is refused, not cut */
	assert_int_equal(espota_invite_format(0, 1, 1, "0123456789abcdef0123456789abcdef", buf, 20), -1);
}

static void gzip_round_trip(void **state)
{
	size_t len = 200000, zlen = 0;
	uint8_t *in = malloc(len), *z = NULL, *back = malloc(len + 16);
	z_stream zs = { 0 };

	(void)state;
	for (size_t i = 0; i < len; i++)
		in[i] = (uint8_t)((i * 7) ^ (i >> 5));
	assert_int_equal(gzip_write(in, len, &z, &zlen), GZIP_WRITE_OK);
	assert_true(zlen < len);
	/* never more bytes than zlib -9 writes for the same input */
	{
		uLong bound = compressBound((uLong)len) + 32, z9len;
		uint8_t *z9 = malloc(bound);
		z_stream ds = { 0 };

		assert_int_equal(deflateInit2(&ds, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
		ds.next_in = in;
		ds.avail_in = (uInt)len;
		ds.next_out = z9;
		ds.avail_out = (uInt)bound;
		assert_int_equal(deflate(&ds, Z_FINISH), Z_STREAM_END);
		z9len = ds.total_out;
		deflateEnd(&ds);
		free(z9);
		assert_true(zlen <= z9len);
	}
	/* a gzip member (RFC 1952): magic, deflate, and level 9 flagged in XFL */
	assert_int_equal(z[0], 0x1f);
	assert_int_equal(z[1], 0x8b);
	assert_int_equal(z[2], 8);
	assert_int_equal(z[8], 2);
	assert_int_equal(inflateInit2(&zs, 16 + MAX_WBITS), Z_OK);
	zs.next_in = z;
	zs.avail_in = (uInt)zlen;
	zs.next_out = back;
	zs.avail_out = (uInt)(len + 16);
	assert_int_equal(inflate(&zs, Z_FINISH), Z_STREAM_END);
	assert_int_equal(zs.total_out, len);
	assert_memory_equal(in, back, len);
	inflateEnd(&zs);
	free(in);
	free(z);
	free(back);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(invitation_text),
		cmocka_unit_test(gzip_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
