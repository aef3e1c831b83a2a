/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Randomness from the OS and the serial console. */
#include <errno.h>
#include <sys/random.h>

#include "hal_posix_state.h"

int hal_random(struct hal *h, void *buf, size_t len)
{
	unsigned char *p = buf;

	(void)h;
	while (len > 0) {
		ssize_t n = getrandom(p, len, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return HAL_EIO;
		}
		p += n;
		len -= (size_t)n;
	}
	return HAL_OK;
}

void hal_console(struct hal *h, const char *text, size_t len)
{
	fwrite(text, 1, len, h->console);
	fflush(h->console);
}
