#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The fixture generator writes images laid out as elf2bin does.
. "$SRC/tests/integration/lib.sh"

img=$T_DIR/a.bin
expect_success "mkimage writes a 64 KiB image" "$BIN/mkimage" -o "$img" --size 65536 --flash-mode dout --flash-size 1M
check "eboot header magic" [ "$(xxd -p -l 1 "$img")" = e9 ]
check "app header magic at 0x1000" [ "$(xxd -p -s 4096 -l 1 "$img")" = e9 ]
check "app header has 5 segments, dout, 1M/40MHz" [ "$(xxd -p -s 4097 -l 3 "$img")" = 050320 ]
check "eboot padded with 0xAA" [ "$(xxd -p -s 4095 -l 1 "$img")" = aa ]
len=$(stat -c %s "$img")
check "length is a multiple of 16" [ $((len % 16)) -eq 0 ]
word=$(xxd -e -s 0x1010 -l 4 "$img" | awk '{print $2}')
check "length word at 0x1010 equals the file size" [ $((16#$word)) -eq "$len" ]
"$BIN/mkimage" -o "$T_DIR/b.bin" --size 65536 --flash-mode dout --flash-size 1M
check "same seed, same bytes" same_file "$img" "$T_DIR/b.bin"
"$BIN/mkimage" -o "$T_DIR/c.bin" --size 65536 --seed 2
check "another seed, other bytes" bash -c "! cmp -s '$img' '$T_DIR/c.bin'"
"$BIN/mkimage" -o "$T_DIR/s.bin" --size 262144 --content sketch
gz=$(gzip -9 -c "$T_DIR/s.bin" | wc -c)
check "sketch content compresses to 0.55..0.75" [ "$gz" -gt $((262144 * 55 / 100)) -a "$gz" -lt $((262144 * 75 / 100)) ]
expect_failure "mkimage refuses an unknown flash mode" "$BIN/mkimage" -o "$T_DIR/x.bin" --flash-mode fast 2>/dev/null
done_testing
