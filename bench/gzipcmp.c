/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * gzipcmp FILE...: for each file, the gzip that --compress writes
 * (src/common/gzip_write, libdeflate level 12) beside zlib -9 (what gzip -9
 * and the tools wrote before): bytes, seconds (median of 5), the ratio of
 * the two, and the device's flash time for each at 45 ms per 4 KiB sector.
 * Both streams are inflated back with zlib and compared with the file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "file.h"
#include "gzip_write.h"

#define REPS 5
#define SECTOR_MS 45.0

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[n / 2];
}

/* zlib -9 with the gzip wrapper, as the tools wrote it before libdeflate. */
static int zlib9(const uint8_t *in, size_t len, uint8_t **out, size_t *outlen)
{
	z_stream zs = { 0 };
	uLong cap;
	int rc;

	if (deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	cap = deflateBound(&zs, (uLong)len);
	*out = malloc(cap);
	if (!*out) {
		deflateEnd(&zs);
		return -1;
	}
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = (uInt)len;
	zs.next_out = *out;
	zs.avail_out = (uInt)cap;
	rc = deflate(&zs, Z_FINISH);
	*outlen = (size_t)zs.total_out;
	deflateEnd(&zs);
	return rc == Z_STREAM_END ? 0 : -1;
}

/* The stream inflates (zlib) to exactly the file. */
static int inflates_to(const uint8_t *gz, size_t gzlen, const uint8_t *want, size_t len)
{
	uint8_t *back = malloc(len + 1);
	z_stream zs = { 0 };
	int ok;

	if (!back || inflateInit2(&zs, 15 + 16) != Z_OK) {
		free(back);
		return 0;
	}
	zs.next_in = (Bytef *)(uintptr_t)gz;
	zs.avail_in = (uInt)gzlen;
	zs.next_out = back;
	zs.avail_out = (uInt)(len + 1);
	ok = inflate(&zs, Z_FINISH) == Z_STREAM_END && zs.total_out == len &&
	     memcmp(back, want, len) == 0;
	inflateEnd(&zs);
	free(back);
	return ok;
}

static double flash_s(size_t bytes)
{
	return (double)((bytes + 4095) / 4096) * SECTOR_MS / 1000.0;
}

int main(int argc, char **argv)
{
	int rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: gzipcmp FILE...\n");
		return 2;
	}
	printf("| %-28s | %9s | %-22s | %-22s | %-12s | %-19s |\n", "image", "bytes",
	       "zlib -9: bytes, s", "libdeflate 12: bytes, s", "bytes ratio",
	       "flash s (zlib/ld12)");
	printf("|------------------------------|-----------|------------------------|"
	       "------------------------|--------------|---------------------|\n");
	for (int i = 1; i < argc; i++) {
		struct file_buf fb;
		double tz[REPS], tl[REPS];
		size_t zl = 0, ll = 0;
		const char *name = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];

		if (file_read_all(argv[i], (size_t)64 << 20, &fb) != FILE_OK) {
			fprintf(stderr, "gzipcmp: cannot read '%s'\n", argv[i]);
			return 1;
		}
		for (int r = 0; r < REPS; r++) {
			uint8_t *z = NULL, *l = NULL;
			double t0 = now(), t1, t2;

			if (zlib9(fb.data, fb.len, &z, &zl) != 0) {
				fprintf(stderr, "gzipcmp: zlib failed on '%s'\n", argv[i]);
				return 1;
			}
			t1 = now();
			if (gzip_write(fb.data, fb.len, &l, &ll) != GZIP_WRITE_OK) {
				fprintf(stderr, "gzipcmp: libdeflate failed on '%s'\n", argv[i]);
				return 1;
			}
			t2 = now();
			tz[r] = t1 - t0;
			tl[r] = t2 - t1;
			if (r == 0 && (!inflates_to(z, zl, fb.data, fb.len) ||
			               !inflates_to(l, ll, fb.data, fb.len))) {
				fprintf(stderr, "gzipcmp: a stream of '%s' does not inflate back\n",
				        argv[i]);
				rc = 1;
			}
			free(z);
			free(l);
		}
		printf("| %-28s | %9zu | %9zu %7.3f s    | %9zu %7.3f s    | %6.4fx      | %6.2f / %6.2f (%.3fx) |\n",
		       name, fb.len, zl, median(tz, REPS), ll, median(tl, REPS),
		       (double)ll / (double)zl, flash_s(zl), flash_s(ll), flash_s(ll) / flash_s(zl));
		file_buf_free(&fb);
	}
	return rc;
}
