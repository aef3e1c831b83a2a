/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * RTC user memory: HAL_RTC_USER_SIZE bytes kept across resets and lost on
 * power loss. The port keeps a copy and writes every change through to a
 * file, so a reset (a new process) finds it and a power cut (the file
 * deleted) does not. As on the chip, offsets are in 4-byte words.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "hal_posix_state.h"

static int check_span(uint32_t offset, size_t len)
{
	if (offset % 4 != 0)
		return HAL_EALIGN;
	if (offset > HAL_RTC_USER_SIZE || len > HAL_RTC_USER_SIZE - offset)
		return HAL_ERANGE;
	return HAL_OK;
}

int hal_rtc_read(struct hal *h, uint32_t offset, void *buf, size_t len)
{
	int rc;

	if (h->power_lost)
		return HAL_EPOWER;
	rc = check_span(offset, len);
	if (rc != HAL_OK)
		return rc;
	memcpy(buf, h->rtc + offset, len);
	return HAL_OK;
}

int hal_rtc_write(struct hal *h, uint32_t offset, const void *buf, size_t len)
{
	ssize_t n;
	int fd;
	int rc;

	if (h->power_lost)
		return HAL_EPOWER;
	rc = check_span(offset, len);
	if (rc != HAL_OK)
		return rc;
	memcpy(h->rtc + offset, buf, len);
	fd = open(h->rtc_path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return HAL_EIO;
	n = pwrite(fd, h->rtc, sizeof(h->rtc), 0);
	if (close(fd) < 0 || n != (ssize_t)sizeof(h->rtc))
		return HAL_EIO;
	return HAL_OK;
}
