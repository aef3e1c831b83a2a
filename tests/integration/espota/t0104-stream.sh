#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The TCP leg under awkward devices: acks split across segments, acks
# joined with each other and with the final OK, a small receive window with
# slow "flash" sectors; --compress (the device inflates and checks) and
# --wait for a device that only comes up later.
. "$SRC/tests/integration/lib.sh"
. "$SRC/tests/integration/espota/espota-lib.sh"

make_image "$T_DIR/app.bin" 250000

for acks in split join; do
	start_dev "$acks" --no-delays --acks "$acks" --out "$T_DIR/$acks.got"
	expect_success "streaming with $acks acks exits 0" upload "$acks" -f "$T_DIR/app.bin"
	expect_success "device matched ($acks acks)" dev_exit
	check "bytes match ($acks acks)" same_file "$T_DIR/app.bin" "$T_DIR/$acks.got"
done

start_dev sawsplit --no-delays --acks split --out "$T_DIR/sawsplit.got"
expect_success "stop-and-wait with split acks exits 0" upload sawsplit --stop-and-wait -f "$T_DIR/app.bin"
expect_success "device matched (stop-and-wait, split)" dev_exit

# lwIP-like: 5840-byte window, 5 ms per 4 KiB sector; TCP paces the stream
start_dev slow --no-delays --rx-window 5840 --sector-ms 5 --out "$T_DIR/slow.got"
expect_success "small window and slow sectors exits 0" upload slow -f "$T_DIR/app.bin"
expect_success "device matched (small window)" dev_exit
check "bytes match (small window)" same_file "$T_DIR/app.bin" "$T_DIR/slow.got"

# a device that stops reading mid-stream (connection open): named after 10 s
start_dev stall --no-delays --stall-after 60000
t0=$(now_ms)
expect_exit 1 "stalled device exits 1" upload stall -f "$T_DIR/app.bin"
t1=$(now_ms)
check "stall is named with what the device took" \
	file_has "$T_DIR/stall.stderr" "took no data for 10 s after [0-9]* of $(stat -c %s "$T_DIR/app.bin") bytes"
check "gave up after about 10 s" test $((t1 - t0)) -ge 9500 -a $((t1 - t0)) -lt 15000
stop_dev

# --compress: the invitation carries the gzip's size and MD5; the device
# inflates and must get the original image back
start_dev gz --no-delays --inflate --out "$T_DIR/gz.got"
expect_success "--compress exits 0" upload gz --compress --json -f "$T_DIR/app.bin"
expect_success "device inflated and matched" dev_exit
check "inflated bytes are the image" same_file "$T_DIR/app.bin" "$T_DIR/gz.got"
gzip -9 -n -c "$T_DIR/app.bin" >"$T_DIR/app.bin.gz"
gzsize=$(sed -n 's/^invitation .* size=\([0-9]*\) .*/\1/p' "$T_DIR/gz.out")
check "invitation size is the compressed size" test "$gzsize" -lt "$(stat -c %s "$T_DIR/app.bin")"
gz9=$(stat -c %s "$T_DIR/app.bin.gz")
# libdeflate level 12: at most 0.98x the bytes of gzip -9 (issue 11's goal)
check "compressed size is at most 0.98x gzip -9's ($gzsize vs $gz9)" \
	test $(( gzsize * 100 )) -le $(( gz9 * 98 ))
check "--json says compressed" json_is "$T_DIR/gz.stdout" compressed true

# --compress on an image that is already gzip: sent as is
start_dev gz2 --no-delays --out "$T_DIR/gz2.got"
expect_success "--compress on a .gz exits 0" upload gz2 --compress --json -f "$T_DIR/app.bin.gz"
expect_success "device matched the .gz" dev_exit
check "the .gz went unchanged" same_file "$T_DIR/app.bin.gz" "$T_DIR/gz2.got"
check "--json says not compressed again" json_is "$T_DIR/gz2.stdout" compressed false

# --compress on a signed image is refused: it must be compressed before signing
mkdir -p "$T_DIR/signed"
cp "$T_DIR/app.bin" "$T_DIR/signed/app.bin"
cp "$T_DIR/app.bin" "$T_DIR/signed/app.bin.signed"
DEV_PORT=9
expect_exit 1 "--compress with FILE.signed exits 1" upload gzsigned --compress -f "$T_DIR/signed/app.bin"
check "the refusal says to compress before signing" file_has "$T_DIR/gzsigned.stderr" "cannot compress '$T_DIR/signed/app.bin.signed': a signed image is compressed before it is signed"

# --wait: the device starts 2 s after espota-c; -t 1 alone would give up
WPORT=$(free_port)
spawn "$ESPOTA" -i 127.0.0.1 -p "$WPORT" -P 0 -t 1 --wait 8 -f "$T_DIR/app.bin" \
	>"$T_DIR/wait.stdout" 2>"$T_DIR/wait.stderr"
waiter=$SPAWNED
sleep 2
spawn "$FAKEDEV" --port "$WPORT" --no-delays --out "$T_DIR/wait.got" >"$T_DIR/wait.out"
DEV_PID=$SPAWNED
expect_success "--wait keeps inviting until the device answers" wait "$waiter"
expect_success "late device matched" dev_exit
check "late device got the image" same_file "$T_DIR/app.bin" "$T_DIR/wait.got"

done_testing
