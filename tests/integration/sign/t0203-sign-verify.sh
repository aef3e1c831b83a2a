#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# --mode verify accepts what sign wrote, in both formats, and rejects one
# flipped byte in the image or in the signature, a truncated file, an
# unsigned image, a wrong key and a key of another size, saying which
# check failed.
. "$SRC/tests/integration/lib.sh"

cd "$T_DIR" || exit 1

openssl genrsa -out a.key 2048 2>/dev/null
openssl rsa -in a.key -pubout -out a.pub 2>/dev/null
openssl genrsa -out b.key 2048 2>/dev/null
openssl rsa -in b.key -pubout -out b.pub 2>/dev/null
openssl genrsa -out c.key 3072 2>/dev/null
openssl rsa -in c.key -pubout -out c.pub 2>/dev/null
"$BIN/mkimage" -o app.bin --size 65536 --flash-mode dio --flash-size 4M --content sketch
"$SIGN" -m sign -s a.key -b app.bin -o app.signed -l app.legacy 2>/dev/null

expect_exit 0 "verify accepts the current format" "$SIGN" -m verify -p a.pub -b app.signed >out
check "and reports it" file_has out "app.signed: valid current signature"
expect_exit 0 "verify accepts the legacy format" "$SIGN" -m verify -p a.pub -b app.legacy >out
check "and reports it" file_has out "app.legacy: valid legacy signature"
expect_exit 0 "verify accepts the private key file as the key" "$SIGN" -m verify -p a.key -b app.signed >/dev/null

# flip_byte FILE OFFSET: xor the byte at OFFSET with 0x01, in place
flip_byte() {
	local b
	b=$(xxd -p -s "$2" -l 1 "$1")
	printf "\\x$(printf %02x $((16#$b ^ 1)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# rejected FILE KEY WANT DESC: exit 1, message on stderr has WANT and names file and key
rejected() {
	local file=$1 key=$2 want=$3 desc=$4
	local rc
	"$SIGN" -m verify -p "$key" -b "$file" >out 2>err
	rc=$?
	check "$desc: rejected with exit 1" [ $rc -eq 1 ]
	check "$desc: says '$want'" file_has err "$want"
	check "$desc: names the file" file_has err "'$file'"
	check "$desc: nothing on stdout" [ ! -s out ]
}

for fmt in signed legacy; do
	cp app.$fmt img.$fmt
	flip_byte img.$fmt 5000
	rejected img.$fmt a.pub "signature mismatch" "$fmt, one flipped byte in the image"
	cp app.$fmt sig.$fmt
	flip_byte sig.$fmt $((65536 + 100))
	rejected sig.$fmt a.pub "signature mismatch" "$fmt, one flipped byte in the signature"
	cp app.$fmt hdr.$fmt
	flip_byte hdr.$fmt 2
	rejected hdr.$fmt a.pub "signature mismatch" "$fmt, flash-mode byte patched (docs/protocol/signed-image-format.md §5 pitfall)"
	head -c -1 app.$fmt >trunc.$fmt
	rejected trunc.$fmt a.pub "signature length field out of range" "$fmt, truncated by one byte"
	head -c -300 app.$fmt >cut.$fmt
	rejected cut.$fmt a.pub "signature length field out of range" "$fmt, signature cut off"
	rejected app.$fmt b.pub "signature mismatch: .* is not signed by .b.pub." "$fmt, wrong key"
	rejected app.$fmt c.pub "key size mismatch: .* the key is 3072 bits" "$fmt, key of another size"
done
rejected app.bin a.pub "signature length field out of range" "unsigned image"

# a 3072-bit signature checks with its own key
"$SIGN" -m sign -s c.key -b app.bin -o app3072.signed 2>/dev/null
expect_exit 0 "RSA-3072 signature verifies with its key" "$SIGN" -m verify -p c.pub -b app3072.signed >/dev/null
rejected app3072.signed a.pub "key size mismatch: .* the key is 2048 bits" "RSA-3072 signature, 2048-bit key"

expect_exit 2 "verify without --publickey is a usage error" "$SIGN" -m verify -b app.signed 2>err
check "and says what is missing" file_has err "needs --publickey"
expect_exit 1 "verify with a missing key file" "$SIGN" -m verify -p none.pub -b app.signed 2>err
check "names the key file" file_has err "'none.pub'"
done_testing
