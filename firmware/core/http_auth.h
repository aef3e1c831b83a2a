/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The web updater's login: HTTP Basic and Digest (RFC 7616 with MD5, as
 * ESP8266WebServer accepts both; docs/protocol/http-update.md §B1). A
 * request passes when its Authorization header carries the configured
 * user and password by either scheme; the answer to one that does not
 * offers both challenges, so a client that only speaks Digest (curl
 * --digest) can log in too. Secrets are compared in constant time; the
 * Digest nonce comes from the HAL's random source and is replaced after
 * each 401.
 */
#ifndef ESPOTA_FW_HTTP_AUTH_H
#define ESPOTA_FW_HTTP_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP_AUTH_REALM "Login Required" /* ESP8266WebServer's default realm */
#define HTTP_AUTH_USER_MAX 32u
#define HTTP_AUTH_PASSWORD_MAX 64u
#define HTTP_AUTH_NONCE_HEX 32u

struct hal;

struct http_auth {
	char user[HTTP_AUTH_USER_MAX + 1];
	char password[HTTP_AUTH_PASSWORD_MAX + 1];
	char nonce[HTTP_AUTH_NONCE_HEX + 1];  /* the Digest nonce offered now */
	char opaque[HTTP_AUTH_NONCE_HEX + 1];
};

/* Sets the login; both empty (or either empty, as upstream) turns it off.
 * Returns false when a value is too long. */
bool http_auth_init(struct http_auth *a, struct hal *h, const char *user, const char *password);
bool http_auth_required(const struct http_auth *a);

/* True when authorization (the header's value, "" when absent) logs in
 * for a request with this method and request target (path?query as sent). */
bool http_auth_check(const struct http_auth *a, const char *authorization, const char *method,
		     const char *uri);

/* Draws a new Digest nonce and opaque (after a failed login). */
void http_auth_renew(struct http_auth *a, struct hal *h);

/* The two WWW-Authenticate header lines of a 401, CRLF-ended, into out
 * (cap bytes, NUL included). Returns the length, or 0 when cap is short. */
size_t http_auth_challenge(const struct http_auth *a, char *out, size_t cap);

#endif
