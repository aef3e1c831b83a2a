#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Password hygiene of `espota-device run`: --password and --password-hash
# are blanked in the running process's argv (/proc/PID/cmdline, what ps
# shows); --password-file and ESPOTA_DEVICE_PASSWORD work with espota-c
# uploads, in the documented order (option, file, environment); a
# mistyped option is refused without echoing its value.
. "$SRC/tests/integration/lib.sh"
. "$SRC/tests/integration/agent/agent-lib.sh"

F=$T_DIR/dev.bin
"$DEV" init --flash "$F" --size 1M >/dev/null || exit 1
"$MKIMAGE" -o "$T_DIR/a.bin" --size 20000 --flash-size 1M --seed 61
"$MKIMAGE" -o "$T_DIR/b.bin" --size 21000 --flash-size 1M --seed 62
next=a # the image the next good upload sends (it must differ from the running one)

# accepted DESC [espota-c options...]: an upload with these options works
# and the device runs the image afterwards.
accepted() {
	local desc=$1 img=$T_DIR/$next.bin n
	shift
	n=$(count_lines "$DEV_OUT" '^running app')
	expect_success "$desc" upload pw "$@" -f "$img"
	check "  and the device rebooted into it" wait_for_count "$DEV_OUT" '^running app' $((n + 1)) 10
	check "  status: app md5 is the upload's" [ "$(status_get "$F" app.md5)" = "$(md5_of "$img")" ]
	if [ $next = a ]; then next=b; else next=a; fi
}
# refused DESC [espota-c options...]
refused() {
	local desc=$1
	shift
	expect_failure "$desc" upload pw "$@" -f "$T_DIR/$next.bin"
	check "  the uploader saw 'Authentication Failed'" file_has "$T_DIR/pw.stderr" 'Authentication Failed'
}
cmdline_of() { tr '\0' '\n' <"/proc/$1/cmdline"; }

# --password: blanked in the running device's argv, and still the password.
start_device "$F" --password 'S3cret-in-argv' || exit 1
cmdline_of "$DEV_PID" >"$T_DIR/cmdline"
check "/proc/PID/cmdline is the device's" grep -qx -- '--password' "$T_DIR/cmdline"
check "/proc/PID/cmdline does not show the password" file_lacks "$T_DIR/cmdline" 'S3cret'
check "its place holds blanks of its length" grep -qx -- '              ' "$T_DIR/cmdline"
check "ps does not show it" bash -c "! ps -o args= -p $DEV_PID | grep -q S3cret"
refused "a wrong password is refused" -a nope
accepted "the blanked --password still opens the device" -a 'S3cret-in-argv'
stop_device
check "the password never appears in the device's output" \
	bash -c "! grep -q S3cret '$DEV_OUT' '$DEV_OUT.err'"

# --password-hash is as good as the password to an MD5 uploader: blanked too.
hash=$(printf %s hashed-pw | md5sum | cut -d' ' -f1)
start_device "$F" --password-hash "$hash" || exit 1
cmdline_of "$DEV_PID" >"$T_DIR/cmdline"
check "/proc/PID/cmdline does not show the password hash" file_lacks "$T_DIR/cmdline" "$hash"
accepted "the blanked --password-hash still applies" -a hashed-pw
stop_device

# --password-file: the first line (CR LF cut), with espota-c's --auth-file.
printf 'from-file\r\nsecond line\n' >"$T_DIR/pw.txt"
printf 'from-file\n' >"$T_DIR/up-pw.txt"
start_device "$F" --password-file "$T_DIR/pw.txt" || exit 1
refused "--password-file: the second line is not the password" -a 'second line'
refused "--password-file: the line end is not part of it" -a $'from-file\r'
accepted "--password-file: the first line opens it (espota-c --auth-file)" \
	--auth-file "$T_DIR/up-pw.txt"
stop_device
check "the file's password never appears in the device's output" \
	bash -c "! grep -q from-file '$DEV_OUT' '$DEV_OUT.err'"

# ESPOTA_DEVICE_PASSWORD, with espota-c's ESPOTA_PASSWORD.
ESPOTA_DEVICE_PASSWORD=from-env start_device "$F" || exit 1
refused "environment: no password is refused"
ESPOTA_PASSWORD=from-env accepted "environment: ESPOTA_DEVICE_PASSWORD opens it (espota-c ESPOTA_PASSWORD)"
stop_device

# Precedence: option, then file, then environment; --password-hash beats
# the environment.
printf 'file-pw\n' >"$T_DIR/pw2.txt"
ESPOTA_DEVICE_PASSWORD=env-pw start_device "$F" --password opt-pw --password-file "$T_DIR/pw2.txt" || exit 1
refused "option beats file: the file's password is refused" -a file-pw
refused "option beats environment: the environment's is refused" -a env-pw
accepted "option beats file and environment" -a opt-pw
stop_device
ESPOTA_DEVICE_PASSWORD=env-pw start_device "$F" --password-file "$T_DIR/pw2.txt" || exit 1
refused "file beats environment: the environment's is refused" -a env-pw
accepted "file beats environment" -a file-pw
stop_device
ESPOTA_DEVICE_PASSWORD=env-pw start_device "$F" --password-hash "$hash" || exit 1
refused "--password-hash beats environment: the environment's is refused" -a env-pw
stop_device
ESPOTA_DEVICE_PASSWORD= start_device "$F" || exit 1
check "an empty ESPOTA_DEVICE_PASSWORD counts as unset (authentication off)" \
	file_has "$DEV_OUT.err" 'run: authentication off$'
stop_device

# Refused sources and combinations, each naming what to fix.
expect_exit 2 "--password-file with --password-hash is refused" \
	"$DEV" run --flash "$F" --password-file "$T_DIR/pw.txt" --password-hash "$hash" 2>"$T_DIR/err"
check "  saying which two" file_has "$T_DIR/err" 'give --password-file or --password-hash, not both'
expect_exit 1 "a missing password file is refused" \
	"$DEV" run --flash "$F" --password-file "$T_DIR/none.txt" 2>"$T_DIR/err"
check "  naming the file" file_has "$T_DIR/err" "cannot read password file '$T_DIR/none.txt': No such file"
printf '\nlater\n' >"$T_DIR/empty-first.txt"
expect_exit 1 "a password file with an empty first line is refused" \
	"$DEV" run --flash "$F" --password-file "$T_DIR/empty-first.txt" 2>"$T_DIR/err"
check "  saying so" file_has "$T_DIR/err" "password file '$T_DIR/empty-first.txt' has an empty first line"

# A mistyped option never echoes its value (glibc's own message would).
for arg in --passwd=TypoSecret1 --pass=TypoSecret1 --once=TypoSecret1 --password-hasj=TypoSecret1; do
	expect_exit 2 "run $arg is refused" "$DEV" run --flash "$F" "$arg" 2>"$T_DIR/err"
	check "  naming the option" file_has "$T_DIR/err" "'${arg%%=*}'"
	check "  without its value" file_lacks "$T_DIR/err" TypoSecret1
done
done_testing
