/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* json-get FILE PATH: prints the JSON value at a dotted PATH
 * ("signature.length", "app.segments.0.size") of FILE ("-" reads stdin),
 * so shell tests read the tools' --json output with a JSON parser and
 * not with sed. Strings print bare, other values as compact JSON (null,
 * true, 42, {"a":1}); a missing path exits 1, unreadable JSON exits 2. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

/* The element of ARRAY named by TOK, which must be a plain decimal index. */
static json_t *array_item(json_t *array, const char *tok)
{
	char *end;
	unsigned long i;

	if (*tok < '0' || *tok > '9')
		return NULL;
	errno = 0;
	i = strtoul(tok, &end, 10);
	if (errno || *end)
		return NULL;
	return json_array_get(array, i);
}

int main(int argc, char **argv)
{
	json_error_t jerr;
	json_t *root, *v;
	char *path, *tok, *save = NULL;
	int rc = 0;

	if (argc != 3) {
		fputs("usage: json-get FILE|- PATH\n", stderr);
		return 2;
	}
	root = strcmp(argv[1], "-") == 0 ? json_loadf(stdin, 0, &jerr)
	                                 : json_load_file(argv[1], 0, &jerr);
	if (!root) {
		fprintf(stderr, "json-get: cannot parse '%s': %s (line %d)\n", argv[1], jerr.text,
		        jerr.line);
		return 2;
	}
	path = strdup(argv[2]);
	if (!path) {
		fputs("json-get: out of memory\n", stderr);
		json_decref(root);
		return 2;
	}
	v = root;
	for (tok = strtok_r(path, ".", &save); v && tok; tok = strtok_r(NULL, ".", &save))
		v = json_is_array(v) ? array_item(v, tok) : json_object_get(v, tok);
	if (!v) {
		fprintf(stderr, "json-get: no '%s' in '%s'\n", argv[2], argv[1]);
		rc = 1;
	} else if (json_is_string(v)) {
		puts(json_string_value(v));
	} else {
		char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

		puts(s ? s : "");
		free(s);
	}
	free(path);
	json_decref(root);
	return rc;
}
