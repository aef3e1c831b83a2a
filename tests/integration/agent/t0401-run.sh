#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# espota-device run against espota-c: a plain upload reboots the device
# into the new image, a second one in a row too; --once, SIGTERM and the
# first stdout line.
. "$SRC/tests/integration/lib.sh"
. "$SRC/tests/integration/agent/agent-lib.sh"

F=$T_DIR/dev.bin
"$DEV" init --flash "$F" --size 1M >/dev/null || exit 1
"$MKIMAGE" -o "$T_DIR/a.bin" --size 200000 --flash-size 1M --seed 11
"$MKIMAGE" -o "$T_DIR/b.bin" --size 120000 --flash-size 1M --seed 12
old=$(status_get "$F" app.md5)

start_device "$F" || exit 1
check "first stdout line is 'listening on 127.0.0.1:PORT'" [ -n "$DEV_PORT" ]
check "the port is a real UDP listener" bash -c "ss -Hlun | grep -q ':$DEV_PORT\\b'"

expect_success "espota-c uploads a.bin" upload up1 -f "$T_DIR/a.bin"
check "device reported start with size and md5" file_has "$DEV_OUT" \
	"^start flash 199984 bytes from 127.0.0.1:[0-9]* md5 $(md5_of "$T_DIR/a.bin")\$"
check "device reported progress 0/total" file_has "$DEV_OUT" '^progress 0/199984$'
check "device reported progress total/total" file_has "$DEV_OUT" '^progress 199984/199984$'
check "device rebooted" wait_for_count "$DEV_OUT" '^running app' 1 10
check "end came before the reboot" bash -c "grep -n '' '$DEV_OUT' | grep -A1 ':end\$' | grep -q rebooting"
check "running app line names the new md5" file_has "$DEV_OUT" "^running app at 0x000000: 199984 bytes, md5 $(md5_of "$T_DIR/a.bin")\$"
check "status: app md5 is a.bin's (was $old)" [ "$(status_get "$F" app.md5)" = "$(md5_of "$T_DIR/a.bin")" ]

expect_success "a second upload in a row (b.bin)" upload up2 -f "$T_DIR/b.bin"
check "device rebooted again" wait_for_count "$DEV_OUT" '^running app' 2 10
check "status: app md5 is b.bin's" [ "$(status_get "$F" app.md5)" = "$(md5_of "$T_DIR/b.bin")" ]
check "no error reported" file_lacks "$DEV_OUT" '^error'
check "the device is still listening" kill -0 "$DEV_PID"

"$DEV" init --flash "$T_DIR/other.bin" --size 1M >/dev/null
expect_exit 1 "another device on the same port is refused" \
	"$DEV" run --flash "$T_DIR/other.bin" --bind 127.0.0.1 --port "$DEV_PORT" 2>"$T_DIR/busy.err"
check "saying the port is in use" file_has "$T_DIR/busy.err" "cannot listen on UDP port $DEV_PORT: "

stop_device
check "SIGTERM stops it with status 0" [ "$DEV_RC" -eq 0 ]
check "and it says so" file_has "$DEV_OUT.err" 'run: stopped'

# --once: exit 0 after an update that rebooted into the new image.
start_device "$F" --once || exit 1
expect_success "upload to a --once device" upload up3 -f "$T_DIR/a.bin"
wait "$DEV_PID"
check "--once exits 0 after a successful update" [ $? -eq 0 ]
check "status: app md5 is a.bin's again" [ "$(status_get "$F" app.md5)" = "$(md5_of "$T_DIR/a.bin")" ]

expect_exit 2 "run refuses an unknown --auth-scheme" "$DEV" run --flash "$F" --auth-scheme sha1 2>/dev/null
expect_exit 2 "run refuses a bad --bind" "$DEV" run --flash "$F" --bind nowhere 2>/dev/null
expect_exit 1 "run refuses a missing flash file" "$DEV" run --flash "$T_DIR/none.bin" 2>/dev/null
done_testing
