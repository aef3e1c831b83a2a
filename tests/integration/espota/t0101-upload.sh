#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# espota-c against ota-fakedev on loopback: plain, filesystem (-s), the
# .signed pick, stop-and-wait, progress output, quiet success, --json.
. "$SRC/tests/integration/lib.sh"
. "$SRC/tests/integration/espota/espota-lib.sh"

make_image "$T_DIR/app.bin" 300000

# 1. plain upload, streaming: the device gets the exact bytes
start_dev plain --no-delays --out "$T_DIR/plain.got"
expect_success "plain upload exits 0" upload plain -f "$T_DIR/app.bin"
expect_success "device saw matching size and MD5" dev_exit
check "device wrote the same bytes" same_file "$T_DIR/app.bin" "$T_DIR/plain.got"
check "invitation was command 0 with the file's size and MD5" \
	file_has "$T_DIR/plain.out" "invitation cmd=0 port=[0-9]* size=$(stat -c %s "$T_DIR/app.bin") md5=$(md5sum <"$T_DIR/app.bin" | cut -c1-32)"
check "success is quiet on stderr" test ! -s "$T_DIR/plain.stderr"
check "success is quiet on stdout" test ! -s "$T_DIR/plain.stdout"

# 2. -s sends command 100
start_dev fs --no-delays --out "$T_DIR/fs.got"
expect_success "-s upload exits 0" upload fs -s -f "$T_DIR/app.bin"
expect_success "device took the filesystem image" dev_exit
check "-s sends command 100" file_has "$T_DIR/fs.out" "invitation cmd=100 "

# 3. FILE.signed beside FILE is uploaded instead, and said on stderr
mkdir -p "$T_DIR/signed"
cp "$T_DIR/app.bin" "$T_DIR/signed/app.bin"
{ cat "$T_DIR/app.bin"; head -c 260 /dev/urandom; } >"$T_DIR/signed/app.bin.signed"
start_dev signed --no-delays --out "$T_DIR/signed.got"
expect_success "signed upload exits 0" upload signed -f "$T_DIR/signed/app.bin"
expect_success "device took the signed image" dev_exit
check "FILE.signed was sent, not FILE" same_file "$T_DIR/signed/app.bin.signed" "$T_DIR/signed.got"
check "stderr says the signed file is used" \
	file_has "$T_DIR/signed.stderr" "^Detected Signed Update. $T_DIR/signed/app.bin.signed will be uploaded instead.\$"

# 4. --stop-and-wait with espota.py's 1460 and arduino-esp32's 1024 chunks
for chunk in 1460 1024; do
	start_dev "saw$chunk" --no-delays --out "$T_DIR/saw$chunk.got"
	expect_success "stop-and-wait chunk $chunk exits 0" \
		upload "saw$chunk" --stop-and-wait --chunk-size "$chunk" -f "$T_DIR/app.bin"
	expect_success "device took the stop-and-wait image ($chunk)" dev_exit
	check "stop-and-wait bytes match ($chunk)" same_file "$T_DIR/app.bin" "$T_DIR/saw$chunk.got"
done

# 5. -r without a terminal: espota.py's progress lines on stderr
start_dev progress --no-delays
expect_success "-r upload exits 0" upload progress -r -f "$T_DIR/app.bin"
dev_exit
check "-r draws espota.py's 60-column bar" \
	grep -qE $'\rUploading: \\[[= ]{60}\\] [0-9]+% ' "$T_DIR/progress.stderr"
check "-r ends with 100% Done..." \
	grep -qF $'\rUploading: [============================================================] 100% Done...\r' "$T_DIR/progress.stderr"

# 6. the real device's 1 s waits around OK (no --no-delays) still succeed
start_dev delays --out "$T_DIR/delays.got"
expect_success "upload with the device's real delays exits 0" upload delays -f "$T_DIR/app.bin"
expect_success "device with delays matched" dev_exit

# 7. --json: one object on stdout
start_dev json --no-delays
expect_success "--json upload exits 0" upload json --json -f "$T_DIR/app.bin"
dev_exit
check "--json prints one line" test "$(wc -l <"$T_DIR/json.stdout")" -eq 1
check "--json result ok" json_is "$T_DIR/json.stdout" result ok
check "--json device address" json_is "$T_DIR/json.stdout" device "127.0.0.1:$DEV_PORT"
check "--json bytes sent" json_is "$T_DIR/json.stdout" bytes_sent "$(size_of "$T_DIR/app.bin")"
check "--json auth none" json_is "$T_DIR/json.stdout" auth none
check "--json error null" json_is "$T_DIR/json.stdout" error null
check "--json seconds" grep -qE '^[0-9.e-]+$' <<<"$(json_get "$T_DIR/json.stdout" seconds)"

# 8. a host name (system resolver) and -I 127.0.0.2: the invitation must leave
# from -I, since the device connects back to its source address
start_dev name --no-delays --out "$T_DIR/name.got"
# (the redirection inside a function: on expect_success it would catch the
# harness's own "ok" line too)
upload_by_name() {
	"$ESPOTA" -i localhost -I 127.0.0.2 -p "$DEV_PORT" -P 0 --json -f "$T_DIR/app.bin" \
		>"$T_DIR/name.stdout" 2>"$T_DIR/name.stderr"
}
expect_success "-i localhost -I 127.0.0.2 exits 0" upload_by_name
expect_success "device matched (host name)" dev_exit
check "--json names the resolved address" json_is "$T_DIR/name.stdout" device "127.0.0.1:$DEV_PORT"

# 9. on a terminal: the live bar, without -r
if command -v script >/dev/null; then
	start_dev tty --no-delays
	script -qec "\"$ESPOTA\" -i 127.0.0.1 -p $DEV_PORT -P 0 -f \"$T_DIR/app.bin\"" /dev/null \
		>"$T_DIR/tty.log" 2>&1 </dev/null
	expect_success "upload on a terminal exits 0" dev_exit
	check "terminal shows the bar at 100%" grep -qE '\[#{30}\] 100%' "$T_DIR/tty.log"
fi

# 10. several updates to one device in a row (--count)
start_dev count --no-delays --count 3
for i in 1 2 3; do
	expect_success "upload $i of 3 exits 0" upload "count$i" -f "$T_DIR/app.bin"
done
expect_success "device served 3 updates" dev_exit
check "device reported 3 good results" test "$(grep -c '^result: ok' "$T_DIR/count.out")" -eq 3

done_testing
