/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The two datagrams the OTA agent reads, parsed with exactly the tolerance
 * of ArduinoOTA's reader (docs/protocol/ota-protocol.md §3.1, §5):
 *
 *   invitation  "<command> <host port> <size> <md5>\n"
 *   auth reply  "200 <cnonce> <response>\n"
 *
 * Numbers: spaces skipped, up to 15 digits read up to the first non-digit
 * (16 digits in a row read as 0), no digits read as 0. Nothing else is
 * validated: the md5 field is not checked for hex, a refused datagram gets
 * no reply.
 */
#ifndef ESPOTA_FW_OTA_INVITE_H
#define ESPOTA_FW_OTA_INVITE_H

#include <stddef.h>
#include <stdint.h>

#include "ota_auth.h"

#define OTA_MD5_HEX 32u

struct ota_invite {
	int32_t command;    /* 0 (U_FLASH) or 100 (U_FS) */
	uint16_t host_port; /* TCP port to connect back to */
	uint32_t size;      /* bytes announced */
	char md5[OTA_MD5_HEX + 1];
};

struct ota_auth_reply {
	char cnonce[OTA_AUTH_HEX_MAX + 1];
	char response[OTA_AUTH_HEX_MAX + 1];
	size_t response_len;
};

enum ota_parse {
	OTA_PARSE_OK = 0,
	OTA_PARSE_COMMAND = 1, /* first number is not a command accepted here */
	OTA_PARSE_LENGTH = 2,  /* md5 / cnonce / response of the wrong length */
};

/* A read position in one datagram, as the device's UDP stream sees it. */
struct ota_cursor {
	const uint8_t *data;
	size_t len;
	size_t pos;
};

/* The device's parseInt(): clamps at INT32_MAX as atoi() does on the chip. */
int32_t ota_read_int(struct ota_cursor *c);

enum ota_parse ota_parse_invite(const uint8_t *data, size_t len, struct ota_invite *out);

/* hex_len: 32 (MD5 scheme) or 64 (SHA-256 scheme); cnonce and response
 * must both have that many characters. */
enum ota_parse ota_parse_auth(const uint8_t *data, size_t len, size_t hex_len,
			      struct ota_auth_reply *out);

#endif
