#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Authentication: the password from init, a wrong one, the flags that
# override it, and the SHA-256/PBKDF2 scheme of arduino-esp32 3.3.1+
# (with the uploader's fallback to the MD5 password hash).
. "$SRC/tests/integration/lib.sh"
. "$SRC/tests/integration/agent/agent-lib.sh"

F=$T_DIR/dev.bin
"$DEV" init --flash "$F" --size 1M --password 'pass word' >/dev/null || exit 1
"$MKIMAGE" -o "$T_DIR/a.bin" --size 100000 --flash-size 1M --seed 21
"$MKIMAGE" -o "$T_DIR/b.bin" --size 90000 --flash-size 1M --seed 22
"$MKIMAGE" -o "$T_DIR/c.bin" --size 80000 --flash-size 1M --seed 23
old=$(status_get "$F" app.md5)

start_device "$F" || exit 1
expect_failure "a wrong password is refused" upload up1 -a nope -f "$T_DIR/a.bin"
check "the uploader saw 'Authentication Failed'" file_has "$T_DIR/up1.stderr" 'Authentication Failed'
check "the device reported OTA_AUTH_ERROR" wait_for_file_line "$DEV_OUT" '^error OTA_AUTH_ERROR$' 5
check "no update started" file_lacks "$DEV_OUT" '^start'
check "status: app unchanged" [ "$(status_get "$F" app.md5)" = "$old" ]
expect_failure "no password is refused too" upload up2 -f "$T_DIR/a.bin"
expect_success "the password given to init is accepted" upload up3 -a 'pass word' -f "$T_DIR/a.bin"
check "device rebooted" wait_for_count "$DEV_OUT" '^running app' 1 10
check "status: app md5 is a.bin's" [ "$(status_get "$F" app.md5)" = "$(md5_of "$T_DIR/a.bin")" ]
check "after the reboot it still asks for the password" bash -c \
	"! '$ESPOTA' -i 127.0.0.1 -p $DEV_PORT -P 0 -a nope -f '$T_DIR/b.bin' >/dev/null 2>&1"
stop_device
check "the password never appears in the device's output" \
	bash -c "! grep -q 'pass word' '$DEV_OUT' '$DEV_OUT.err'"

# --password-hash: setPasswordHash(md5hex("other")) for this run only.
start_device "$F" --password-hash "$(printf %s other | md5sum | cut -d' ' -f1)" || exit 1
expect_failure "the init password no longer opens it" upload up4 -a 'pass word' -f "$T_DIR/b.bin"
expect_success "the hash's password does" upload up5 -a other -f "$T_DIR/b.bin"
check "device rebooted" wait_for_count "$DEV_OUT" '^running app' 1 10
check "status: app md5 is b.bin's" [ "$(status_get "$F" app.md5)" = "$(md5_of "$T_DIR/b.bin")" ]
stop_device

# --password with the SHA-256 scheme: a 64-hex nonce, PBKDF2 response.
start_device "$F" --auth-scheme sha256 --password s3cret || exit 1
expect_success "sha256 scheme: the right password is accepted" upload up6 -a s3cret -f "$T_DIR/c.bin"
check "device rebooted" wait_for_count "$DEV_OUT" '^running app' 1 10
check "status: app md5 is c.bin's" [ "$(status_get "$F" app.md5)" = "$(md5_of "$T_DIR/c.bin")" ]
expect_failure "sha256 scheme: a wrong password is refused" upload up7 -a s3cret! -f "$T_DIR/a.bin"
check "the device reported OTA_AUTH_ERROR" wait_for_file_line "$DEV_OUT" '^error OTA_AUTH_ERROR$' 5
stop_device

# The SHA-256 scheme over the MD5 hash kept by init (setPasswordHash with
# an MD5 hash on 3.3.1+): the uploader's SHA-256 try is refused, its retry
# with the MD5 password hash succeeds.
start_device "$F" --auth-scheme sha256 || exit 1
expect_success "sha256 scheme with an MD5 stored hash: uploader falls back" \
	upload up8 -a 'pass word' -f "$T_DIR/a.bin"
check "the first try was refused" file_has "$DEV_OUT" '^error OTA_AUTH_ERROR$'
check "then the update ran" wait_for_count "$DEV_OUT" '^running app' 1 10
check "status: app md5 is a.bin's" [ "$(status_get "$F" app.md5)" = "$(md5_of "$T_DIR/a.bin")" ]
stop_device
done_testing
