#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The worked example of docs/protocol/signed-image-format.md §8: the embedded test key,
# the 4096-byte test payload and the sha256 of every output signing.py
# writes; the header against a reference built here with printf and xxd,
# its rewrite-only-if-changed rule and directory creation.
. "$SRC/tests/integration/lib.sh"

cd "$T_DIR" || exit 1

cat >private.key <<'KEY'
-----BEGIN PRIVATE KEY-----
MIIEvwIBADANBgkqhkiG9w0BAQEFAASCBKkwggSlAgEAAoIBAQDRyDTXTYrzufxC
bKVCZUu8ivoK73FMHx9hCgjgaLScWsSHPw15lCHQjobihPZiMGYBY2UBHqJvST9V
jDXK0lAXim6FSwBOeomE6Y4sAd3v2ZcEENQDUClKO3CtDQfKlUs+zVcKx54DsWX8
ggwoi8MAYZgwUZCgoqF5wB1tSnCFn8hZSgbRtn4eGOi4YjA/G2y71JRyaulyDD5D
BqBT0jeP0DQiy0miIUQn4s6k0onl6T9Hij+quaC8iymsT6ifyVLIfWwSK5uaO8UB
N+iJCdrgSZjTr68Rey33bWFA14bVcoerFMWAHYTo5IH4U3vX+Fw9mT/5Kmulqedj
uEWLUjVHAgMBAAECggEAFDaLi4iX2uQQv6sNlq2BSVQaw52j97Gyqab4iVGNatip
bF6m7bqth2re6Z87c4/g7uv6JMwkL+o0MAn9JOMe1Hss1asPBytyFLHBq9Es5poQ
nakBb1BJ/4e6qPHtzkHpqM4gP5RRpV7HyjdoSdUtn4ZyeOANuhdGzR8LDCd1Wr/d
411Ii5dP4lWhIkuvqVXYd0Ej1qd7FhaQUc897VaGjdC+yvi97q0yPZNWLMwCr0Rq
wkl1QxoxqqRNKgtIk5GsFhGjsDk4BAkQcJFNTbDBmWzxl3/GAKqvJ1WhQ9bOCpBD
r2KbzKqlYYzFyYpxY4ZKt0A7ZbPpW9zvn2DZhHqwAQKBgQDsPlMwQy9jQvtPSrE+
SecshYL5puFGeRFiikAm6Y5YmAQkQLuVSiI5wObgl0GFfemdz0yocJwLhl5rWMSr
DE0jj1q9nE6TmhdK3qkfItpy7Olhg4i1zeELFfRd+hQVI93fd5OMWIILpi73lf7T
Bx1Z9M4d7MIVU5ABZXvL4R2ZGwKBgQDjU2BNHasuI/kiZ4zB+HC35baPc7o29oje
aMsGhtdjjHljhCJe2pJ2gZGdnXpV5R219GTaLWF/ZNoMco1DPodxEk8K7OhfdpXP
JmEJAfCEFBVkGx+5PwihSRAD+T9CgMjWDaDFE3RBajB8gaw3Yn11aTbq45Ia3tGm
JHzDZQ/jRQKBgQDIzxVxMbqnGjl6JdhRRQpuqrIxOWvFtoVTiIaNTPvFTLpAgpGw
jYpYIyNdBtUX/nZEwP+9MbNCjJ3Xi2XoqxUqw+DyyVl1V4azCl8ha0Paaozaaa8c
Mns3LBtCgp7tdUZUfFT7+APamRDVPTeU8zg8zb0ibKxw6k2/Eh9PpvO8vwKBgQCL
R9hnJ1hsisnoVH2fkvKtGefC+OsNJfwyGQ7bzt5FNhph6OGOMGkwhq6LXaNI4XpU
s4rfSpLEFSysF7uJidQ+aTNYxFKTuvqK0z78391Xb16z2RKU05QcDcHsTVh/DJ0A
2ZS5avP96GwQvPqhbIzl1TM6s3gfUootO4ndxhv36QKBgQDjEiCYGlqXyEZZIXwF
Yd4GXpyYkyQ6bO00izD8y3VKwygO89VIhYetmox96Jh4p/M4sDW+kU1I7uqED68U
qvTEOnbNTs/D2465fQo37Ji/ddhRfHTZMK7GY9DR+okclZ2ur9+pzvG/AhZxbGgR
k1bi9ziGiblRHvbJQ6qBSuHHEw==
-----END PRIVATE KEY-----
KEY
cat >public.key <<'KEY'
-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA0cg0102K87n8QmylQmVL
vIr6Cu9xTB8fYQoI4Gi0nFrEhz8NeZQh0I6G4oT2YjBmAWNlAR6ib0k/VYw1ytJQ
F4puhUsATnqJhOmOLAHd79mXBBDUA1ApSjtwrQ0HypVLPs1XCseeA7Fl/IIMKIvD
AGGYMFGQoKKhecAdbUpwhZ/IWUoG0bZ+HhjouGIwPxtsu9SUcmrpcgw+QwagU9I3
j9A0IstJoiFEJ+LOpNKJ5ek/R4o/qrmgvIsprE+on8lSyH1sEiubmjvFATfoiQna
4EmY06+vEXst921hQNeG1XKHqxTFgB2E6OSB+FN71/hcPZk/+SprpannY7hFi1I1
RwIDAQAB
-----END PUBLIC KEY-----
KEY

# test.bin: E9 01 02 20, then i & 0xff for i = 0..4091
{
	printf 'e9010220'
	for ((i = 0; i < 4092; i++)); do printf '%02x' $((i & 255)); done
} | xxd -r -p >test.bin

sha() { sha256sum "$1" | cut -d' ' -f1; }
check "test.bin is the spec payload" [ "$(sha test.bin)" = b20599e675de412a4165fd57d08df539d70dd0fc857322262d7aa2c229b3d234 ]
check "public.key is 451 bytes" [ "$(stat -c %s public.key)" -eq 451 ]

expect_success "sign the spec payload in both formats" \
	"$SIGN" --mode sign --privatekey private.key --bin test.bin --out test.bin.signed \
	--legacy test.bin.legacy_sig 2>/dev/null
check "test.bin.signed is 4356 bytes" [ "$(stat -c %s test.bin.signed)" -eq 4356 ]
check "test.bin.signed sha256" [ "$(sha test.bin.signed)" = 1157ae0605b163dfab6600031fe2ce9bd507eabd7003e9889b1dfee30a171c0f ]
check "test.bin.legacy_sig sha256" [ "$(sha test.bin.legacy_sig)" = 5f0e4c68bf40c7c5d10a269494853fa65746994f6b49f5e7563eff9769756c23 ]
head -c 4352 test.bin.signed | tail -c 256 >sig_new.bin
head -c 4352 test.bin.legacy_sig | tail -c 256 >sig_leg.bin
check "sig_new.bin sha256" [ "$(sha sig_new.bin)" = b8f4db3f5f9128a575d0e95921ca72e62372effd88349ab2baa35738fc5f61c1 ]
check "sig_leg.bin sha256" [ "$(sha sig_leg.bin)" = 1eb71de18c911cc54c1364559d87eaeaa4b21d122e94ebdb222ccc15ae50e6db ]
check "trailer 00 01 00 00" [ "$(tail -c 4 test.bin.signed | xxd -p)" = 00010000 ]

# recovered blocks, as the spec shows them
openssl pkeyutl -verifyrecover -pubin -inkey public.key -pkeyopt rsa_padding_mode:none -in sig_new.bin -out rec_new 2>/dev/null
openssl pkeyutl -verifyrecover -pubin -inkey public.key -pkeyopt rsa_padding_mode:none -in sig_leg.bin -out rec_leg 2>/dev/null
check "current block: 00 01 ff .. 00 DigestInfo hash" \
	bash -c "xxd -p -c 256 rec_new | grep -q '^0001ffff.*ff003031300d060960864801650304020105000420b20599e6.*d234\$'"
check "legacy block: 00 01 ff .. 00 hash, no DigestInfo" \
	bash -c "xxd -p -c 256 rec_leg | grep -q '^0001ffff.*ffff00b20599e6.*d234\$'"

# --compress: gzip first (libdeflate level 12, never bigger than gzip -9),
# sign the .gz bytes (docs/protocol/signed-image-format.md §5)
expect_success "sign --compress" "$SIGN" -m sign -s private.key -b test.bin --compress 2>err
check "--compress without --out writes BIN.gz.signed" [ -f test.bin.gz.signed ]
check "and says so" [ "$(cat err)" = "Signed binary: test.bin.gz.signed" ]
gz9=$(gzip -9 -n -c test.bin | wc -c)
glen=$(($(stat -c %s test.bin.gz.signed) - 260))
check "compressed payload ($glen bytes) is no bigger than gzip -9 -n's ($gz9)" [ "$glen" -le "$gz9" ]
check "and is a gzip member" [ "$(head -c 2 test.bin.gz.signed | xxd -p)" = 1f8b ]
if [ "$(gzip --version | head -1)" = "gzip 1.12" ]; then
	# the spec's vector: signing.py on gzip -9 -n's stream; sign-bin signs a
	# .gz as it is
	gzip -9 -n -c test.bin >vec.bin.gz
	check "gzip -9 -n of test.bin (spec vector)" [ "$(sha vec.bin.gz)" = 35b8efc3229133fa59f54fdc455dd7e15e764688d89f44e77816110fbfc401b9 ]
	expect_success "sign the gzip -9 stream" "$SIGN" -m sign -s private.key -b vec.bin.gz -o vec.bin.gz.signed 2>err
	check "vec.bin.gz.signed is 590 bytes" [ "$(stat -c %s vec.bin.gz.signed)" -eq 590 ]
	check "test.bin.gz.signed sha256 (spec vector)" [ "$(sha vec.bin.gz.signed)" = 714550e8b1ec0553e2c87cad5d3eeb8bd0cf9fab189daf5c01b198a87aa78305 ]
fi
head -c "$glen" test.bin.gz.signed >payload.gz
check "payload inflates to test.bin" bash -c "gzip -dc payload.gz | cmp -s - test.bin"
openssl dgst -sha256 -sign private.key -out gz.sig payload.gz
check "signature covers the .gz bytes" bash -c "head -c $((glen + 256)) test.bin.gz.signed | tail -c 256 | cmp -s - gz.sig"
expect_exit 1 "--compress refuses an image that is gzip already" "$SIGN" -m sign -s private.key -b payload.gz --compress -o twice.signed 2>err
check "and says so" file_has err "refusing to compress 'payload.gz': it is gzip already"
check "nothing written" [ ! -e twice.signed ]
expect_success "--compress with --legacy" "$SIGN" -m sign -s private.key -b test.bin --compress -o c.signed -l c.legacy 2>/dev/null
check "legacy file carries the same gzip payload" cmp -s -n 330 c.legacy payload.gz
expect_success "which verifies as legacy" "$SIGN" -m verify -p public.key -b c.legacy >/dev/null
expect_success "sign --compress --out NAME" "$SIGN" -m sign -s private.key -b test.bin --compress -o named.gz.signed 2>/dev/null
check "--out names the compressed signed file" same_file named.gz.signed test.bin.gz.signed

# header: reference built with printf and xxd
{
	printf '#include <pgmspace.h>\n#define ARDUINO_SIGNING 1\nstatic const char signing_pubkey[] PROGMEM = {\n'
	xxd -p -c 1 public.key | sed 's/^/0x/; $!s/$/, /'
	printf '};\n'
} >ref.h
expect_success "header with the key" "$SIGN" --mode header --publickey public.key --out ./Updater_Signing.h 2>err
check "header equals the printf/xxd reference" same_file Updater_Signing.h ref.h
check "header is 3253 bytes" [ "$(stat -c %s Updater_Signing.h)" -eq 3253 ]
check "header sha256 (spec vector)" [ "$(sha Updater_Signing.h)" = 69b49384de46647608e37fd8ec4b29c6817f2ef92c31a9b8d5314db10ab17e1c ]
check "prints 'Enabling binary signing'" [ "$(cat err)" = "Enabling binary signing" ]

touch -d '2001-01-01 00:00:00' Updater_Signing.h
expect_success "header again, same key" "$SIGN" -m header -p public.key -o ./Updater_Signing.h 2>err
check "unchanged header keeps its mtime" [ "$(stat -c %Y Updater_Signing.h)" = "$(date -d '2001-01-01 00:00:00' +%s)" ]
check "still prints 'Enabling binary signing'" [ "$(cat err)" = "Enabling binary signing" ]

expect_success "header without a key file" "$SIGN" -m header -p absent.key -o ./Updater_Signing.h 2>err
check "signing-off header is exactly one line" [ "$(cat Updater_Signing.h)" = "#define ARDUINO_SIGNING 0" ]
check "signing-off header sha256 (spec vector)" [ "$(sha Updater_Signing.h)" = b9b65037509ca53d10005a31c22a2c5c0a06a714b91b411bd37827dfc1de046e ]
check "nothing printed when signing is off" [ ! -s err ]
check "a changed header gets a new mtime" [ "$(stat -c %Y Updater_Signing.h)" != "$(date -d '2001-01-01 00:00:00' +%s)" ]

expect_success "header into a directory that does not exist yet" \
	"$SIGN" -m header -p public.key -o build/core/deep/Updater_Signing.h 2>/dev/null
check "directories created, header written" same_file build/core/deep/Updater_Signing.h ref.h
expect_success "header --out without a directory part (signing.py crashes here)" \
	"$SIGN" -m header -p public.key -o plain.h 2>/dev/null
check "written in the current directory" same_file plain.h ref.h

# the IDE recipes of platform.txt, sign-bin in place of python3 signing.py
mkdir -p sketch build/core
cp private.key public.key sketch/
cp test.bin build/sketch.ino.bin
expect_success "IDE prebuild hook" "$SIGN" --mode header --publickey sketch/public.key --out build/core/Updater_Signing.h 2>/dev/null
expect_success "IDE post-elf2bin hook" "$SIGN" --mode sign --privatekey sketch/private.key \
	--bin build/sketch.ino.bin --out build/sketch.ino.bin.signed --legacy build/sketch.ino.bin.legacy_sig 2>/dev/null
check "IDE hook output equals the spec vector" same_file build/sketch.ino.bin.signed test.bin.signed
rm sketch/private.key
expect_exit 0 "no private key: exit 0 (IDE runs this for every sketch)" "$SIGN" --mode sign \
	--privatekey sketch/private.key --bin build/sketch.ino.bin --out build/other.signed 2>err
check "no private key: nothing written" [ ! -e build/other.signed ]
check "no private key: nothing printed" [ ! -s err ]
expect_exit 0 "no private key with -v" "$SIGN" -v --mode sign \
	--privatekey sketch/private.key --bin build/sketch.ino.bin --out build/other.signed 2>err
check "-v says why nothing was signed" file_has err "private key 'sketch/private.key' does not exist"
# the key file is embedded unchecked, as signing.py does, but a private key
# or a non-key there gets a warning
{
	printf '#include <pgmspace.h>\n#define ARDUINO_SIGNING 1\nstatic const char signing_pubkey[] PROGMEM = {\n'
	xxd -p -c 1 private.key | sed 's/^/0x/; $!s/$/, /'
	printf '};\n'
} >ref_priv.h
expect_success "header with a private key in --publickey" "$SIGN" -m header -p private.key -o priv.h 2>err
check "still the signing.py bytes" same_file priv.h ref_priv.h
check "warns that a private key is built in" file_has err "warning: 'private.key' holds a PRIVATE key"
expect_success "header with a non-key in --publickey" "$SIGN" -m header -p test.bin -o bin.h 2>err
check "warns that it is not a public key" file_has err "warning: 'test.bin' is not a PEM public key"
expect_success "header with the public key" "$SIGN" -m header -p public.key -o pub.h 2>err
check "no warning for a real public key" file_lacks err warning
done_testing
