#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# What must be true for an update to install and boot, as status reports
# it and stage enforces it: eboot's stage 2 present and valid (init
# writes it; --no-stage2 makes a device it was never flashed to), the
# installed app bootable, and an upload that cannot boot refused.
. "$SRC/tests/integration/lib.sh"
. "$SRC/tests/integration/device/device-lib.sh"

F=$T_DIR/dev.flash
"$MKIMAGE" -o "$T_DIR/a.bin" --size 60000 --flash-size 1M --seed 61 >/dev/null
"$MKIMAGE" -o "$T_DIR/a4.bin" --size 60000 --flash-size 4M --seed 61 >/dev/null

# flip FILE OFFSET: invert one byte in place.
flip() {
	local b
	b=$(od -An -tx1 -j "$2" -N 1 "$1" | tr -d ' ')
	printf "\\x$(printf %02x $((0x$b ^ 0xff)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

"$DEV" init --flash "$F" --size 1M >/dev/null || exit 1
"$DEV" status --flash "$F" >"$T_DIR/st"
check "status: stage 2 is there" file_has "$T_DIR/st" '^stage2: ok at 0x0f8000$'
check "status: the app line has no complaint" grep -qE '^app: [0-9]+ bytes, md5 [0-9a-f]{32}$' "$T_DIR/st"
"$DEV" status --flash "$F" --json >"$T_DIR/st.json"
check "status --json: stage 2 valid" json_is "$T_DIR/st.json" stage2.valid true
check "status --json: no stage 2 error" json_is "$T_DIR/st.json" stage2.error null
check "status --json: app bootable" json_is "$T_DIR/st.json" app.bootable true
check "status --json: no app error" json_is "$T_DIR/st.json" app.error null
check "the stand-in is a ROM image at the stage 2 region" \
	[ "$(od -An -tx1 -j $((0xF8000)) -N 1 "$F" | tr -d ' ')" = e9 ]

# Damaged stage 2 (a data byte), then an app that no longer boots.
flip "$F" $((0xF8000 + 40))
"$DEV" status --flash "$F" >"$T_DIR/st"
check "status: a damaged stage 2 is invalid, with why" file_has "$T_DIR/st" \
	'^stage2: invalid at 0x0f8000 (checksum does not match the segments: the image is damaged)$'
"$DEV" stage --flash "$F" "$T_DIR/a.bin" >"$T_DIR/out" 2>"$T_DIR/err"
check "stage refuses with ERROR[17] (exit 1)" [ $? -eq 1 ]
check "the error names stage 2 and what to do" file_has "$T_DIR/err" \
	'^ERROR\[17\]: eboot stage 2 is missing or damaged at 0x000f8000: checksum does not match the segments: the image is damaged; flash eboot-stage2.bin there over serial$'
check "nothing pending" [ "$(status_get "$F" pending)" = false ]
flip "$F" $((0x5000))
"$DEV" status --flash "$F" --json >"$T_DIR/st.json"
check "status --json: app not bootable" json_is "$T_DIR/st.json" app.bootable false
check "status --json: with why" json_is "$T_DIR/st.json" app.error "checksum mismatch"
check "status: the app line says why" bash -c "'$DEV' status --flash '$F' | grep -q '(not a bootable image: checksum mismatch)\$'"

# A device whose stage 2 was never flashed.
expect_success "init --no-stage2" "$DEV" init --flash "$F" --size 4M --app "$T_DIR/a4.bin" --no-stage2 >"$T_DIR/out"
check "init says so" file_has "$T_DIR/out" ', no eboot stage 2$'
check "the stage 2 region is erased" \
	[ "$(od -An -tx1 -j $((0x3F8000)) -N 8 "$F" | tr -d ' ')" = ffffffffffffffff ]
"$DEV" status --flash "$F" >"$T_DIR/st"
check "status: stage 2 missing" file_has "$T_DIR/st" \
	'^stage2: missing at 0x3f8000 (no image header (0xE9): stage 2 was never flashed)$'
"$DEV" status --flash "$F" --json >"$T_DIR/st.json"
check "status --json: stage 2 not valid" json_is "$T_DIR/st.json" stage2.valid false
check "status --json: with why" json_is "$T_DIR/st.json" stage2.error \
	"no image header (0xE9): stage 2 was never flashed"
before=$(md5_of "$F")
"$DEV" stage --flash "$F" "$T_DIR/a4.bin" >"$T_DIR/out" 2>"$T_DIR/err"
check "stage refuses (exit 1)" [ $? -eq 1 ]
check "with ERROR[17]" file_has "$T_DIR/err" \
	'^ERROR\[17\]: eboot stage 2 is missing or damaged at 0x003f8000: no image header (0xE9): stage 2 was never flashed; flash eboot-stage2.bin there over serial$'
check "nothing pending" [ "$(status_get "$F" pending)" = false ]
expect_success "the old app still boots" "$DEV" boot --flash "$F" >/dev/null 2>&1

# An upload that cannot boot, on a device that could install it.
"$DEV" init --flash "$F" --size 1M >/dev/null || exit 1
cp "$T_DIR/a.bin" "$T_DIR/bad.bin"
flip "$T_DIR/bad.bin" 30000
"$DEV" stage --flash "$F" "$T_DIR/bad.bin" >"$T_DIR/out" 2>"$T_DIR/err"
check "stage refuses an image with a bad checksum (exit 1)" [ $? -eq 1 ]
check "with ERROR[10] and why" file_has "$T_DIR/err" \
	'^ERROR\[10\]: Magic byte is not 0xE9, app image at 0x1000: image checksum does not match its segments; the image is damaged, rebuild it$'
check "nothing pending" [ "$(status_get "$F" pending)" = false ]
done_testing
