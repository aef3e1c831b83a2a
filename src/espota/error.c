/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "espota.h"

/* No default case: -Wall (-Wswitch) reports a code without a text. */
const char *espota_strerror(enum espota_error err)
{
	switch (err) {
	case ESPOTA_OK:
		return "success";
	case ESPOTA_ERR_USAGE:
		return "bad command line";
	case ESPOTA_ERR_FILE:
		return "cannot read the image";
	case ESPOTA_ERR_COMPRESS:
		return "cannot compress the image";
	case ESPOTA_ERR_RESOLVE:
		return "cannot resolve the device name";
	case ESPOTA_ERR_LISTEN:
		return "cannot listen on the host port";
	case ESPOTA_ERR_UDP:
		return "cannot send the invitation";
	case ESPOTA_ERR_NO_ANSWER:
		return "no answer to the invitation";
	case ESPOTA_ERR_BAD_ANSWER:
		return "unexpected answer to the invitation";
	case ESPOTA_ERR_BAD_NONCE:
		return "unexpected challenge from the device";
	case ESPOTA_ERR_AUTH_NO_ANSWER:
		return "no answer to the authentication";
	case ESPOTA_ERR_AUTH_FAILED:
		return "authentication failed";
	case ESPOTA_ERR_REFUSED:
		return "the device refused the update";
	case ESPOTA_ERR_NO_CONNECT:
		return "the device never connected back";
	case ESPOTA_ERR_DROPPED:
		return "the connection dropped during the upload";
	case ESPOTA_ERR_STALLED:
		return "the device stopped taking data";
	case ESPOTA_ERR_DEVICE:
		return "the device reported an error";
	case ESPOTA_ERR_NO_RESULT:
		return "no result from the device";
	case ESPOTA_ERR_NOMEM:
		return "out of memory";
	case ESPOTA_ERR_CRYPTO:
		return "libcrypto failed";
	case ESPOTA_ERR_PASSWORD:
		return "cannot read the password";
	}
	return "unknown error";
}

const char *espota_error_name(enum espota_error err)
{
	switch (err) {
	case ESPOTA_OK:
		return "ok";
	case ESPOTA_ERR_USAGE:
		return "usage";
	case ESPOTA_ERR_FILE:
		return "file";
	case ESPOTA_ERR_COMPRESS:
		return "compress";
	case ESPOTA_ERR_RESOLVE:
		return "resolve";
	case ESPOTA_ERR_LISTEN:
		return "listen";
	case ESPOTA_ERR_UDP:
		return "udp";
	case ESPOTA_ERR_NO_ANSWER:
		return "no_answer";
	case ESPOTA_ERR_BAD_ANSWER:
		return "bad_answer";
	case ESPOTA_ERR_BAD_NONCE:
		return "bad_nonce";
	case ESPOTA_ERR_AUTH_NO_ANSWER:
		return "auth_no_answer";
	case ESPOTA_ERR_AUTH_FAILED:
		return "auth_failed";
	case ESPOTA_ERR_REFUSED:
		return "refused";
	case ESPOTA_ERR_NO_CONNECT:
		return "no_connect";
	case ESPOTA_ERR_DROPPED:
		return "dropped";
	case ESPOTA_ERR_STALLED:
		return "stalled";
	case ESPOTA_ERR_DEVICE:
		return "device";
	case ESPOTA_ERR_NO_RESULT:
		return "no_result";
	case ESPOTA_ERR_NOMEM:
		return "nomem";
	case ESPOTA_ERR_CRYPTO:
		return "crypto";
	case ESPOTA_ERR_PASSWORD:
		return "password";
	}
	return "unknown";
}

const char *espota_auth_scheme_name(enum espota_auth_scheme s)
{
	switch (s) {
	case ESPOTA_AUTH_NONE:
		return "none";
	case ESPOTA_AUTH_MD5:
		return "md5";
	case ESPOTA_AUTH_SHA256:
		return "sha256";
	case ESPOTA_AUTH_SHA256_MD5:
		return "sha256-md5hash";
	}
	return "unknown";
}
