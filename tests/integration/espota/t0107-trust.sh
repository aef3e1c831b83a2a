#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Whom espota-c trusts: the image goes only to the invited device (a peer
# on another local address that connects first, curl as the peer, gets
# nothing); an OK counts only once the device has taken every byte; a
# device that takes a byte now and then, or trickles acks and never says
# its result, is bounded by --max-time; the device's words are printed
# with their control characters escaped.
. "$SRC/tests/integration/lib.sh"
. "$SRC/tests/integration/espota/espota-lib.sh"

make_image "$T_DIR/app.bin" 200000
SIZE=$(size_of "$T_DIR/app.bin")

# 1. a peer on 127.0.0.2 connects to the host port before the device does
#    (the device answers the invitation only after 700 ms) and would answer
#    OK after a second, as in the reported attack
start_dev rogue --reply-delay 700 --out "$T_DIR/rogue-dev.got"
port=$(free_port) || exit 1
spawn "$ESPOTA" -d -i 127.0.0.1 -p "$DEV_PORT" -P "$port" -f "$T_DIR/app.bin" \
	>"$T_DIR/rogue.stdout" 2>"$T_DIR/rogue.stderr"
ESPOTA_PID=$SPAWNED
for _ in $(seq 100); do
	{ sleep 1; printf OK; } | curl -s --interface 127.0.0.2 "telnet://127.0.0.1:$port" \
		>"$T_DIR/rogue.got" 2>/dev/null && break
	sleep 0.02
done
wait "$ESPOTA_PID"
check "with a peer connecting first, the upload still succeeds" test $? -eq 0
check "the peer on another address got no byte of the image" test "$(size_of "$T_DIR/rogue.got")" -eq 0
check "the device got the image" cmp -s "$T_DIR/rogue-dev.got" "$T_DIR/app.bin"
check "-d says the other connection was closed" \
	file_has "$T_DIR/rogue.stderr" "Closed a connection from 127.0.0.2:[0-9]*: not the invited device"
dev_exit
check "the device counted its update" test $? -eq 0

# 2. a peer that says OK at once and takes nothing: not a success (its
#    window is the size of lwIP's, so TCP cannot take the image for it)
make_image "$T_DIR/small.bin" 20000
start_dev early --early-ok --rx-window 4096
upload early -f "$T_DIR/small.bin" --json
check "an OK before the image was taken is not a success" test $? -eq 1
check "it is not reported as ok" json_is "$T_DIR/early.stdout" result error
check "the message says the OK came too early" \
	file_has "$T_DIR/early.stderr" "said OK before it had taken the image"
stop_dev

# 3. a device that takes one byte a second: the total limit ends it
start_dev trickle --no-delays --rx-window 4096 --trickle-after 50000
t0=$(now_ms)
upload trickle -f "$T_DIR/app.bin" --max-time 3 --json
rc=$?
t1=$(now_ms)
check "a trickling device fails the upload" test "$rc" -eq 1
check "after about --max-time 3 s ($((t1 - t0)) ms)" test $((t1 - t0)) -ge 2900 -a $((t1 - t0)) -lt 8000
check "the message names the limit" file_has "$T_DIR/trickle.stderr" "within the upload's limit of 3 s"
check "--json: stalled" json_is "$T_DIR/trickle.stdout" error_name stalled
stop_dev

# 4. a device that takes everything, then trickles ack digits forever
start_dev trickres --no-delays --trickle-result
t0=$(now_ms)
upload trickres -f "$T_DIR/small.bin" --max-time 3 --json
rc=$?
t1=$(now_ms)
check "acks without a result fail the upload" test "$rc" -eq 1
check "after about --max-time 3 s ($((t1 - t0)) ms)" test $((t1 - t0)) -ge 2900 -a $((t1 - t0)) -lt 8000
check "the message says no result within the limit" \
	file_has "$T_DIR/trickres.stderr" "no result from '127.0.0.1:$DEV_PORT' within the upload's limit of 3 s"
check "--json: no_result" json_is "$T_DIR/trickres.stdout" error_name no_result
stop_dev

# 5. the device's error text with control characters: escaped on stderr
start_dev ctl --no-delays --final $'ERROR[7]: bad \033]0;pwned\007 \\ text\n'
upload ctl -f "$T_DIR/small.bin" --json
check "the error text fails the upload" test $? -eq 1
check "stderr shows the text escaped" \
	file_has "$T_DIR/ctl.stderr" 'rejected the image: ERROR\[7\]: bad \\x1b\]0;pwned\\x07 \\\\ text'
check "no escape byte reaches stderr" sh -c "! grep -q \$'\\033' '$T_DIR/ctl.stderr'"
check "--json keeps the device's own bytes" \
	json_is "$T_DIR/ctl.stdout" device_text $'ERROR[7]: bad \033]0;pwned\007 \\ text'
dev_exit

# 6. the default limit scales with the image
check "--help names --max-time" sh -c "'$ESPOTA' --help | grep -q -- '--max-time SECONDS'"
expect_exit 2 "--max-time 0 is refused" "$ESPOTA" -i 127.0.0.1 -f "$T_DIR/small.bin" --max-time 0 2>"$T_DIR/mt0.err"
check "and named" file_has "$T_DIR/mt0.err" "invalid value '0' for --max-time"

done_testing
