/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "http_auth.h"

#include <stddef.h>

#include "base64.h"
#include "fwmem.h"
#include "hal.h"
#include "http_request.h"
#include "md5.h"
#include "ota_auth.h"

#define DIGEST_VALUE_MAX 160u /* the longest Digest parameter kept (uri) */

/* True when s starts with the scheme word and a space (any letter case);
 * *rest is then the credentials. */
static bool scheme_is(const char *s, const char *scheme, const char **rest)
{
	while (*scheme && fw_ascii_lower(*s) == fw_ascii_lower(*scheme)) {
		s++;
		scheme++;
	}
	if (*scheme || *s != ' ')
		return false;
	while (*s == ' ')
		s++;
	*rest = s;
	return true;
}

/* Constant-time equality of two strings of which b is the secret side:
 * the time depends on b's length only. */
static bool secret_eq(const char *a, const char *b)
{
	size_t an = fw_strlen(a), bn = fw_strlen(b);
	unsigned diff = an != bn;

	for (size_t i = 0; i < bn; i++)
		diff |= (unsigned)((i < an ? a[i] : 0) ^ b[i]);
	return diff == 0;
}

static void random_hex(struct hal *h, char out[HTTP_AUTH_NONCE_HEX + 1])
{
	uint8_t r[HTTP_AUTH_NONCE_HEX / 2];

	(void)hal_random(h, r, sizeof(r));
	ota_hex_lower(r, sizeof(r), out);
}

bool http_auth_init(struct http_auth *a, struct hal *h, const char *user, const char *password)
{
	size_t un = fw_strlen(user), pn = fw_strlen(password);

	fw_memset(a, 0, sizeof(*a));
	if (un > HTTP_AUTH_USER_MAX || pn > HTTP_AUTH_PASSWORD_MAX)
		return false;
	fw_memcpy(a->user, user, un + 1);
	fw_memcpy(a->password, password, pn + 1);
	http_auth_renew(a, h);
	return true;
}

bool http_auth_required(const struct http_auth *a)
{
	return a->user[0] != '\0' && a->password[0] != '\0';
}

void http_auth_renew(struct http_auth *a, struct hal *h)
{
	random_hex(h, a->nonce);
	random_hex(h, a->opaque);
}

static bool basic_ok(const struct http_auth *a, const char *cred)
{
	char want[HTTP_AUTH_USER_MAX + 1 + HTTP_AUTH_PASSWORD_MAX + 1];
	uint8_t got[sizeof(want)];
	size_t un = fw_strlen(a->user), pn = fw_strlen(a->password);
	long n = b64_decode(cred, fw_strlen(cred), got, sizeof(got) - 1);

	fw_memcpy(want, a->user, un);
	want[un] = ':';
	fw_memcpy(want + un + 1, a->password, pn + 1);
	if (n < 0)
		return false;
	got[n] = '\0';
	return fw_strlen((const char *)got) == (size_t)n && secret_eq((const char *)got, want);
}

/* The Digest parameters the check needs. */
struct digest {
	char username[HTTP_AUTH_USER_MAX + 1], realm[32], nonce[HTTP_AUTH_NONCE_HEX + 1];
	char uri[DIGEST_VALUE_MAX], response[33], qop[16], nc[16], cnonce[72];
	char opaque[HTTP_AUTH_NONCE_HEX + 1], algorithm[16];
};

/* Copies the value at *p (quoted with backslash escapes, or a token) into
 * out; false when it does not fit. */
static bool take_value(const char **p, char *out, size_t cap)
{
	const char *s = *p;
	size_t n = 0;
	bool quoted = *s == '"';

	if (quoted)
		s++;
	for (; *s; s++) {
		if (quoted && *s == '"') {
			s++;
			break;
		}
		if (!quoted && (*s == ',' || *s == ' ' || *s == '\t'))
			break;
		if (quoted && *s == '\\' && s[1])
			s++;
		if (n + 1 >= cap)
			return false;
		out[n++] = *s;
	}
	out[n] = '\0';
	*p = s;
	return true;
}

static bool parse_digest(const char *p, struct digest *d)
{
	static const struct {
		const char *key;
		size_t off, cap;
	} fields[] = {
#define F(name) { #name, offsetof(struct digest, name), sizeof(((struct digest *)0)->name) }
		F(username), F(realm), F(nonce), F(uri), F(response), F(qop), F(nc), F(cnonce),
		F(opaque), F(algorithm),
#undef F
	};

	fw_memset(d, 0, sizeof(*d));
	while (*p) {
		const char *k;
		size_t kn = 0;
		char skip[DIGEST_VALUE_MAX];
		char *out = skip;
		size_t cap = sizeof(skip);

		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (!*p)
			break;
		k = p;
		while (p[kn] && p[kn] != '=' && p[kn] != ' ')
			kn++;
		p += kn;
		while (*p == ' ')
			p++;
		if (*p != '=')
			return false;
		p++;
		while (*p == ' ')
			p++;
		for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
			if (fw_ascii_eq_n(fields[i].key, k, kn)) {
				out = (char *)d + fields[i].off;
				cap = fields[i].cap;
			}
		}
		if (!take_value(&p, out, cap))
			return false;
	}
	return true;
}

/* md5hex of the parts joined with ':'. */
static void md5_hex_joined(const char *const *parts, size_t n, char out[33])
{
	struct md5_ctx c;
	uint8_t sum[MD5_SIZE];

	md5_init(&c);
	for (size_t i = 0; i < n; i++) {
		if (i)
			md5_update(&c, ":", 1);
		md5_update(&c, parts[i], fw_strlen(parts[i]));
	}
	md5_out(&c, sum);
	ota_hex_lower(sum, sizeof(sum), out);
}

static bool digest_ok(const struct http_auth *a, const char *cred, const char *method,
		      const char *uri)
{
	struct digest d;
	char ha1[33], ha2[33], want[33];

	if (!parse_digest(cred, &d))
		return false;
	if (!secret_eq(d.username, a->user) || !secret_eq(d.nonce, a->nonce) ||
	    fw_strlen(d.realm) != sizeof(HTTP_AUTH_REALM) - 1 ||
	    fw_memcmp(d.realm, HTTP_AUTH_REALM, sizeof(HTTP_AUTH_REALM) - 1) != 0 ||
	    fw_strlen(d.uri) != fw_strlen(uri) || fw_memcmp(d.uri, uri, fw_strlen(uri)) != 0)
		return false;
	if (d.algorithm[0] && !http_token_eq(d.algorithm, "MD5"))
		return false;
	{
		const char *p1[] = { a->user, HTTP_AUTH_REALM, a->password };
		const char *p2[] = { method, d.uri };

		md5_hex_joined(p1, 3, ha1);
		md5_hex_joined(p2, 2, ha2);
	}
	if (d.qop[0]) {
		const char *p3[] = { ha1, d.nonce, d.nc, d.cnonce, d.qop, ha2 };

		if (!(fw_strlen(d.qop) == 4 && fw_memcmp(d.qop, "auth", 4) == 0) || !d.nc[0] ||
		    !d.cnonce[0])
			return false;
		md5_hex_joined(p3, 6, want);
	} else {
		const char *p3[] = { ha1, d.nonce, ha2 };

		md5_hex_joined(p3, 3, want);
	}
	for (size_t i = 0; d.response[i]; i++)
		d.response[i] = fw_ascii_lower(d.response[i]);
	return secret_eq(d.response, want);
}

bool http_auth_check(const struct http_auth *a, const char *authorization, const char *method,
		     const char *uri)
{
	const char *cred;

	if (!http_auth_required(a))
		return true;
	if (scheme_is(authorization, "Basic", &cred))
		return basic_ok(a, cred);
	if (scheme_is(authorization, "Digest", &cred))
		return digest_ok(a, cred, method, uri);
	return false;
}

size_t http_auth_challenge(const struct http_auth *a, char *out, size_t cap)
{
	static const char *const parts[] = {
		"WWW-Authenticate: Basic realm=\"" HTTP_AUTH_REALM "\"\r\n"
		"WWW-Authenticate: Digest realm=\"" HTTP_AUTH_REALM "\", qop=\"auth\", nonce=\"",
		NULL, "\", opaque=\"", NULL, "\"\r\n",
	};
	size_t n = 0;

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		const char *s = parts[i] ? parts[i] : i == 1 ? a->nonce : a->opaque;
		size_t len = fw_strlen(s);

		if (n + len + 1 > cap)
			return 0;
		fw_memcpy(out + n, s, len);
		n += len;
	}
	out[n] = '\0';
	return n;
}
