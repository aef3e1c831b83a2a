/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The OTA password of `espota-device init` and `run`, from the first
 * source given: the --password option, else the first line of the
 * --password-file, else the environment variable ESPOTA_DEVICE_PASSWORD
 * when set and not empty. The option's value should have been copied and
 * blanked in argv already, so ps never shows it.
 */
#ifndef ESPOTA_DEVICE_PASSWORD_H
#define ESPOTA_DEVICE_PASSWORD_H

#include "log.h"

#define DEVICE_PASSWORD_ENV "ESPOTA_DEVICE_PASSWORD"
#define DEVICE_PASSWORD_FILE_MAX 4096u /* bytes read from a password file */

/* *out: a copy of the password (free with device_password_free), or NULL
 * when no source gives one. option, file and env may each be NULL.
 * Returns 0, or -1 having logged why (the file unreadable or its first
 * line empty, out of memory). */
int device_password_pick(const char *option, const char *file, const char *env, char **out,
			 const struct logger *lg);

/* Copies a secret (NULL on no memory); device_password_free wipes it. */
char *device_password_copy(const char *s);
/* Wipes and frees a copy; NULL is fine. */
void device_password_free(char *pw);

#endif
