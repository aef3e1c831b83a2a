#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# A bad command line gets exit 2 (as getopt tools and the man page say),
# every other failing leg exit 1, each with a message that names it, and
# --json reports each one: bad command line, missing file, password file, host port taken, silent device, nothing listening,
# refusal, never connecting back, a dropped stream, an error text, no OK.
. "$SRC/tests/integration/lib.sh"
. "$SRC/tests/integration/espota/espota-lib.sh"

make_image "$T_DIR/app.bin" 200000
SIZE=$(stat -c %s "$T_DIR/app.bin")

# bare NAME ARGS...: espota-c without a device, stdout in $T_DIR/NAME.json
# and stderr in NAME.err; returns its exit status.
bare() {
	local name=$1
	shift
	"$ESPOTA" "$@" >"$T_DIR/$name.json" 2>"$T_DIR/$name.err"
}

# 1. espota.py's own check for missing -i/-f
expect_exit 2 "missing -i exits 2" "$ESPOTA" -f "$T_DIR/app.bin" 2>"$T_DIR/noarg.err"
check "missing -i says Not enough arguments." grep -qE '^[0-9:]{8} \[CRITICAL\]: Not enough arguments\.$' "$T_DIR/noarg.err"
expect_exit 2 "a bad port number is a usage error" "$ESPOTA" -i 127.0.0.1 -p 70000 -f "$T_DIR/app.bin" 2>"$T_DIR/badport.err"
check "bad port is named" file_has "$T_DIR/badport.err" "invalid value '70000' for -p/--port"
# --json reports a refused command line too, with the exit status it gives
expect_exit 2 "missing -f with --json exits 2" bare noarg-json -i 127.0.0.1 --json
check "--json on missing -f prints one line" test "$(wc -l <"$T_DIR/noarg-json.json")" -eq 1
check "--json on missing -f is an error" file_has "$T_DIR/noarg-json.json" '"result":"error","exit_code":2,"error_code":1,"error_name":"usage"'
check "--json on missing -f says what to give" file_has "$T_DIR/noarg-json.json" '"error":"give the device with -i and the image with -f'
expect_exit 2 "bad port with --json exits 2" bare badport-json -i 127.0.0.1 -p 70000 --json -f "$T_DIR/app.bin"
check "--json on a bad port names it" file_has "$T_DIR/badport-json.json" "\"error_name\":\"usage\".*\"error\":\"invalid value '70000' for -p/--port"
expect_exit 2 "unknown option before --json exits 2" bare unknown --aut=SECRET --json -i 127.0.0.1 -f "$T_DIR/app.bin"
check "--json on an unknown option is a usage error" file_has "$T_DIR/unknown.json" '"exit_code":2,"error_code":1,"error_name":"usage"'
check "an unknown option's value is never echoed" sh -c "! grep -q SECRET '$T_DIR/unknown.json' '$T_DIR/unknown.err'"
# a password file that cannot be read: exit 1, reported by --json, never echoed
expect_exit 1 "unreadable --auth-file exits 1" bare pwfile -i 127.0.0.1 --auth-file "$T_DIR/no-such-pw" --json -f "$T_DIR/app.bin"
check "--json on a password file error" file_has "$T_DIR/pwfile.json" '"exit_code":1,"error_code":20,"error_name":"password"'
check "password file error names the path" file_has "$T_DIR/pwfile.err" "cannot read password file '$T_DIR/no-such-pw'"
expect_exit 1 "a password given as --auth-file exits 1" bare pwtyped -i 127.0.0.1 --auth-file HUNTER2 --json -f "$T_DIR/app.bin"
check "a password given as --auth-file is never echoed" sh -c "! grep -q HUNTER2 '$T_DIR/pwtyped.json' '$T_DIR/pwtyped.err'"

# 2. missing image
DEV_PORT=9
expect_exit 1 "missing image exits 1" upload nofile -f "$T_DIR/nope.bin"
check "missing image is named" file_has "$T_DIR/nofile.stderr" "cannot read '$T_DIR/nope.bin': No such file or directory"

# 3. unresolvable device name
expect_exit 1 "unknown host exits 1" "$ESPOTA" -i no-such-host.invalid -f "$T_DIR/app.bin" 2>"$T_DIR/resolve.err"
check "unknown host is named" file_has "$T_DIR/resolve.err" "cannot resolve 'no-such-host.invalid'"

# a .local name nobody answers for: mDNS (avahi) or the system resolver says so
expect_exit 1 "unknown .local name exits 1" "$ESPOTA" -i no-such-device-espota-test.local -f "$T_DIR/app.bin" 2>"$T_DIR/mdns.err"
check "unknown .local name is named" file_has "$T_DIR/mdns.err" "cannot resolve 'no-such-device-espota-test.local'"

# 4. silent device: no answer, after re-sending for -t seconds
start_dev silent --silent
t0=$(now_ms)
expect_exit 1 "silent device exits 1" upload silent -t 2 -f "$T_DIR/app.bin"
t1=$(now_ms)
check "silence is named with the firewall hint" file_has "$T_DIR/silent.stderr" "no answer to the invitation from '127.0.0.1:$DEV_PORT' after [0-9]* tries in 2 s: .*firewall"
check "gave up after about -t 2 seconds" test $((t1 - t0)) -ge 1900 -a $((t1 - t0)) -lt 5000
check "the invitation was re-sent" grep -q "after [2-9] tries" "$T_DIR/silent.stderr"

# 5. host TCP port already taken (by another espota-c waiting on the silent device)
HPORT=$(free_port)
spawn "$ESPOTA" -i 127.0.0.1 -p "$DEV_PORT" -P "$HPORT" -t 5 -f "$T_DIR/app.bin" 2>/dev/null
holder=$SPAWNED
sleep 0.5
expect_exit 1 "host port in use exits 1" upload busy -P "$HPORT" -f "$T_DIR/app.bin"
check "busy port is named with -P" file_has "$T_DIR/busy.stderr" "cannot listen on TCP '0.0.0.0:$HPORT': Address already in use: pick another port with -P"
t_is_child "$holder" && kill "$holder"; wait "$holder" 2>/dev/null
expect_exit 1 "-I not on this host exits 1" upload badip -I 192.0.2.1 -f "$T_DIR/app.bin"
check "-I address is named" file_has "$T_DIR/badip.stderr" "cannot listen on TCP '192.0.2.1:"
stop_dev

# 6. nothing listens on the device port (ICMP port unreachable)
DEV_PORT=$(free_port)
expect_exit 1 "closed device port exits 1" upload closed -t 1 -f "$T_DIR/app.bin"
check "closed port is named" file_has "$T_DIR/closed.stderr" "nothing listens on that UDP port"

# 7. the device refuses (its ERR text over UDP)
start_dev refuse --refuse $'ERR: ERROR[4]: Not Enough Space\n'
expect_exit 1 "refusal exits 1" upload refuse --json -f "$T_DIR/app.bin"
check "refusal shows the device's text" file_has "$T_DIR/refuse.stderr" "refused the update: ERR: ERROR\[4\]: Not Enough Space"
check "--json carries the error" json_is "$T_DIR/refuse.stdout" result error
check "--json carries the device text" json_is "$T_DIR/refuse.stdout" device_text "ERR: ERROR[4]: Not Enough Space"
dev_exit

# 8. accepted but never connected back: the leg, the address and -P
start_dev never --never-connect
expect_exit 1 "never connecting back exits 1" upload never -P 0 -f "$T_DIR/app.bin"
check "names the connect-back leg with host address and port" \
	file_has "$T_DIR/never.stderr" "accepted the invitation but never connected back to 127.0.0.1:[0-9]* within 10 s: a firewall .* -P"
port_told=$(sed -n 's/^invitation .* port=\([0-9]*\) .*/\1/p' "$T_DIR/never.out")
check "the port named is the one in the invitation" file_has "$T_DIR/never.stderr" "connected back to 127.0.0.1:$port_told "
dev_exit

# 9. connection dropped mid-stream
start_dev drop --no-delays --drop-after 50000
expect_exit 1 "dropped stream exits 1" upload drop -f "$T_DIR/app.bin"
check "drop is named with bytes sent" file_has "$T_DIR/drop.stderr" "the connection to '127.0.0.1:$DEV_PORT' dropped after [0-9]* of $SIZE bytes sent"
dev_exit

start_dev dropsaw --no-delays --drop-after 50000
expect_exit 1 "dropped stream (stop-and-wait) exits 1" upload dropsaw --stop-and-wait -f "$T_DIR/app.bin"
check "stop-and-wait drop is named" file_has "$T_DIR/dropsaw.stderr" "dropped after [0-9]* of $SIZE bytes sent"
dev_exit

# 10. the device's error text after the upload
start_dev err --no-delays --final $'ERROR[12]: Signature verification failed\n'
expect_exit 1 "device error text exits 1" upload err -f "$T_DIR/app.bin"
check "device error text is shown" file_has "$T_DIR/err.stderr" "rejected the image: ERROR\[12\]: Signature verification failed"
dev_exit

# 11. arduino-esp32 style: error text with CRLF and no ERROR word
start_dev err32 --no-delays --final $'MD5 Check Failed\r\n'
expect_exit 1 "esp32 error text exits 1" upload err32 -f "$T_DIR/app.bin"
check "esp32 error text is shown" file_has "$T_DIR/err32.stderr" "rejected the image: MD5 Check Failed"
dev_exit

# 12. closed without OK: no result (espota.py would hang here)
start_dev nook --no-delays --final ''
expect_exit 1 "close without OK exits 1" upload nook -f "$T_DIR/app.bin"
check "no result is named" file_has "$T_DIR/nook.stderr" "no result from '127.0.0.1:$DEV_PORT' after all $SIZE bytes were sent"
dev_exit

done_testing
