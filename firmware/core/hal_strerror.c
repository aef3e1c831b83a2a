/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The words for hal.h's codes, so that no message says "HAL error -2". */
#include "hal.h"

const char *hal_strerror(int status)
{
	switch ((enum hal_status)status) {
	case HAL_OK:
		return "success";
	case HAL_EIO:
		return "flash or socket operation failed";
	case HAL_EALIGN:
		return "address or length not aligned as the flash requires";
	case HAL_ERANGE:
		return "address outside the device's flash";
	case HAL_EAGAIN:
		return "nothing available yet";
	case HAL_ECLOSED:
		return "connection closed by the peer";
	case HAL_EPOWER:
		return "power lost";
	}
	return "unknown HAL error";
}
