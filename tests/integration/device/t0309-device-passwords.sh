#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Password hygiene of `espota-device init`: --password is blanked in argv
# while init works, --password-file and ESPOTA_DEVICE_PASSWORD set the
# password in the documented order (option, file, environment), and no
# subcommand echoes the value of a mistyped option.
. "$SRC/tests/integration/lib.sh"
. "$SRC/tests/integration/device/device-lib.sh"

F=$T_DIR/dev.bin
md5_text() { printf %s "$1" | md5sum | cut -d' ' -f1; }
# stored_md5: the password hash init kept in F.conf.
stored_md5() { sed -n 's/^password_md5=//p' "$F.conf"; }

printf 'first-line\r\nsecond\n' >"$T_DIR/pw.txt"
expect_success "init --password-file" "$DEV" init --flash "$F" --size 1M --password-file "$T_DIR/pw.txt" \
	>"$T_DIR/out" 2>&1
check "  keeps md5 of the first line, without its CR LF" [ "$(stored_md5)" = "$(md5_text first-line)" ]
check "  says a password is set" file_has "$T_DIR/out" ', password set'
check "  and never prints it" file_lacks "$T_DIR/out" first-line

expect_success "init with ESPOTA_DEVICE_PASSWORD" \
	env ESPOTA_DEVICE_PASSWORD=env-pw "$DEV" init --flash "$F" --size 1M >"$T_DIR/out" 2>&1
check "  keeps md5 of the environment's password" [ "$(stored_md5)" = "$(md5_text env-pw)" ]
check "  and never prints it" file_lacks "$T_DIR/out" env-pw

expect_success "init: option beats file and environment" env ESPOTA_DEVICE_PASSWORD=env-pw \
	"$DEV" init --flash "$F" --size 1M --password opt-pw --password-file "$T_DIR/pw.txt" >/dev/null
check "  the option's password is kept" [ "$(stored_md5)" = "$(md5_text opt-pw)" ]
expect_success "init: file beats environment" env ESPOTA_DEVICE_PASSWORD=env-pw \
	"$DEV" init --flash "$F" --size 1M --password-file "$T_DIR/pw.txt" >/dev/null
check "  the file's password is kept" [ "$(stored_md5)" = "$(md5_text first-line)" ]
expect_success "init: an empty ESPOTA_DEVICE_PASSWORD counts as unset" env ESPOTA_DEVICE_PASSWORD= \
	"$DEV" init --flash "$F" --size 1M >"$T_DIR/out"
check "  no password is kept" [ -z "$(stored_md5)" ]
check "  none is announced" file_lacks "$T_DIR/out" 'password set'

: >"$T_DIR/empty.txt"
expect_exit 1 "init refuses an empty password file" \
	"$DEV" init --flash "$T_DIR/other.bin" --size 1M --password-file "$T_DIR/empty.txt" 2>"$T_DIR/err"
check "  naming it" file_has "$T_DIR/err" "password file '$T_DIR/empty.txt' is empty"
check "  before creating any file" [ ! -e "$T_DIR/other.bin" ]
expect_exit 1 "init refuses a missing password file" \
	"$DEV" init --flash "$T_DIR/other.bin" --size 1M --password-file "$T_DIR/none.txt" 2>"$T_DIR/err"
check "  naming it" file_has "$T_DIR/err" "cannot read password file '$T_DIR/none.txt'"

# While init works (here: blocked opening a FIFO as its flash file, until
# a reader comes), its argv shows blanks where the password was.
mkfifo "$T_DIR/fifo.bin"
spawn "$DEV" init --flash "$T_DIR/fifo.bin" --size 1M --password 'Init-S3cret' 2>"$T_DIR/fifo.err"
pid=$SPAWNED
for ((i = 0; i < 200; i++)); do
	[ "$(cat "/proc/$pid/wchan" 2>/dev/null)" = wait_for_partner ] && break
	sleep 0.05
done
tr '\0' '\n' <"/proc/$pid/cmdline" >"$T_DIR/cmdline"
check "init is blocked on its flash file" [ "$(cat "/proc/$pid/wchan")" = wait_for_partner ]
check "/proc/PID/cmdline is init's" grep -qx -- '--password' "$T_DIR/cmdline"
check "/proc/PID/cmdline does not show the password" file_lacks "$T_DIR/cmdline" 'S3cret'
cat "$T_DIR/fifo.bin" >/dev/null
wait "$pid"
check "init then fails on the FIFO (exit 1)" [ $? -eq 1 ]
check "  without printing the password" file_lacks "$T_DIR/fifo.err" 'S3cret'

# A mistyped option never echoes its value, in any subcommand.
"$DEV" init --flash "$F" --size 1M >/dev/null
while read -r cmd arg; do
	expect_exit 2 "$cmd $arg is refused" "$DEV" "$cmd" --flash "$F" "$arg" 2>"$T_DIR/err"
	check "  naming the option" file_has "$T_DIR/err" "'${arg%%=*}'"
	check "  without its value" file_lacks "$T_DIR/err" TypoSecret2
done <<'LIST'
init --passwd=TypoSecret2
init --pass=TypoSecret2
init --atomic-fs=TypoSecret2
stage --flash-timming=TypoSecret2
stage --fs=TypoSecret2
boot --torn-write=TypoSecret2
boot --powercut=TypoSecret2
status --json=TypoSecret2
status --jsno=TypoSecret2
LIST
expect_exit 2 "init --password without a value is refused" "$DEV" init --flash "$F" --size 1M --password \
	2>"$T_DIR/err"
check "  saying it needs one" file_has "$T_DIR/err" "option '--password' needs a value"
done_testing
