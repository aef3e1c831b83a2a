#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Passwords: every source (-a, --auth=, --auth-file, ESPOTA_PASSWORD), odd
# characters, both challenge schemes and the SHA-256 to MD5-hash fallback,
# refusals, and that no output ever shows the password.
. "$SRC/tests/integration/lib.sh"
. "$SRC/tests/integration/espota/espota-lib.sh"

make_image "$T_DIR/app.bin" 120000
PW=$'s3cr\xc3\xa9t "pass" \'word\' w/ spaces'

# the password must not appear in anything espota-c printed for NAME
no_leak() {
	! grep -qF -- "$PW" "$T_DIR/$1.stdout" "$T_DIR/$1.stderr" &&
		! grep -qF -- "s3cr" "$T_DIR/$1.stdout" "$T_DIR/$1.stderr"
}

# 1. -a with spaces, quotes and non-ASCII (UTF-8 bytes), with -d
start_dev md5 --no-delays --password "$PW" --out "$T_DIR/md5.got"
expect_success "-a with an odd password exits 0" upload md5 -d --json -a "$PW" -f "$T_DIR/app.bin"
expect_success "device accepted the MD5 answer" dev_exit
check "device checked the password" file_has "$T_DIR/md5.out" "^auth ok"
check "--json says md5" json_is "$T_DIR/md5.stdout" auth md5
check "-d output never shows the password" no_leak md5
check "-d does log (the check above is not vacuous)" file_has "$T_DIR/md5.stderr" "\[DEBUG\]: Options:"

# 2. --auth=VALUE
start_dev eq --no-delays --password "$PW"
expect_success "--auth=VALUE exits 0" upload eq "--auth=$PW" -f "$T_DIR/app.bin"
expect_success "device accepted --auth=" dev_exit

# 3. --auth-file (first line; CRLF tolerated)
printf '%s\r\nignored second line\n' "$PW" >"$T_DIR/pw.txt"
start_dev file --no-delays --password "$PW"
expect_success "--auth-file exits 0" upload file -d --auth-file "$T_DIR/pw.txt" -f "$T_DIR/app.bin"
expect_success "device accepted the file's password" dev_exit
check "--auth-file output never shows the password" no_leak file
expect_failure "--auth-file that does not exist fails" upload nofile --auth-file "$T_DIR/none.txt" -f "$T_DIR/app.bin"
check "missing --auth-file is named" file_has "$T_DIR/nofile.stderr" "cannot read password file '$T_DIR/none.txt'"

# 4. ESPOTA_PASSWORD, also when the IDE passes an empty --auth=
start_dev env --no-delays --password "$PW"
expect_success "ESPOTA_PASSWORD with --auth= exits 0" env ESPOTA_PASSWORD="$PW" \
	"$ESPOTA" -i 127.0.0.1 -p "$DEV_PORT" -P 0 -d --auth= -f "$T_DIR/app.bin" \
	>"$T_DIR/env.stdout" 2>"$T_DIR/env.stderr"
expect_success "device accepted ESPOTA_PASSWORD" dev_exit
check "ESPOTA_PASSWORD never printed" no_leak env

# 5. wrong password: refused with the device's text, exit 1
start_dev wrong --no-delays --password "$PW"
expect_exit 1 "wrong password exits 1" upload wrong -d -a "not it" -f "$T_DIR/app.bin"
check "auth failure is named with the device's text" \
	file_has "$T_DIR/wrong.stderr" "\[ERROR\]: authentication failed at '127.0.0.1:$DEV_PORT': Authentication Failed"
stop_dev

# 6. 3.3.1+ scheme (64-char nonce), device stores the SHA-256 hash
start_dev sha --no-delays --password "$PW" --nonce-len 64 --out "$T_DIR/sha.got"
expect_success "SHA-256/PBKDF2 upload exits 0" upload sha --json -d -a "$PW" -f "$T_DIR/app.bin"
expect_success "device accepted the PBKDF2 answer" dev_exit
check "--json says sha256" json_is "$T_DIR/sha.stdout" auth sha256
check "one invitation was enough" test "$(grep -c '^invitation' "$T_DIR/sha.out")" -eq 1
check "PBKDF2 -d output never shows the password" no_leak sha

# 7. device stores the MD5 hash: refused once, then the fallback works
start_dev fb --no-delays --password "$PW" --nonce-len 64 --hash md5
expect_success "fallback to the MD5 hash exits 0" upload fb --json -a "$PW" -f "$T_DIR/app.bin"
expect_success "device accepted the fallback" dev_exit
check "first answer refused" file_has "$T_DIR/fb.out" "^auth failed"
check "second invitation sent" test "$(grep -c '^invitation' "$T_DIR/fb.out")" -eq 2
check "--json says sha256-md5hash" json_is "$T_DIR/fb.stdout" auth sha256-md5hash

# 8. -m: the MD5 hash at once, no SHA-256 attempt
start_dev m --no-delays --password "$PW" --nonce-len 64 --hash md5
expect_success "-m against an MD5-hash device exits 0" upload m -m -a "$PW" -f "$T_DIR/app.bin"
expect_success "device accepted -m" dev_exit
check "-m needed one invitation" test "$(grep -c '^invitation' "$T_DIR/m.out")" -eq 1
check "-m made no refused attempt" file_lacks "$T_DIR/m.out" "^auth failed"

# 9. -m against a SHA-256 device: no retry, auth failure
start_dev msha --no-delays --password "$PW" --nonce-len 64
expect_exit 1 "-m against a SHA-256 device exits 1" upload msha -m -a "$PW" -f "$T_DIR/app.bin"
check "-m failure names the auth" file_has "$T_DIR/msha.stderr" "authentication failed"
check "-m did not retry" test "$(grep -c '^invitation' "$T_DIR/msha.out")" -eq 1
stop_dev

# 10. wrong password on the 3.3.1+ scheme: both hashes tried, then failure
start_dev both --no-delays --password "$PW" --nonce-len 64
expect_exit 1 "wrong password (PBKDF2) exits 1" upload both -a "wrong" -f "$T_DIR/app.bin"
check "both hashes were tried" file_has "$T_DIR/both.stderr" "both the SHA-256 and the MD5 password hash were tried"
stop_dev

# 11. a slow sketch loop (2 s per datagram) with a password: the repeated invitation
# resets its challenge (pitfall 4); espota-c notices and invites once more
start_dev slow --no-delays --password "$PW" --reply-delay 2000 --out "$T_DIR/slow.got"
expect_success "slow device with a password exits 0" upload slow -d -a "$PW" -f "$T_DIR/app.bin"
expect_success "slow device matched" dev_exit
check "the reset challenge was noticed" file_has "$T_DIR/slow.stderr" "inviting again without repeats"
check "slow device output never shows the password" no_leak slow

# 12. -a is blanked in argv once read: ps and /proc/PID/cmdline do not show it
start_dev ps --silent
spawn "$ESPOTA" -i 127.0.0.1 -p "$DEV_PORT" -P 0 -t 2 -a "$PW" -f "$T_DIR/app.bin" 2>/dev/null
up_pid=$SPAWNED
sleep 0.5
tr '\0' ' ' <"/proc/$up_pid/cmdline" >"$T_DIR/cmdline.txt"
check "the command line was read" file_has "$T_DIR/cmdline.txt" "espota-c -i 127.0.0.1"
check "the password is not in /proc/PID/cmdline" file_lacks "$T_DIR/cmdline.txt" "s3cr"
wait "$up_pid"
stop_dev

done_testing
