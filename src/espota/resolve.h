/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The device's IPv4 address from -i: a dotted quad, a .local name through
 * avahi (when the daemon runs), or any name through the system resolver. */
#ifndef ESPOTA_RESOLVE_H
#define ESPOTA_RESOLVE_H

#include <netinet/in.h>
#include <stddef.h>

#include "log.h"

int espota_resolve(const char *host, struct in_addr *out, const struct logger *log, char *err,
		   size_t errlen);

#endif
