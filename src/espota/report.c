/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* --json: one object on stdout at the end, for scripts and CI. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "espota.h"

/* A JSON string of s; bytes that are not UTF-8 (a device's garbage, an odd
 * file name) become '?' rather than losing the whole field. */
static json_t *text(const char *s)
{
	json_t *j = json_string(s);
	char *copy;

	if (j)
		return j;
	copy = strdup(s);
	if (!copy)
		return json_null();
	for (char *p = copy; *p; p++)
		if ((unsigned char)*p >= 0x80)
			*p = '?';
	j = json_string(copy);
	free(copy);
	return j ? j : json_null();
}

int espota_result_json(const struct espota_result *r, FILE *out)
{
	json_t *o = json_object();
	int rc = -1;

	if (!o)
		return -1;
	json_object_set_new(o, "result", json_string(r->err == ESPOTA_OK ? "ok" : "error"));
	json_object_set_new(o, "exit_code", json_integer(espota_exit_status(r->err)));
	json_object_set_new(o, "error_code", json_integer(r->err));
	json_object_set_new(o, "error_name", json_string(espota_error_name(r->err)));
	json_object_set_new(o, "device", text(r->device_addr));
	json_object_set_new(o, "file", r->file[0] ? text(r->file) : json_null());
	json_object_set_new(o, "signed", json_boolean(r->signed_substituted));
	json_object_set_new(o, "compressed", json_boolean(r->compressed));
	json_object_set_new(o, "file_size", json_integer((json_int_t)r->file_size));
	json_object_set_new(o, "size", json_integer((json_int_t)r->size));
	json_object_set_new(o, "md5", r->md5[0] ? json_string(r->md5) : json_null());
	json_object_set_new(o, "bytes_sent", json_integer((json_int_t)r->bytes_sent));
	json_object_set_new(o, "seconds", json_real(r->seconds));
	json_object_set_new(o, "auth", json_string(espota_auth_scheme_name(r->auth)));
	json_object_set_new(o, "error", r->err == ESPOTA_OK ? json_null() : text(r->message));
	json_object_set_new(o, "device_text", r->device_text[0] ? text(r->device_text) : json_null());
	if (json_dumpf(o, out, JSON_COMPACT | JSON_REAL_PRECISION(6)) == 0 && fputc('\n', out) != EOF && fflush(out) == 0)
		rc = 0;
	json_decref(o);
	return rc;
}
