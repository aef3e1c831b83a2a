#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# What the Updater's end() refuses before anything is scheduled, heard by
# the uploader (espota-c exits 1 with the device's error text): app images
# that cannot boot, gzip streams eboot would drop at boot, a device whose
# eboot stage 2 was never flashed; and the expected MD5 escaped in the
# error text. Each leaves the running app as it was, with no reboot.
. "$SRC/tests/integration/lib.sh"
. "$SRC/tests/integration/agent/agent-lib.sh"

F=$T_DIR/dev.bin
"$DEV" init --flash "$F" --size 1M >/dev/null || exit 1
"$MKIMAGE" -o "$T_DIR/a.bin" --size 100000 --flash-size 1M --seed 51 --content sketch >/dev/null
size=$(size_of "$T_DIR/a.bin")
old=$(status_get "$F" app.md5)

# variant NAME OFFSET HEXBYTE: a.bin with one byte set.
variant() {
	cp "$T_DIR/a.bin" "$T_DIR/$1"
	printf "\\x$3" | dd of="$T_DIR/$1" bs=1 seek="$2" conv=notrunc status=none
}
# flipped NAME FILE OFFSET: FILE with the byte at OFFSET inverted.
flipped() {
	local b
	b=$(od -An -tx1 -j "$3" -N 1 "$2" | tr -d ' ')
	cp "$2" "$T_DIR/$1"
	printf "\\x$(printf %02x $((0x$b ^ 0xff)))" |
		dd of="$T_DIR/$1" bs=1 seek="$3" conv=notrunc status=none
}

E10='ERROR[10]: Magic byte is not 0xE9'
TRUNC='image ends before its segments and checksum do; it is cut short, send it whole'
SEGS='bad segment count (an image has 1 to 16); the image is damaged, rebuild it'
SUM='image checksum does not match its segments; the image is damaged, rebuild it'

variant zero.bin $((0x1001)) 00
variant many.bin $((0x1001)) ff
flipped sum.bin "$T_DIR/a.bin" 50000
variant past.bin $((0x100F)) 01 # the first segment's length + 16 MiB
head -c $((size - 4096)) "$T_DIR/a.bin" >"$T_DIR/cut.bin"
printf '\xe9' >"$T_DIR/e9.bin"
gzip -9 -n -c "$T_DIR/a.bin" >"$T_DIR/a.bin.gz"
zsize=$(size_of "$T_DIR/a.bin.gz")
# ISIZE's low byte forged: the length still fits the room check, and only
# inflating the stream finds it wrong.
flipped isize.gz "$T_DIR/a.bin.gz" $((zsize - 4))
flipped crc.gz "$T_DIR/a.bin.gz" $((zsize - 8))
{ head -c $((zsize / 2)) "$T_DIR/a.bin.gz"; tail -c 8 "$T_DIR/a.bin.gz"; } >"$T_DIR/cut.gz"
gzip -9 -n -c "$T_DIR/sum.bin" >"$T_DIR/sum.bin.gz"

start_device "$F" || exit 1
# refused FILE TEXT: espota-c fails with the device's exact text.
refused() {
	local file=$1 text=$2
	expect_exit 1 "$file is refused: espota-c exits 1" upload "$file" -f "$T_DIR/$file"
	check "$file: the uploader prints the device's text" \
		grep -qF -- "$text" "$T_DIR/$file.stdout" "$T_DIR/$file.stderr"
	check "$file: the device reported OTA_END_ERROR with it" \
		wait_for_count "$DEV_OUT" "^error OTA_END_ERROR: $(sed 's/[][\\.*^$]/\\&/g' <<<"$text")" 1 5
	check "$file: app unchanged" [ "$(status_get "$F" app.md5)" = "$old" ]
	check "$file: nothing pending" [ "$(status_get "$F" pending)" = false ]
}
refused zero.bin "$E10, app image at 0x1000: $SEGS"
refused many.bin "$E10, app image at 0x1000: $SEGS"
refused sum.bin "$E10, app image at 0x1000: $SUM"
refused past.bin "$E10, app image at 0x1000: $TRUNC"
refused cut.bin "$E10, app image at 0x1000: $TRUNC"
refused e9.bin "$E10, eboot image at 0: $TRUNC"
refused isize.gz "$E10, gzip stream: gzip length check failed: the image is corrupt, upload it again"
refused crc.gz "$E10, gzip stream: gzip CRC-32 check failed: the image is corrupt, upload it again"
refused cut.gz "$E10, gzip stream: "
refused sum.bin.gz "$E10, inflated app image at 0x1000: $SUM"
check "no reboot happened" [ "$(count_lines "$DEV_OUT" '^rebooting')" -eq 0 ]

# The expected MD5 is the uploader's text: a byte that is no hex digit
# reaches neither the uploader nor the device's error line raw, and the
# longest such text (every byte escaped) arrives whole.
esc=$(printf '0123\033[2J\r56789abcdef0123456789ab')
check "the test's MD5 has 32 bytes" [ ${#esc} -eq 32 ]
expect_success "an MD5 with control characters" \
	"$DROPPER" -p "$DEV_PORT" -f "$T_DIR/a.bin" --md5 "$esc" --hold 5 >"$T_DIR/md5.out"
check "the uploader got it escaped" grep -qF \
	"expected: 0123\\x1b\\x5b2\\x4a\\x0d56789abcdef0123456789ab, calculated: $(md5_of "$T_DIR/a.bin")" \
	"$T_DIR/md5.out"
check "no escape byte reached the uploader" [ "$(tr -dc '\033\r' <"$T_DIR/md5.out" | wc -c)" -eq 0 ]
check "the device's error line has it escaped" wait_for_file_line "$DEV_OUT" \
	'^error OTA_END_ERROR: ERROR\[7\]: MD5 verification failed: expected: 0123\\x1b\\x5b2' 5
check "and no escape byte" bash -c "! grep '^error OTA_END_ERROR' '$DEV_OUT' | grep -q $'\\033'"
expect_success "an MD5 of 32 non-hex bytes" \
	"$DROPPER" -p "$DEV_PORT" -f "$T_DIR/a.bin" --md5 zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz \
	--hold 5 >"$T_DIR/md5z.out"
check "the 210-character text arrives whole" grep -qF \
	"ERROR[7]: MD5 verification failed: expected: $(printf '\\x7a%.0s' $(seq 32)), calculated: $(md5_of "$T_DIR/a.bin")" \
	"$T_DIR/md5z.out"

expect_success "then the good image is accepted" upload good -f "$T_DIR/a.bin"
check "device rebooted" wait_for_count "$DEV_OUT" '^running app' 1 10
check "status: app md5 is a.bin's" [ "$(status_get "$F" app.md5)" = "$(md5_of "$T_DIR/a.bin")" ]
stop_device

# A device whose eboot stage 2 was never flashed: stage 1 would boot the
# old app and keep the command ("s2:2"), so nothing is scheduled.
N=$T_DIR/no-stage2.bin
"$DEV" init --flash "$N" --size 1M --no-stage2 >/dev/null || exit 1
old=$(status_get "$N" app.md5)
start_device "$N" || exit 1
expect_exit 1 "an upload to a device without stage 2 is refused: espota-c exits 1" \
	upload nos2 -f "$T_DIR/a.bin"
check "the uploader prints ERROR[17] and what to do" grep -qF \
	'ERROR[17]: eboot stage 2 is missing or damaged at 0x000f8000: no image header (0xE9): stage 2 was never flashed; flash eboot-stage2.bin there over serial' \
	"$T_DIR/nos2.stdout" "$T_DIR/nos2.stderr"
check "the device reported OTA_END_ERROR with it" wait_for_file_line "$DEV_OUT" \
	'^error OTA_END_ERROR: ERROR\[17\]: eboot stage 2 is missing or damaged' 5
check "no reboot happened" [ "$(count_lines "$DEV_OUT" '^rebooting')" -eq 0 ]
check "status: app unchanged" [ "$(status_get "$N" app.md5)" = "$old" ]
check "status: nothing pending" [ "$(status_get "$N" pending)" = false ]
stop_device
done_testing
