#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# espota-device init: a freshly serial-flashed device, and the refusals
# that must leave an existing device untouched.
. "$SRC/tests/integration/lib.sh"
. "$SRC/tests/integration/device/device-lib.sh"

F=$T_DIR/dev.flash

expect_success "init with the built-in app" "$DEV" init --flash "$F" --size 1M --password secret --hostname node-1 >"$T_DIR/out"
check "flash file is 1 MiB" [ "$(size_of "$F")" -eq 1048576 ]
check "configuration beside the flash file" [ -f "$F.conf" ]
check "the password is stored as its MD5" file_has "$F.conf" "password_md5=$(printf secret | md5sum | cut -d' ' -f1)"
check "the clear password is not stored" file_lacks "$F.conf" secret
check "the password is not printed" file_lacks "$T_DIR/out" secret
check "hostname stored" file_has "$F.conf" "hostname=node-1"
check "flash beyond the app is erased" [ "$(xxd -p -s 0x80000 -l 8 "$F")" = ffffffffffffffff ]
check "eboot header at 0" [ "$(xxd -p -l 1 "$F")" = e9 ]
check "app header at 0x1000" [ "$(xxd -p -s 4096 -l 1 "$F")" = e9 ]
json=$("$DEV" status --flash "$F" --json)
check "status JSON has exactly the agreed shape" \
	grep -qE '^\{"app":\{"size":[0-9]+,"md5":"[0-9a-f]{32}","bootable":(true|false),"error":(null|"[^"]+")\},"fs":\{"size":[0-9]+,"md5":"[0-9a-f]{32}"\},"stage2":\{"valid":(true|false),"error":(null|"[^"]+")\},"pending":(true|false)\}$' <<<"$json"
size=$(status_get "$F" app.size)
flash_bytes "$F" 0 "$size" "$T_DIR/sample.bin"
check "the sample app's length word (0x1010) is its size" [ "$((16#$(xxd -e -s 0x1010 -l 4 "$T_DIR/sample.bin" | awk '{print $2}')))" -eq "$size" ]
check "status md5 is the md5 of the installed bytes" [ "$(status_get "$F" app.md5)" = "$(md5_of "$T_DIR/sample.bin")" ]
check "nothing pending" [ "$(status_get "$F" pending)" = false ]
check "the whole FS region (1M64 less stage 2 and the journal) counts" [ "$(status_get "$F" fs.size)" -eq $((0xF8000 - 0xEB000)) ]
expect_success "the sample app boots" "$DEV" boot --flash "$F" >"$T_DIR/boot.out"
check "boot says what runs" file_has "$T_DIR/boot.out" "running app at 0x000000: $size bytes, md5 $(md5_of "$T_DIR/sample.bin")"
"$DEV" init --flash "$T_DIR/again.flash" --size 1M >/dev/null
flash_bytes "$T_DIR/again.flash" 0 "$size" "$T_DIR/sample2.bin"
check "the built-in app is deterministic" same_file "$T_DIR/sample.bin" "$T_DIR/sample2.bin"

# A given app, flashed as esptool does.
"$MKIMAGE" -o "$T_DIR/app.bin" --size 200000 --flash-size 4M --flash-mode dio --seed 7
expect_success "init a 4M device with an app" "$DEV" init --flash "$F" --size 4M --app "$T_DIR/app.bin" >/dev/null
check "the app is at offset 0, byte for byte" installed_is "$F" 0 "$T_DIR/app.bin"
check "status reports the app's size" [ "$(status_get "$F" app.size)" -eq "$(size_of "$T_DIR/app.bin")" ]
check "status reports the app's md5" [ "$(status_get "$F" app.md5)" = "$(md5_of "$T_DIR/app.bin")" ]
check "a 4M device's FS is 0x200000..0x3F8000" [ "$(status_get "$F" fs.size)" -eq $((0x1F8000)) ]
check "no password configured" file_has "$F.conf" "password_md5=$"
check "default hostname from the chip id" grep -qE '^hostname=esp8266-[0-9a-f]{6}$' "$F.conf"
expect_success "init with --flash-mode qout" "$DEV" init --flash "$F" --size 4M --app "$T_DIR/app.bin" --flash-mode qout >/dev/null
check "esptool-style flash-mode patch of byte 2" [ "$(xxd -p -s 2 -l 1 "$F")" = 01 ]
check "configuration records the mode" file_has "$F.conf" "flash_mode=qout"

# Refusals: clear message, exit status, and the existing device untouched.
"$DEV" init --flash "$F" --size 1M >/dev/null
cp "$F" "$T_DIR/before.flash"
cp "$F.conf" "$T_DIR/before.conf"
unchanged() { same_file "$F" "$T_DIR/before.flash" && same_file "$F.conf" "$T_DIR/before.conf"; }
expect_exit 2 "unknown size refused" "$DEV" init --flash "$F" --size 3M 2>"$T_DIR/err"
check "message names the size" file_has "$T_DIR/err" "unknown flash size '3M'"
expect_exit 2 "unknown flash mode refused" "$DEV" init --flash "$F" --size 1M --flash-mode fast 2>/dev/null
expect_exit 2 "--accept-legacy without a key refused" "$DEV" init --flash "$F" --size 1M --accept-legacy 2>/dev/null
expect_exit 2 "missing --size refused" "$DEV" init --flash "$F" 2>/dev/null
expect_exit 2 "a hostname that is no DNS name is refused" "$DEV" init --flash "$F" --size 1M --hostname "$(printf "a\nsigning=1")" 2>/dev/null
"$MKIMAGE" -o "$T_DIR/big.bin" --size 1000000 --flash-size 1M
expect_failure "an app larger than the space before the FS is refused" "$DEV" init --flash "$F" --size 1M --app "$T_DIR/big.bin" 2>"$T_DIR/err"
check "message says it does not fit" file_has "$T_DIR/err" "does not fit"
"$MKIMAGE" -o "$T_DIR/big4.bin" --size 1100000 --flash-size 4M
expect_failure "an app past the first megabyte is refused on a 4M chip" "$DEV" init --flash "$F" --size 4M --app "$T_DIR/big4.bin" 2>"$T_DIR/err"
check "message names the mapped megabyte" file_has "$T_DIR/err" "first megabyte"
expect_failure "a missing app is refused" "$DEV" init --flash "$F" --size 1M --app "$T_DIR/none.bin" 2>"$T_DIR/err"
check "message names the app" file_has "$T_DIR/err" "none.bin"
gzip -9 -n -c "$T_DIR/app.bin" >"$T_DIR/app.bin.gz"
expect_failure "a gzip file is not a serial-flashable app" "$DEV" init --flash "$F" --size 4M --app "$T_DIR/app.bin.gz" 2>"$T_DIR/err"
check "message says magic" file_has "$T_DIR/err" "0xE9"
expect_failure "an unreadable key is refused" "$DEV" init --flash "$F" --size 1M --sign-key "$T_DIR/nokey.pem" 2>"$T_DIR/err"
check "message names the key" file_has "$T_DIR/err" "nokey.pem"
echo "not a key" >"$T_DIR/bad.pem"
expect_failure "a file that is no key is refused" "$DEV" init --flash "$F" --size 1M --sign-key "$T_DIR/bad.pem" 2>"$T_DIR/err"
check "message says public key" file_has "$T_DIR/err" "not an RSA public key"
check "and why, in words, not as a number" file_lacks "$T_DIR/err" "(error [0-9]"
check "the device survived every refusal" unchanged

openssl genrsa -out "$T_DIR/private.key" 2048 2>/dev/null
openssl rsa -in "$T_DIR/private.key" -pubout -out "$T_DIR/public.key" 2>/dev/null
expect_success "init with a signing key" "$DEV" init --flash "$F" --size 1M --sign-key "$T_DIR/public.key" --accept-legacy --atomic-fs >/dev/null
check "the key is kept beside the flash" same_file "$F.pubkey.pem" "$T_DIR/public.key"
check "signing recorded" file_has "$F.conf" "signing=1"
check "legacy acceptance recorded" file_has "$F.conf" "accept_legacy=1"
check "atomic FS recorded" file_has "$F.conf" "atomic_fs=1"
"$DEV" init --flash "$F" --size 1M >/dev/null
check "re-init without a key drops the old one" [ ! -e "$F.pubkey.pem" ]

expect_failure "status of a file that is no device" "$DEV" status --flash "$T_DIR/nothing.flash" 2>"$T_DIR/err"
check "message says how to create it" file_has "$T_DIR/err" "espota-device init"
expect_exit 2 "unknown subcommand" "$DEV" explode 2>/dev/null
expect_success "--help lists the commands" bash -c "'$DEV' --help | grep -q status"
done_testing
