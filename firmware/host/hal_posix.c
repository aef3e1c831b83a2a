/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The POSIX port's life cycle: open the flash and RTC files, power cuts,
 * the reset request, close. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errbuf.h"
#include "hal_posix.h"
#include "hal_posix_state.h"

/* RTC memory as the chip finds it: the file's bytes, or zeros when the
 * file is absent (first power-on or after a power loss). */
static int rtc_load(struct hal *h, char *err, size_t errlen)
{
	int fd = open(h->rtc_path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	memset(h->rtc, 0, sizeof(h->rtc));
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		return errbuf_fail(err, errlen, "cannot open RTC memory file '%s': %s", h->rtc_path,
			    strerror(errno));
	}
	n = pread(fd, h->rtc, sizeof(h->rtc), 0);
	close(fd);
	if (n < 0)
		return errbuf_fail(err, errlen, "cannot read RTC memory file '%s': %s", h->rtc_path,
			    strerror(errno));
	return 0;
}

int hal_posix_open(struct hal **out, const struct hal_posix_config *cfg, char *err,
		   size_t errlen)
{
	struct hal *h;
	struct stat st;
	void *map;

	*out = NULL;
	if (!cfg->flash_path || !cfg->rtc_path)
		return errbuf_fail(err, errlen, "no flash or RTC memory file given");
	h = calloc(1, sizeof(*h));
	if (!h)
		return errbuf_fail(err, errlen, "out of memory");
	h->flash_fd = -1;
	h->rtc_path = strdup(cfg->rtc_path);
	if (!h->rtc_path) {
		free(h);
		return errbuf_fail(err, errlen, "out of memory");
	}
	h->flash_fd = open(cfg->flash_path, O_RDWR | O_CLOEXEC);
	if (h->flash_fd < 0) {
		errbuf_fail(err, errlen, "cannot open flash file '%s': %s", cfg->flash_path,
		     strerror(errno));
		goto bad;
	}
	if (fstat(h->flash_fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    st.st_size % HAL_FLASH_SECTOR != 0 || st.st_size > (off_t)UINT32_MAX) {
		errbuf_fail(err, errlen,
		     "flash file '%s' is not a flash image (a regular file, a whole number of "
		     "4096-byte sectors): create it with 'espota-device init'",
		     cfg->flash_path);
		goto bad;
	}
	h->flash_size = (uint32_t)st.st_size;
	map = mmap(NULL, h->flash_size, PROT_READ | PROT_WRITE, MAP_SHARED, h->flash_fd, 0);
	if (map == MAP_FAILED) {
		errbuf_fail(err, errlen, "cannot map flash file '%s': %s", cfg->flash_path,
		     strerror(errno));
		goto bad;
	}
	h->flash = map;
	if (rtc_load(h, err, errlen) < 0)
		goto bad;
	h->flash_timing = cfg->flash_timing_esp8266;
	h->power_cut_after = cfg->power_cut_after;
	h->power_cut_torn = cfg->power_cut_torn;
	h->console = cfg->console ? cfg->console : stderr;
	clock_gettime(CLOCK_MONOTONIC, &h->epoch);
	*out = h;
	return 0;
bad:
	hal_posix_close(h);
	return -1;
}

void hal_posix_close(struct hal *h)
{
	if (!h)
		return;
	if (h->net && h->net_free)
		h->net_free(h->net);
	if (h->flash)
		munmap(h->flash, h->flash_size);
	if (h->flash_fd >= 0)
		close(h->flash_fd);
	free(h->rtc_path);
	free(h);
}

int hal_posix_create_flash(const char *path, uint32_t size, char *err, size_t errlen)
{
	uint8_t erased[HAL_FLASH_SECTOR];
	int fd;

	memset(erased, 0xFF, sizeof(erased));

	if (size == 0 || size % HAL_FLASH_SECTOR != 0)
		return errbuf_fail(err, errlen, "bad flash size %lu: use a multiple of 4096",
			    (unsigned long)size);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return errbuf_fail(err, errlen, "cannot create flash file '%s': %s", path,
			    strerror(errno));
	for (uint32_t off = 0; off < size; off += HAL_FLASH_SECTOR) {
		if (pwrite(fd, erased, sizeof(erased), off) != (ssize_t)sizeof(erased)) {
			errbuf_fail(err, errlen, "cannot write flash file '%s': %s", path,
			     strerror(errno ? errno : ENOSPC));
			close(fd);
			unlink(path);
			return -1;
		}
	}
	if (close(fd) < 0)
		return errbuf_fail(err, errlen, "cannot write flash file '%s': %s", path,
			    strerror(errno));
	return 0;
}

bool hal_posix_count_op(struct hal *h)
{
	h->flash_ops++;
	return h->power_cut_after > 0 && h->flash_ops == (unsigned long)h->power_cut_after;
}

void hal_posix_cut_power(struct hal *h)
{
	h->power_lost = true;
	memset(h->rtc, 0, sizeof(h->rtc));
	/* RTC RAM is volatile: without power nothing of it survives. */
	if (unlink(h->rtc_path) < 0 && errno != ENOENT) {
		int fd = open(h->rtc_path, O_WRONLY | O_TRUNC | O_CLOEXEC);

		if (fd >= 0)
			close(fd);
	}
}

bool hal_posix_power_lost(const struct hal *h)
{
	return h->power_lost;
}

unsigned long hal_posix_flash_ops(const struct hal *h)
{
	return h->flash_ops;
}

bool hal_posix_reset_requested(const struct hal *h)
{
	return h->reset_requested;
}

void hal_posix_clear_reset(struct hal *h)
{
	h->reset_requested = false;
}

void hal_request_reset(struct hal *h)
{
	h->reset_requested = true;
}
