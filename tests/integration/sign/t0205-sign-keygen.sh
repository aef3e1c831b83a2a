#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# --mode keygen writes a PEM pair that openssl reads and that signs and
# verifies; the private key is mode 0600 and never overwritten.
. "$SRC/tests/integration/lib.sh"

cd "$T_DIR" || exit 1
umask 022
"$BIN/mkimage" -o app.bin --size 30000 --content sketch

for bits in 2048 3072 4096; do
	if [ $bits = 2048 ]; then
		expect_success "keygen with the default size" "$SIGN" -m keygen -s k$bits.key -p k$bits.pub
	else
		expect_success "keygen --bits $bits" "$SIGN" -m keygen -s k$bits.key -p k$bits.pub --bits $bits
	fi
	check "RSA-$bits: private key is mode 0600" [ "$(stat -c %a k$bits.key)" = 600 ]
	check "RSA-$bits: public key is mode 0644 (umask 022)" [ "$(stat -c %a k$bits.pub)" = 644 ]
	check "RSA-$bits: private key is PKCS#8 PEM, as openssl genrsa writes" \
		[ "$(head -1 k$bits.key)" = "-----BEGIN PRIVATE KEY-----" ]
	check "RSA-$bits: public key is SubjectPublicKeyInfo PEM" \
		[ "$(head -1 k$bits.pub)" = "-----BEGIN PUBLIC KEY-----" ]
	check "RSA-$bits: openssl checks the private key" \
		bash -c "openssl rsa -in k$bits.key -check -noout 2>/dev/null | grep -q 'RSA key ok'"
	check "RSA-$bits: openssl sees $bits bits" \
		bash -c "openssl rsa -in k$bits.key -text -noout 2>/dev/null | grep -q 'Private-Key: ($bits bit'"
	openssl rsa -in k$bits.key -pubout -out derived$bits.pub 2>/dev/null
	check "RSA-$bits: the public key is what openssl rsa -pubout derives" same_file k$bits.pub derived$bits.pub
	"$SIGN" -m sign -s k$bits.key -b app.bin -o app$bits.signed 2>/dev/null
	expect_success "RSA-$bits: the pair signs and verifies" "$SIGN" -m verify -p k$bits.pub -b app$bits.signed >/dev/null
	head -c "$(stat -c %s app.bin)" app$bits.signed >payload
	tail -c $((bits / 8 + 4)) app$bits.signed | head -c $((bits / 8)) >sig
	check "RSA-$bits: openssl verifies what the generated key signed" \
		bash -c "openssl dgst -sha256 -verify k$bits.pub -signature sig payload | grep -q 'Verified OK'"
done

cp k2048.key saved.key
cp k2048.pub saved.pub
expect_exit 1 "keygen refuses to overwrite a private key" "$SIGN" -m keygen -s k2048.key -p other.pub 2>err
check "and names it" file_has err "refusing to overwrite private key 'k2048.key'"
check "the private key is unchanged" same_file k2048.key saved.key
check "no public key written" [ ! -e other.pub ]
expect_exit 2 "keygen refuses --bits 1024" "$SIGN" -m keygen -s n.key -p n.pub --bits 1024 2>err
check "and says what works" file_has err "use --bits 2048, 3072 or 4096"
check "no key written" [ ! -e n.key ]
expect_exit 2 "keygen needs both paths" "$SIGN" -m keygen -s n.key 2>err
check "and says so" file_has err "needs --privatekey and --publickey"
expect_exit 1 "keygen into a missing directory" "$SIGN" -m keygen -s nodir/n.key -p n.pub 2>err
check "names the path" file_has err "'nodir/n.key'"
expect_exit 1 "keygen with the public key in a missing directory" "$SIGN" -m keygen -s n.key -p nodir/n.pub 2>err
check "names the public path" file_has err "'nodir/n.pub'"
check "and leaves no half pair" [ ! -e n.key ]
done_testing
