/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The message for a command line getopt_long refused. glibc's own message
 * repeats the whole argument, so a mistyped "--aut=SECRET" would print the
 * password: every tool sets opterr = 0, starts its optstring with ':' and
 * reports through here, which names the option and never its value.
 */
#ifndef ESPOTA_COMMON_CLIOPT_H
#define ESPOTA_COMMON_CLIOPT_H

#include <getopt.h>
#include <stdio.h>

/* Writes "PROG: <what is wrong with which option>" and a pointer to
 * --help to f. ret is what getopt_long returned ('?' or ':'); argv and
 * longopts are what it was given. Reads optind and optopt as getopt_long
 * left them. */
void cliopt_complain(FILE *f, const char *prog, int ret, char *const argv[],
		     const struct option *longopts);
/* The same message without "PROG: " and the --help line, into buf (for a
 * tool that also reports it elsewhere, e.g. in JSON). */
void cliopt_message(char *buf, size_t len, int ret, char *const argv[],
		    const struct option *longopts);

#endif
