/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A minimal DER reader: enough to walk a public key's SEQUENCEs. */
#ifndef ESPOTA_FW_ASN1_DER_H
#define ESPOTA_FW_ASN1_DER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DER_INTEGER 0x02
#define DER_BIT_STRING 0x03
#define DER_NULL 0x05
#define DER_OID 0x06
#define DER_SEQUENCE 0x30

/* A window on DER bytes; reading advances it. */
struct der_cursor {
	const uint8_t *p;
	size_t len;
};

/* Reads one element with the given tag: *body gets its contents and the
 * cursor moves past it. False (cursor unchanged) if the tag differs, the
 * length is not in definite short/long form up to 3 bytes, or the element
 * runs past the cursor's end. */
bool der_read(struct der_cursor *c, uint8_t tag, struct der_cursor *body);

/* The tag of the next element, or -1 at the end. */
int der_peek_tag(const struct der_cursor *c);

#endif
