/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The texts of eboot's statuses, apart from eboot.c so that the boot
 * sector, which prints only digits, does not carry them. */
#include "eboot.h"

const char *eboot_strerror(enum eboot_status st)
{
	switch (st) {
	case EBOOT_OK:
		return "ok";
	case EBOOT_EALIGN:
		return "install refused: staged image or destination not sector aligned; upload again "
		       "with an Updater that stages on sector boundaries";
	case EBOOT_EERASE:
		return "install failed: flash erase failed; the install resumes at the next boot";
	case EBOOT_EREAD:
		return "install failed: flash read failed; the install resumes at the next boot";
	case EBOOT_EWRITE:
		return "install failed: flash write failed; the install resumes at the next boot";
	case EBOOT_EHEADER:
		return "install refused: bad gzip header in the staged image; upload it again";
	case EBOOT_EINFLATE:
		return "install refused: corrupt gzip data in the staged image; upload it again";
	case EBOOT_ERANGE:
		return "install refused: image would run past the chip or over the staged upload; "
		       "upload a smaller image";
	case EBOOT_EVERIFY:
		return "install failed: staged image or copy fails its CRC; refused if nothing was "
		       "written yet (upload again), else retried at the next boot";
	case EBOOT_EPOWER:
		return "install interrupted: power lost; the install resumes at the next boot";
	case EBOOT_EACTION:
		return "boot command refused: unknown action in RTC memory; the app boots as usual";
	}
	return "unknown eboot status";
}
