#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Bad input gets a clear error that names the file, a non-zero exit, and
# writes nothing: missing, unreadable, empty and oversized images; keys
# that are DER, encrypted, EC, Ed25519, damaged or public; outputs in a
# missing directory or on top of the input.
. "$SRC/tests/integration/lib.sh"

cd "$T_DIR" || exit 1
mkdir work
cd work || exit 1

openssl genrsa -out good.key 2048 2>/dev/null
openssl rsa -in good.key -pubout -out good.pub 2>/dev/null
openssl pkey -in good.key -outform DER -out der.key
openssl ecparam -name prime256v1 -genkey -out ec.key
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec8.key
openssl genpkey -algorithm ed25519 -out ed.key
openssl pkey -in good.key -aes128 -passout pass:secret -out enc8.key
openssl rsa -in good.key -traditional -aes128 -passout pass:secret -out enc1.key 2>/dev/null
{ head -n 5 good.key; echo '!!!!not base64!!!!'; tail -n 5 good.key; } >corrupt.key
head -c 700 good.key >cut.key
echo "just some text" >text.key
"$BIN/mkimage" -o app.bin --size 20000 --flash-mode dio --flash-size 4M --content sketch
: >empty.bin
truncate -s $((16 * 1024 * 1024 + 1)) huge.bin
mkdir adir
ls >../before

# fails CODE WANT DESC CMD...: exit CODE (not a signal), stderr has WANT,
# and the directory holds exactly what it held before.
fails() {
	local code=$1 want=$2 desc=$3 rc
	shift 3
	timeout 20 "$@" </dev/null >../out 2>../err
	rc=$?
	check "$desc: exit $code" [ $rc -eq "$code" ]
	check "$desc: message has \"$want\"" file_has ../err "$want"
	check "$desc: message is one line starting 'sign-bin: '" \
		bash -c "[ \$(wc -l <../err) -eq 1 ] && grep -q '^sign-bin: ' ../err"
	ls >../after
	check "$desc: no file appeared or vanished" same_file ../before ../after
}


fails 1 "cannot read 'missing.bin'" "missing image" "$SIGN" -m sign -s good.key -b missing.bin -o out.signed -l out.legacy
fails 1 "'adir': not a regular file" "directory as image" "$SIGN" -m sign -s good.key -b adir -o out.signed -l out.legacy
if [ "$(id -u)" -ne 0 ]; then
	cp app.bin noread.bin && chmod 000 noread.bin && ls >../before
	fails 1 "cannot read 'noread.bin'" "unreadable image" "$SIGN" -m sign -s good.key -b noread.bin -o out.signed -l out.legacy
fi
fails 1 "'empty.bin' is empty" "empty image" "$SIGN" -m sign -s good.key -b empty.bin -o out.signed -l out.legacy
fails 1 "'huge.bin' is larger than 16777216 bytes" "image over 16 MiB" "$SIGN" -m sign -s good.key -b huge.bin -o out.signed -l out.legacy
fails 1 "'der.key': it looks like DER" "DER key" "$SIGN" -m sign -s der.key -b app.bin -o out.signed -l out.legacy
fails 1 "'enc8.key': it is encrypted" "encrypted PKCS#8 key, no prompt" "$SIGN" -m sign -s enc8.key -b app.bin -o out.signed -l out.legacy
fails 1 "'enc1.key': it is encrypted" "encrypted PKCS#1 key, no prompt" "$SIGN" -m sign -s enc1.key -b app.bin -o out.signed -l out.legacy
fails 1 "'ec.key': it is an EC key" "EC key (ecparam)" "$SIGN" -m sign -s ec.key -b app.bin -o out.signed -l out.legacy
fails 1 "'ec8.key': it is an EC key" "EC key (PKCS#8)" "$SIGN" -m sign -s ec8.key -b app.bin -o out.signed -l out.legacy
fails 1 "'ed.key': its type is ED25519, not RSA" "Ed25519 key" "$SIGN" -m sign -s ed.key -b app.bin -o out.signed -l out.legacy
fails 1 "cannot decode key 'corrupt.key'" "damaged PEM" "$SIGN" -m sign -s corrupt.key -b app.bin -o out.signed -l out.legacy
fails 1 "cannot decode key 'cut.key'" "truncated PEM" "$SIGN" -m sign -s cut.key -b app.bin -o out.signed -l out.legacy
fails 1 "'text.key': no PEM private key" "not a key at all" "$SIGN" -m sign -s text.key -b app.bin -o out.signed -l out.legacy
fails 1 "'good.pub': it is a public key" "public key given as private" "$SIGN" -m sign -s good.pub -b app.bin -o out.signed -l out.legacy
fails 1 "directory 'nodir' does not exist" "--out in a missing directory" \
	"$SIGN" -m sign -s good.key -b app.bin -o nodir/out.signed
fails 1 "directory 'nodir/deeper' does not exist" "--legacy in a missing directory" \
	"$SIGN" -m sign -s good.key -b app.bin -o out.signed -l nodir/deeper/out.legacy
fails 1 "refusing to write 'app.bin': it is the input" "--out equal to --bin" \
	"$SIGN" -m sign -s good.key -b app.bin -o app.bin
fails 1 "refusing to write './app.bin': it is the input" "--out is --bin by another path" \
	"$SIGN" -m sign -s good.key -b app.bin -o ./app.bin
fails 1 "refusing to write 'app.bin': it is the input" "--legacy equal to --bin" \
	"$SIGN" -m sign -s good.key -b app.bin -o out.signed -l app.bin
fails 2 "--out and --legacy name the same file" "--out equal to --legacy" \
	"$SIGN" -m sign -s good.key -b app.bin -o out.signed -l out.signed
fails 1 "cannot write 'adir'" "--out is a directory" "$SIGN" -m sign -s good.key -b app.bin -o adir
check "the image is untouched" bash -c "'$BIN/mkimage' -o ../ref.bin --size 20000 --flash-mode dio --flash-size 4M --content sketch && cmp -s ../ref.bin app.bin"

# an existing output survives a failed sign unchanged
echo "old contents" >keep.signed
ls >../before
fails 1 "cannot decode key 'corrupt.key'" "failed sign over an existing output" \
	"$SIGN" -m sign -s corrupt.key -b app.bin -o keep.signed
check "the existing output is unchanged" [ "$(cat keep.signed)" = "old contents" ]

# command-line mistakes: usage errors (exit 2)
fails 2 "no mode given" "no --mode" "$SIGN" -b app.bin
fails 2 "unknown mode 'frobnicate'" "unknown mode" "$SIGN" -m frobnicate
fails 2 "needs --out" "header without --out" "$SIGN" -m header -p good.pub
fails 2 "needs --privatekey" "sign without --privatekey" "$SIGN" -m sign -b app.bin -o x.signed
fails 2 "needs --bin" "sign without --bin" "$SIGN" -m sign -s good.key -o x.signed
fails 2 "needs --out" "sign without --out" "$SIGN" -m sign -s good.key -b app.bin
fails 2 "unexpected argument 'stray'" "stray argument" "$SIGN" -m sign -s good.key -b app.bin -o x stray
fails 2 "--legacy works with --mode sign only" "--legacy in header mode" "$SIGN" -m header -p good.pub -o h.h -l x
fails 2 "--compress works with --mode sign only" "--compress in verify mode" "$SIGN" -m verify -p good.pub -b app.bin --compress
fails 2 "bad key size 'big'" "non-numeric --bits" "$SIGN" -m keygen -s n.key -p n.pub --bits big
done_testing
