#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# sign-bin writes what the openssl command line writes, byte for byte, in
# both formats, for RSA-2048/3072/4096, from PKCS#8 and PKCS#1 keys.
. "$SRC/tests/integration/lib.sh"

cd "$T_DIR" || exit 1

# le32 N: N as 4 little-endian bytes on stdout.
le32() { printf "\\x$(printf %02x $(($1 & 255)))\\x$(printf %02x $((($1 >> 8) & 255)))\\x00\\x00"; }

for bits in 2048 3072 4096; do
	openssl genrsa -out k$bits.key $bits 2>/dev/null
	openssl rsa -in k$bits.key -pubout -out k$bits.pub 2>/dev/null
	"$BIN/mkimage" -o img$bits.bin --size 120000 --flash-mode dio --flash-size 4M --content sketch --seed $bits
	siglen=$((bits / 8))

	expect_success "RSA-$bits: sign writes both formats" \
		"$SIGN" -m sign -s k$bits.key -b img$bits.bin -o img$bits.signed -l img$bits.legacy 2>err$bits
	printf 'Signed binary: img%s.signed\nLegacy signed binary: img%s.legacy\n' $bits $bits >want$bits
	check "RSA-$bits: stderr as signing.py prints it" same_file err$bits want$bits

	# current format: openssl dgst -sha256 -sign, then the length trailer
	openssl dgst -sha256 -sign k$bits.key -out new$bits.sig img$bits.bin
	{ cat img$bits.bin new$bits.sig; le32 $siglen; } >ref$bits.signed
	check "RSA-$bits: current format equals openssl dgst -sha256 -sign" same_file img$bits.signed ref$bits.signed

	# legacy format: PKCS#1 type 1 over the bare digest
	openssl dgst -sha256 -binary img$bits.bin >dig$bits
	openssl pkeyutl -sign -inkey k$bits.key -in dig$bits -out leg$bits.sig
	{ cat img$bits.bin leg$bits.sig; le32 $siglen; } >ref$bits.legacy
	check "RSA-$bits: legacy format equals openssl pkeyutl -sign" same_file img$bits.legacy ref$bits.legacy

	check "RSA-$bits: trailer is the signature length, little-endian" \
		[ "$(tail -c 4 img$bits.signed | xxd -p)" = "$(le32 $siglen | xxd -p)" ]
	check "RSA-$bits: openssl verifies the current signature" \
		bash -c "openssl dgst -sha256 -verify k$bits.pub -signature new$bits.sig img$bits.bin | grep -q 'Verified OK'"

	expect_success "RSA-$bits: sign-bin verifies the current format" \
		"$SIGN" -m verify -p k$bits.pub -b img$bits.signed >v$bits.out
	check "RSA-$bits: verify names the current format" file_has v$bits.out "valid current signature"
	expect_success "RSA-$bits: sign-bin verifies the legacy format" \
		"$SIGN" -m verify -p k$bits.pub -b img$bits.legacy >v$bits.out
	check "RSA-$bits: verify names the legacy format" file_has v$bits.out "valid legacy signature"

	# the same key as PKCS#1 PEM (BEGIN RSA PRIVATE KEY / RSA PUBLIC KEY)
	openssl rsa -in k$bits.key -traditional -out k$bits.pkcs1 2>/dev/null
	openssl rsa -in k$bits.key -RSAPublicKey_out -out k$bits.pkcs1pub 2>/dev/null
	check "RSA-$bits: the PKCS#1 copy really is PKCS#1" file_has k$bits.pkcs1 "BEGIN RSA PRIVATE KEY"
	expect_success "RSA-$bits: sign with the PKCS#1 key" \
		"$SIGN" --mode=sign --privatekey k$bits.pkcs1 --bin img$bits.bin --out p1_$bits.signed \
		--legacy p1_$bits.legacy 2>/dev/null
	check "RSA-$bits: PKCS#1 key, same current output" same_file p1_$bits.signed ref$bits.signed
	check "RSA-$bits: PKCS#1 key, same legacy output" same_file p1_$bits.legacy ref$bits.legacy
	expect_success "RSA-$bits: verify with a PKCS#1 public key" \
		"$SIGN" -m verify -p k$bits.pkcs1pub -b p1_$bits.signed >/dev/null
done

# without --legacy only the current file appears
expect_success "sign without --legacy" "$SIGN" -m sign -s k2048.key -b img2048.bin -o only.signed 2>err
check "only 'Signed binary' is printed" [ "$(cat err)" = "Signed binary: only.signed" ]
check "and no legacy file appears" [ "$(ls | grep -c legacy_sig)" -eq 0 ]
done_testing
