/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The web updater's login, Basic and Digest, checked against credentials
 * computed with the host's libcrypto (MD5, base64). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_auth.h"
#include "test_device.h"

struct rig {
	struct test_device dev;
	struct hal *h;
	struct http_auth a;
};

static int rig_setup(void **state)
{
	struct rig *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	test_device_open(&r->dev, "http-auth", 1 << 20);
	r->h = r->dev.h;
	assert_true(http_auth_init(&r->a, r->h, "admin", "s3cret:pw"));
	*state = r;
	return 0;
}

static int rig_teardown(void **state)
{
	struct rig *r = *state;

	test_device_close(&r->dev);
	free(r);
	return 0;
}

static void md5hex(const char *s, char out[33])
{
	unsigned char d[16];
	unsigned int n = 0;

	EVP_Digest(s, strlen(s), d, &n, EVP_md5(), NULL);
	for (int i = 0; i < 16; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void basic(const char *userpass, char *out)
{
	strcpy(out, "Basic ");
	EVP_EncodeBlock((unsigned char *)out + 6, (const unsigned char *)userpass, (int)strlen(userpass));
}

static void basic_login(void **state)
{
	struct rig *r = *state;
	char h[256];

	assert_true(http_auth_required(&r->a));
	basic("admin:s3cret:pw", h);
	assert_true(http_auth_check(&r->a, h, "POST", "/update"));
	h[0] = 'b'; /* the scheme in any letter case */
	assert_true(http_auth_check(&r->a, h, "POST", "/update"));
	basic("admin:s3cret:pX", h);
	assert_false(http_auth_check(&r->a, h, "POST", "/update"));
	basic("admin:s3cret:pw2", h);
	assert_false(http_auth_check(&r->a, h, "POST", "/update"));
	basic("admin:s3cret:p", h);
	assert_false(http_auth_check(&r->a, h, "POST", "/update"));
	basic("Admin:s3cret:pw", h);
	assert_false(http_auth_check(&r->a, h, "POST", "/update"));
	assert_false(http_auth_check(&r->a, "Basic !!!!", "POST", "/update"));
	assert_false(http_auth_check(&r->a, "", "POST", "/update"));
	assert_false(http_auth_check(&r->a, "Bearer xyz", "POST", "/update"));
	/* "admin:s3cret:pw" with a NUL inside */
	memcpy(h, "Basic ", 6);
	EVP_EncodeBlock((unsigned char *)h + 6, (const unsigned char *)"admin:s3cret:pw\0x", 17);
	assert_false(http_auth_check(&r->a, h, "POST", "/update"));
}

/* A Digest Authorization value as curl --digest writes it. */
static void digest_header(const struct http_auth *a, const char *user, const char *password,
			  const char *method, const char *uri, bool qop, char *out, size_t cap)
{
	char ha1[33], ha2[33], resp[33], buf[512];

	snprintf(buf, sizeof(buf), "%s:%s:%s", user, HTTP_AUTH_REALM, password);
	md5hex(buf, ha1);
	snprintf(buf, sizeof(buf), "%s:%s", method, uri);
	md5hex(buf, ha2);
	if (qop)
		snprintf(buf, sizeof(buf), "%s:%s:00000001:0a4f113b:auth:%s", ha1, a->nonce, ha2);
	else
		snprintf(buf, sizeof(buf), "%s:%s:%s", ha1, a->nonce, ha2);
	md5hex(buf, resp);
	if (qop)
		snprintf(out, cap,
			 "Digest username=\"%s\", realm=\"%s\", nonce=\"%s\", uri=\"%s\", "
			 "cnonce=\"0a4f113b\", nc=00000001, qop=auth, response=\"%s\", opaque=\"%s\", "
			 "algorithm=MD5",
			 user, HTTP_AUTH_REALM, a->nonce, uri, resp, a->opaque);
	else
		snprintf(out, cap, "Digest username=\"%s\",realm=\"%s\",nonce=\"%s\",uri=\"%s\",response=\"%s\"",
			 user, HTTP_AUTH_REALM, a->nonce, uri, resp);
}

static void digest_login(void **state)
{
	struct rig *r = *state;
	char h[640], *p;

	digest_header(&r->a, "admin", "s3cret:pw", "POST", "/update?mode=firmware", true, h, sizeof(h));
	assert_true(http_auth_check(&r->a, h, "POST", "/update?mode=firmware"));
	assert_false(http_auth_check(&r->a, h, "GET", "/update?mode=firmware")); /* method in HA2 */
	assert_false(http_auth_check(&r->a, h, "POST", "/update")); /* another uri */
	/* upper-case hex in the response is the same response */
	p = strstr(h, "response=\"") + 10;
	for (int i = 0; i < 32; i++)
		if (p[i] >= 'a' && p[i] <= 'f')
			p[i] = (char)(p[i] - 'a' + 'A');
	assert_true(http_auth_check(&r->a, h, "POST", "/update?mode=firmware"));
	p[0] = p[0] == '0' ? '1' : '0';
	assert_false(http_auth_check(&r->a, h, "POST", "/update?mode=firmware"));

	digest_header(&r->a, "admin", "s3cret:pw", "GET", "/update", false, h, sizeof(h));
	assert_true(http_auth_check(&r->a, h, "GET", "/update")); /* RFC 2069, no qop */
	digest_header(&r->a, "admin", "wrong", "GET", "/update", true, h, sizeof(h));
	assert_false(http_auth_check(&r->a, h, "GET", "/update"));
	digest_header(&r->a, "root", "s3cret:pw", "GET", "/update", true, h, sizeof(h));
	assert_false(http_auth_check(&r->a, h, "GET", "/update"));

	/* a nonce we no longer offer */
	digest_header(&r->a, "admin", "s3cret:pw", "GET", "/update", true, h, sizeof(h));
	http_auth_renew(&r->a, r->h);
	assert_false(http_auth_check(&r->a, h, "GET", "/update"));
	digest_header(&r->a, "admin", "s3cret:pw", "GET", "/update", true, h, sizeof(h));
	assert_true(http_auth_check(&r->a, h, "GET", "/update"));
	/* another algorithm, or a value too long for its field */
	strcpy(strstr(h, "algorithm=MD5"), "algorithm=SHA-256");
	assert_false(http_auth_check(&r->a, h, "GET", "/update"));
	assert_false(http_auth_check(&r->a, "Digest username=\"0123456789012345678901234567890123456789\"",
				    "GET", "/update"));
	assert_false(http_auth_check(&r->a, "Digest username", "GET", "/update"));
}

static void challenge_and_off(void **state)
{
	struct rig *r = *state;
	char c[400];
	struct http_auth off;

	assert_true(http_auth_challenge(&r->a, c, sizeof(c)) > 0);
	assert_non_null(strstr(c, "WWW-Authenticate: Basic realm=\"Login Required\"\r\n"));
	assert_non_null(strstr(c, "WWW-Authenticate: Digest realm=\"Login Required\", qop=\"auth\", nonce=\""));
	assert_non_null(strstr(c, r->a.nonce));
	assert_non_null(strstr(c, r->a.opaque));
	assert_int_equal(strlen(r->a.nonce), 32);
	assert_string_not_equal(r->a.nonce, r->a.opaque);
	assert_int_equal(http_auth_challenge(&r->a, c, 40), 0);

	/* as upstream: a user without a password (or the reverse) is no login */
	assert_true(http_auth_init(&off, r->h, "admin", ""));
	assert_false(http_auth_required(&off));
	assert_true(http_auth_check(&off, "", "POST", "/update"));
	assert_true(http_auth_init(&off, r->h, "", "pw"));
	assert_false(http_auth_required(&off));
	assert_false(http_auth_init(&off, r->h, "admin",
				    "01234567890123456789012345678901234567890123456789012345678901234"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(basic_login, rig_setup, rig_teardown),
		cmocka_unit_test_setup_teardown(digest_login, rig_setup, rig_teardown),
		cmocka_unit_test_setup_teardown(challenge_and_off, rig_setup, rig_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
