#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# What the agent feeds the Updater: a filesystem image (-s), a gzip-ed
# image (--compress), a signed image (signed with the openssl command
# line), and the refusals: unsigned or tampered images on a signing
# device leave the running app untouched.
. "$SRC/tests/integration/lib.sh"
. "$SRC/tests/integration/agent/agent-lib.sh"

F=$T_DIR/dev.bin
"$DEV" init --flash "$F" --size 1M >/dev/null || exit 1
"$MKIMAGE" -o "$T_DIR/a.bin" --size 150000 --flash-size 1M --seed 31 --content sketch
head -c 40000 /dev/urandom >"$T_DIR/fs.bin"

start_device "$F" || exit 1
expect_success "filesystem image with -s" upload up1 -s -f "$T_DIR/fs.bin"
check "device reported a filesystem update" file_has "$DEV_OUT" '^start filesystem 40000 bytes'
check "device rebooted" wait_for_count "$DEV_OUT" '^running app' 1 10
check "status: fs md5 is the uploaded image's" [ "$(status_get "$F" fs.md5)" = "$(md5_of "$T_DIR/fs.bin")" ]

expect_success "gzip-ed image with --compress" upload up2 --compress -f "$T_DIR/a.bin"
check "device received fewer bytes than the image" bash -c \
	"grep '^start flash' '$DEV_OUT' | tail -1 | awk '{print \$3}' | xargs test 150000 -gt"
check "device rebooted" wait_for_count "$DEV_OUT" '^running app' 2 10
check "status: app md5 is the uncompressed image's" [ "$(status_get "$F" app.md5)" = "$(md5_of "$T_DIR/a.bin")" ]
stop_device

# A device that requires signed updates.
openssl genrsa -out "$T_DIR/key.pem" 2048 2>/dev/null
openssl rsa -in "$T_DIR/key.pem" -pubout -out "$T_DIR/pub.pem" 2>/dev/null
S=$T_DIR/signed-dev.bin
"$DEV" init --flash "$S" --size 1M --sign-key "$T_DIR/pub.pem" >/dev/null || exit 1
"$MKIMAGE" -o "$T_DIR/b.bin" --size 100000 --flash-size 1M --seed 32
sign_image "$T_DIR/b.bin" "$T_DIR/key.pem" "$T_DIR/b.signed"
cp "$T_DIR/b.signed" "$T_DIR/tampered.signed"
printf '\x55' | dd of="$T_DIR/tampered.signed" bs=1 seek=50000 conv=notrunc status=none
old=$(status_get "$S" app.md5)

start_device "$S" || exit 1
expect_failure "an unsigned image is refused" upload up3 -f "$T_DIR/b.bin"
check "the uploader saw the Updater's error" file_has "$T_DIR/up3.stderr" 'ERROR\[12\]: Signature verification failed'
check "the device reported OTA_END_ERROR" wait_for_file_line "$DEV_OUT" \
	'^error OTA_END_ERROR: ERROR\[12\]: Signature verification failed$' 5
expect_failure "a tampered signed image is refused" upload up4 -f "$T_DIR/tampered.signed"
check "status: app unchanged after both" [ "$(status_get "$S" app.md5)" = "$old" ]
check "no reboot happened" [ "$(count_lines "$DEV_OUT" '^rebooting')" -eq 0 ]
expect_success "the signed image is accepted" upload up5 -f "$T_DIR/b.signed"
check "device rebooted" wait_for_count "$DEV_OUT" '^running app' 1 10
check "status: app md5 is the signed file's" [ "$(status_get "$S" app.md5)" = "$(md5_of "$T_DIR/b.signed")" ]
stop_device
done_testing
