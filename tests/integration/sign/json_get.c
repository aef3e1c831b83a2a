/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sign-json-get FILE PATH: prints the JSON value at a dotted PATH
 * ("signature.length", "app.segments.0.size") so shell tests can check
 * sign-bin --json output without another tool. Strings print bare,
 * other values as compact JSON; a missing path exits 1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

int main(int argc, char **argv)
{
	json_error_t jerr;
	json_t *root, *v;
	char *path, *tok, *save = NULL;

	if (argc != 3) {
		fputs("usage: sign-json-get FILE PATH\n", stderr);
		return 2;
	}
	root = json_load_file(argv[1], 0, &jerr);
	if (!root) {
		fprintf(stderr, "sign-json-get: cannot parse '%s': %s (line %d)\n", argv[1],
		        jerr.text, jerr.line);
		return 2;
	}
	path = strdup(argv[2]);
	v = root;
	for (tok = strtok_r(path, ".", &save); v && tok; tok = strtok_r(NULL, ".", &save))
		v = json_is_array(v) ? json_array_get(v, strtoul(tok, NULL, 10))
		                     : json_object_get(v, tok);
	free(path);
	if (!v) {
		fprintf(stderr, "sign-json-get: no '%s' in '%s'\n", argv[2], argv[1]);
		json_decref(root);
		return 1;
	}
	if (json_is_string(v)) {
		puts(json_string_value(v));
	} else {
		char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

		puts(s ? s : "");
		free(s);
	}
	json_decref(root);
	return 0;
}
