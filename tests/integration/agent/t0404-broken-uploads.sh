#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Uploads that go wrong: a connection dropped mid-stream, an uploader that
# falls silent (the Updater's stream timeout, shortened here), a wrong
# MD5, a refused begin and datagrams the device ignores. Each leaves the
# running image untouched and the agent ready: a good upload then works.
. "$SRC/tests/integration/lib.sh"
. "$SRC/tests/integration/agent/agent-lib.sh"

F=$T_DIR/dev.bin
"$DEV" init --flash "$F" --size 1M >/dev/null || exit 1
"$MKIMAGE" -o "$T_DIR/a.bin" --size 150000 --flash-size 1M --seed 41
old=$(status_get "$F" app.md5)

start_device "$F" --stream-timeout 2000 || exit 1

# Datagrams from bash: a wrong command gets no reply, a refused begin
# gets the Updater's error; the reply comes back to the sender's port.
# (dd reads one datagram whole; bash's read would take one byte of it.)
exec 3<>"/dev/udp/127.0.0.1/$DEV_PORT"
printf '7 1234 100 0123456789abcdef0123456789abcdef\n' >&3
reply=$(timeout 1 dd bs=512 count=1 status=none <&3)
check "a wrong command is ignored (no reply)" [ -z "$reply" ]
printf '0 1234 0 0123456789abcdef0123456789abcdef\n' >&3
timeout 3 dd bs=512 count=1 status=none <&3 >"$T_DIR/reply"
check "size 0: 'ERR: ERROR[5]: Bad Size Given\\n'" \
	[ "$(od -An -c "$T_DIR/reply" | tr -s ' ')" = "$(printf 'ERR: ERROR[5]: Bad Size Given\n' | od -An -c | tr -s ' ')" ]
exec 3>&-
check "the device reported OTA_BEGIN_ERROR" wait_for_file_line "$DEV_OUT" \
	'^error OTA_BEGIN_ERROR: ERROR\[5\]: Bad Size Given$' 5
sleep 0.3 # the device drops datagrams for 100 ms after a refusal

expect_success "dropper: half the image, then the connection closes" \
	"$DROPPER" -p "$DEV_PORT" -f "$T_DIR/a.bin" --bytes 75000
check "the device reported OTA_END_ERROR for the dropped upload" wait_for_file_line "$DEV_OUT" \
	'^error OTA_END_ERROR: ERROR\[0\]: No Error$' 5
check "status: app unchanged" [ "$(status_get "$F" app.md5)" = "$old" ]

expect_success "dropper: 20000 bytes, then silence" \
	"$DROPPER" -p "$DEV_PORT" -f "$T_DIR/a.bin" --bytes 20000 --hold 6 >"$T_DIR/silent.out"
check "the uploader got 'ERROR[6]: Stream Read Timeout'" file_has "$T_DIR/silent.out" \
	'ERROR\[6\]: Stream Read Timeout'
check "the device reported OTA_RECEIVE_ERROR while waiting" file_has "$DEV_OUT" '^error OTA_RECEIVE_ERROR$'
check "then OTA_END_ERROR with the stream timeout" file_has "$DEV_OUT" \
	'^error OTA_END_ERROR: ERROR\[6\]: Stream Read Timeout$'
check "status: app unchanged" [ "$(status_get "$F" app.md5)" = "$old" ]

expect_success "dropper: the whole image under a wrong MD5" \
	"$DROPPER" -p "$DEV_PORT" -f "$T_DIR/a.bin" --md5 0123456789abcdef0123456789abcdef \
	--hold 5 >"$T_DIR/md5.out"
check "the uploader got the MD5 error text" file_has "$T_DIR/md5.out" \
	"ERROR\\[7\\]: MD5 verification failed: expected: 0123456789abcdef0123456789abcdef, calculated: $(md5_of "$T_DIR/a.bin")"
check "status: app unchanged" [ "$(status_get "$F" app.md5)" = "$old" ]
check "no reboot happened" [ "$(count_lines "$DEV_OUT" '^rebooting')" -eq 0 ]

expect_success "then a good upload works" upload up1 -f "$T_DIR/a.bin"
check "device rebooted" wait_for_count "$DEV_OUT" '^running app' 1 10
check "status: app md5 is a.bin's" [ "$(status_get "$F" app.md5)" = "$(md5_of "$T_DIR/a.bin")" ]
stop_device

# --once after a failed attempt: exit 1, image untouched.
start_device "$F" --once || exit 1
expect_success "dropper against a --once device" "$DROPPER" -p "$DEV_PORT" -f "$T_DIR/a.bin" --bytes 3000
wait "$DEV_PID"
check "--once exits 1 after a failed attempt" [ $? -eq 1 ]
check "status: app still a.bin" [ "$(status_get "$F" app.md5)" = "$(md5_of "$T_DIR/a.bin")" ]
done_testing
