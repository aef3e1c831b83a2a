#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The defects a review found in sign-bin, each driven through the real
# program: a failed --legacy write must not cost the old --out file; header
# mode must not write over its own key; a FIFO as --bin must not hang; keys
# no device verifies are refused (and weak ones warned about); info tells a
# gzip past its cap from a broken one.
. "$SRC/tests/integration/lib.sh"

SIGN=$BIN/sign-bin
cd "$T_DIR" || exit 1
mkdir work
cd work || exit 1

openssl genrsa -out good.key 2048 2>/dev/null
openssl rsa -in good.key -pubout -out good.pub 2>/dev/null
"$BIN/mkimage" -o app.bin --size 20000 --content sketch

# --- both outputs or neither: a --legacy write that fails keeps the old --out
# A name of 250 bytes is legal, but its temporary file ("NAME.tmpXXXXXX")
# is not: the legacy write fails even for root, after --out was built.
long=$(printf 'L%.0s' $(seq 250))
echo "old signed image" >keep.signed
ls >../before
expect_exit 1 "a --legacy that cannot be written fails the sign" \
	"$SIGN" -m sign -s good.key -b app.bin -o keep.signed -l "$long" 2>../err
check "the message names the legacy file" file_has ../err "cannot write '$long'"
check "the old --out file is still there, unchanged" [ "$(cat keep.signed 2>/dev/null)" = "old signed image" ]
ls >../after
check "no file appeared or vanished" same_file ../before ../after
check "'Signed binary' is not claimed" file_lacks ../err "Signed binary"

# the same with no old file: neither output appears
rm keep.signed
ls >../before
expect_exit 1 "a failing --legacy with a new --out" \
	"$SIGN" -m sign -s good.key -b app.bin -o new.signed -l "$long" 2>../err
ls >../after
check "no --out file is left behind" same_file ../before ../after

# and when both can be written, both old files are replaced
echo "old signed" >both.signed
echo "old legacy" >both.legacy
expect_success "sign over two existing outputs" \
	"$SIGN" -m sign -s good.key -b app.bin -o both.signed -l both.legacy 2>/dev/null
expect_success "the new --out verifies" "$SIGN" -m verify -p good.pub -b both.signed >/dev/null
expect_success "the new --legacy verifies" "$SIGN" -m verify -p good.pub -b both.legacy >/dev/null
check "no temporary or backup file is left" bash -c "! ls | grep -q -e '\.tmp' -e '\.old'"

# --- header mode: --out on top of --publickey is refused, naming both
cp good.pub saved.pub
expect_exit 1 "header with -o equal to -p" "$SIGN" -m header -p good.pub -o good.pub 2>../err
check "the key is untouched" same_file good.pub saved.pub
check "the message names --out and the key" \
	file_has ../err "refusing to write 'good.pub': it is the --publickey file 'good.pub'"
expect_exit 1 "header with -o naming -p by another path" "$SIGN" -m header -p good.pub -o ./good.pub 2>../err
check "the key is untouched (other path)" same_file good.pub saved.pub
check "the message names both paths" \
	file_has ../err "refusing to write './good.pub': it is the --publickey file 'good.pub'"
ln good.pub linked.pub
expect_exit 1 "header with -o a hard link of -p" "$SIGN" -m header -p good.pub -o linked.pub 2>../err
check "the key is untouched (hard link)" same_file good.pub saved.pub
rm linked.pub

# --- a FIFO as --bin (or as a key) is refused at once instead of blocking
mkfifo pipe.bin
for mode in sign verify info; do
	case $mode in
	sign) args=(-m sign -s good.key -b pipe.bin -o p.signed) ;;
	verify) args=(-m verify -p good.pub -b pipe.bin) ;;
	info) args=(-m info -b pipe.bin) ;;
	esac
	timeout 10 "$SIGN" "${args[@]}" </dev/null >../out 2>../err
	rc=$?
	check "$mode: a FIFO as --bin does not block (exit 1, got $rc)" [ $rc -eq 1 ]
	check "$mode: the message says it is a FIFO, not a regular file" \
		file_has ../err "cannot read 'pipe.bin': not a regular file (a FIFO)"
done
timeout 10 "$SIGN" -m verify -p pipe.bin -b app.bin </dev/null >../out 2>../err
check "a FIFO as --publickey does not block either" [ $? -eq 1 ]
check "and is named" file_has ../err "'pipe.bin'"
check "a character device as --bin is refused too" \
	bash -c "timeout 10 '$SIGN' -m info -b /dev/zero 2>&1 >/dev/null | grep -q \"'/dev/zero': not a regular file (a character device)\""
check "no p.signed appeared" [ ! -e p.signed ]

# --- key sizes: the device verifies 512 to 4096 bits
openssl genrsa -out k4100.key 4100 2>/dev/null
openssl rsa -in k4100.key -pubout -out k4100.pub 2>/dev/null
expect_exit 1 "sign refuses an RSA-4100 key" "$SIGN" -m sign -s k4100.key -b app.bin -o big.signed 2>../err
check "and names the key and the limit" \
	file_has ../err "cannot sign with 'k4100.key': it is an RSA-4100 key and the device verifies at most 4096 bits"
check "no output for a key no device verifies" [ ! -e big.signed ]
expect_success "header mode still embeds the key, as signing.py does" \
	"$SIGN" -m header -p k4100.pub -o big.h 2>../err
check "but warns that no device verifies it" file_has ../err "warning: 'k4100.pub' is an RSA-4100 key"
openssl genrsa -out k1024.key 1024 2>/dev/null
expect_success "sign takes an RSA-1024 key" "$SIGN" -m sign -s k1024.key -b app.bin -o weak.signed 2>../err
check "and warns it is weak" file_has ../err "warning: 'k1024.key' is an RSA-1024 key"
check "the warning says what to do" file_has ../err "sign-bin -m keygen"
check "the output is still printed as signing.py does" file_has ../err "^Signed binary: weak.signed$"
"$SIGN" -m sign -s good.key -b app.bin -o fine.signed 2>../err
check "no warning for RSA-2048" [ "$(cat ../err)" = "Signed binary: fine.signed" ]

# --- info: a valid gzip that inflates past the 16 MiB cap is not "DOES NOT INFLATE"
head -c $((64 * 1024 * 1024)) /dev/zero | gzip -9 -n >big.gz
"$SIGN" -m info -b big.gz >../out 2>../err
check "info on a 64 MiB gzip: exit 0" [ $? -eq 0 ]
check "it says the stream goes past the cap" \
	file_has ../out "gzip: yes, ISIZE 67108864, inflates past the 16777216-byte cap"
check "it does not call it broken" file_lacks ../out "DOES NOT INFLATE"
"$SIGN" -m info -b big.gz --json >../out.json
check "json: past_cap true" json_is ../out.json gzip_info.past_cap true
check "json: inflates unknown (null)" json_is ../out.json gzip_info.inflates null
# a broken stream is still called broken
gzip -9 -n -c app.bin >bad.gz
size=$(stat -c %s bad.gz)
printf '\x00\x00\x00\x00' | dd of=bad.gz bs=1 seek=$((size - 8)) conv=notrunc status=none
"$SIGN" -m info -b bad.gz >../out
check "a gzip with a bad CRC: DOES NOT INFLATE" file_has ../out "DOES NOT INFLATE"
"$SIGN" -m info -b bad.gz --json >../out.json
check "json: inflates false" json_is ../out.json gzip_info.inflates false
check "json: past_cap false" json_is ../out.json gzip_info.past_cap false

done_testing
