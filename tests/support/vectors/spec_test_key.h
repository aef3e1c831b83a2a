/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The worked example of docs/protocol/signed-image-format.md §8, shared by every
 * test that needs it: its TEST ONLY RSA-2048 key pair (PKCS#8 private key,
 * SubjectPublicKeyInfo public key) and its 4096-byte payload.
 */
#ifndef ESPOTA_TEST_SPEC_TEST_KEY_H
#define ESPOTA_TEST_SPEC_TEST_KEY_H

#include <stddef.h>
#include <stdint.h>

static const char spec_private_key[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIIEvwIBADANBgkqhkiG9w0BAQEFAASCBKkwggSlAgEAAoIBAQDRyDTXTYrzufxC\n"
    "bKVCZUu8ivoK73FMHx9hCgjgaLScWsSHPw15lCHQjobihPZiMGYBY2UBHqJvST9V\n"
    "jDXK0lAXim6FSwBOeomE6Y4sAd3v2ZcEENQDUClKO3CtDQfKlUs+zVcKx54DsWX8\n"
    "ggwoi8MAYZgwUZCgoqF5wB1tSnCFn8hZSgbRtn4eGOi4YjA/G2y71JRyaulyDD5D\n"
    "BqBT0jeP0DQiy0miIUQn4s6k0onl6T9Hij+quaC8iymsT6ifyVLIfWwSK5uaO8UB\n"
    "N+iJCdrgSZjTr68Rey33bWFA14bVcoerFMWAHYTo5IH4U3vX+Fw9mT/5Kmulqedj\n"
    "uEWLUjVHAgMBAAECggEAFDaLi4iX2uQQv6sNlq2BSVQaw52j97Gyqab4iVGNatip\n"
    "bF6m7bqth2re6Z87c4/g7uv6JMwkL+o0MAn9JOMe1Hss1asPBytyFLHBq9Es5poQ\n"
    "nakBb1BJ/4e6qPHtzkHpqM4gP5RRpV7HyjdoSdUtn4ZyeOANuhdGzR8LDCd1Wr/d\n"
    "411Ii5dP4lWhIkuvqVXYd0Ej1qd7FhaQUc897VaGjdC+yvi97q0yPZNWLMwCr0Rq\n"
    "wkl1QxoxqqRNKgtIk5GsFhGjsDk4BAkQcJFNTbDBmWzxl3/GAKqvJ1WhQ9bOCpBD\n"
    "r2KbzKqlYYzFyYpxY4ZKt0A7ZbPpW9zvn2DZhHqwAQKBgQDsPlMwQy9jQvtPSrE+\n"
    "SecshYL5puFGeRFiikAm6Y5YmAQkQLuVSiI5wObgl0GFfemdz0yocJwLhl5rWMSr\n"
    "DE0jj1q9nE6TmhdK3qkfItpy7Olhg4i1zeELFfRd+hQVI93fd5OMWIILpi73lf7T\n"
    "Bx1Z9M4d7MIVU5ABZXvL4R2ZGwKBgQDjU2BNHasuI/kiZ4zB+HC35baPc7o29oje\n"
    "aMsGhtdjjHljhCJe2pJ2gZGdnXpV5R219GTaLWF/ZNoMco1DPodxEk8K7OhfdpXP\n"
    "JmEJAfCEFBVkGx+5PwihSRAD+T9CgMjWDaDFE3RBajB8gaw3Yn11aTbq45Ia3tGm\n"
    "JHzDZQ/jRQKBgQDIzxVxMbqnGjl6JdhRRQpuqrIxOWvFtoVTiIaNTPvFTLpAgpGw\n"
    "jYpYIyNdBtUX/nZEwP+9MbNCjJ3Xi2XoqxUqw+DyyVl1V4azCl8ha0Paaozaaa8c\n"
    "Mns3LBtCgp7tdUZUfFT7+APamRDVPTeU8zg8zb0ibKxw6k2/Eh9PpvO8vwKBgQCL\n"
    "R9hnJ1hsisnoVH2fkvKtGefC+OsNJfwyGQ7bzt5FNhph6OGOMGkwhq6LXaNI4XpU\n"
    "s4rfSpLEFSysF7uJidQ+aTNYxFKTuvqK0z78391Xb16z2RKU05QcDcHsTVh/DJ0A\n"
    "2ZS5avP96GwQvPqhbIzl1TM6s3gfUootO4ndxhv36QKBgQDjEiCYGlqXyEZZIXwF\n"
    "Yd4GXpyYkyQ6bO00izD8y3VKwygO89VIhYetmox96Jh4p/M4sDW+kU1I7uqED68U\n"
    "qvTEOnbNTs/D2465fQo37Ji/ddhRfHTZMK7GY9DR+okclZ2ur9+pzvG/AhZxbGgR\n"
    "k1bi9ziGiblRHvbJQ6qBSuHHEw==\n"
    "-----END PRIVATE KEY-----\n";

static const char spec_public_key[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA0cg0102K87n8QmylQmVL\n"
    "vIr6Cu9xTB8fYQoI4Gi0nFrEhz8NeZQh0I6G4oT2YjBmAWNlAR6ib0k/VYw1ytJQ\n"
    "F4puhUsATnqJhOmOLAHd79mXBBDUA1ApSjtwrQ0HypVLPs1XCseeA7Fl/IIMKIvD\n"
    "AGGYMFGQoKKhecAdbUpwhZ/IWUoG0bZ+HhjouGIwPxtsu9SUcmrpcgw+QwagU9I3\n"
    "j9A0IstJoiFEJ+LOpNKJ5ek/R4o/qrmgvIsprE+on8lSyH1sEiubmjvFATfoiQna\n"
    "4EmY06+vEXst921hQNeG1XKHqxTFgB2E6OSB+FN71/hcPZk/+SprpannY7hFi1I1\n"
    "RwIDAQAB\n"
    "-----END PUBLIC KEY-----\n";

/* test.bin: E9 01 02 20, then i & 0xff for i = 0..4091. */

/* test.bin: E9 01 02 20, then i & 0xff for i = 0..4091. */
static inline void spec_payload(uint8_t out[4096])
{
	out[0] = 0xE9;
	out[1] = 0x01;
	out[2] = 0x02;
	out[3] = 0x20;
	for (size_t i = 0; i < 4092; i++)
		out[4 + i] = (uint8_t)(i & 0xff);
}

#endif
