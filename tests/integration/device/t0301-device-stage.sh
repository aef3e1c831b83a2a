#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# OTA updates through the Updater and eboot, without the network: plain and
# gzip images installed byte for byte, and every refusal leaving the
# running app untouched and nothing scheduled.
. "$SRC/tests/integration/lib.sh"
. "$SRC/tests/integration/device/device-lib.sh"

F=$T_DIR/dev.flash
"$MKIMAGE" -o "$T_DIR/old.bin" --size 150000 --flash-size 1M --seed 1
"$DEV" init --flash "$F" --size 1M --app "$T_DIR/old.bin" >/dev/null
old_md5=$(md5_of "$T_DIR/old.bin")
check "status before: the serial-flashed app" [ "$(status_get "$F" app.md5)" = "$old_md5" ]

# runs_old: the running app is still the old one and nothing is scheduled.
runs_old() {
	[ "$(status_get "$F" app.md5)" = "$old_md5" ] && [ "$(status_get "$F" pending)" = false ] &&
		"$DEV" boot --flash "$F" 2>/dev/null | grep -q "md5 $old_md5"
}

# Plain image.
"$MKIMAGE" -o "$T_DIR/new.bin" --size 200000 --flash-size 1M --seed 2
expect_success "stage a plain image" "$DEV" stage --flash "$F" "$T_DIR/new.bin" >"$T_DIR/out"
check "stage says it is scheduled" file_has "$T_DIR/out" "installed on the next boot"
check "update pending after stage" [ "$(status_get "$F" pending)" = true ]
check "old app still installed before the reboot" [ "$(status_get "$F" app.md5)" = "$old_md5" ]
expect_success "boot installs it" "$DEV" boot --flash "$F" >"$T_DIR/boot.out" 2>"$T_DIR/boot.err"
check "boot runs the new app" file_has "$T_DIR/boot.out" "md5 $(md5_of "$T_DIR/new.bin")"
check "installed bytes equal the uploaded bytes" installed_is "$F" 0 "$T_DIR/new.bin"
check "status after: size" [ "$(status_get "$F" app.size)" -eq "$(size_of "$T_DIR/new.bin")" ]
check "status after: md5" [ "$(status_get "$F" app.md5)" = "$(md5_of "$T_DIR/new.bin")" ]
check "nothing pending after the install" [ "$(status_get "$F" pending)" = false ]
expect_success "a second boot" "$DEV" boot --flash "$F" >"$T_DIR/boot2.out"
check "a second boot writes no flash" file_has "$T_DIR/boot2.out" "flash ops: 0"

# gzip image: installed inflated.
"$MKIMAGE" -o "$T_DIR/gz.bin" --size 260000 --flash-size 1M --content sketch --seed 3
gzip -9 -n -c "$T_DIR/gz.bin" >"$T_DIR/gz.bin.gz"
expect_success "stage a gzip image" "$DEV" stage --flash "$F" "$T_DIR/gz.bin.gz" >/dev/null
expect_success "boot inflates it" "$DEV" boot --flash "$F" >/dev/null 2>&1
check "installed bytes equal the inflated image" installed_is "$F" 0 "$T_DIR/gz.bin"
check "status: size of the inflated image" [ "$(status_get "$F" app.size)" -eq "$(size_of "$T_DIR/gz.bin")" ]
check "status: md5 of the inflated image" [ "$(status_get "$F" app.md5)" = "$(md5_of "$T_DIR/gz.bin")" ]

# A later upload replaces a pending one.
"$MKIMAGE" -o "$T_DIR/a.bin" --size 100000 --flash-size 1M --seed 4
"$MKIMAGE" -o "$T_DIR/b.bin" --size 120000 --flash-size 1M --seed 5
"$DEV" stage --flash "$F" "$T_DIR/a.bin" >/dev/null
expect_success "stage another while one is pending" "$DEV" stage --flash "$F" "$T_DIR/b.bin" >/dev/null
"$DEV" boot --flash "$F" >/dev/null 2>&1
check "the last staged image wins" installed_is "$F" 0 "$T_DIR/b.bin"

# Flash mode: the Updater writes the running chip's mode into byte 2.
"$MKIMAGE" -o "$T_DIR/dout.bin" --size 90000 --flash-size 1M --flash-mode dout --seed 6
expect_success "stage a dout image on a dio device" "$DEV" stage --flash "$F" "$T_DIR/dout.bin" >/dev/null
"$DEV" boot --flash "$F" >/dev/null 2>&1
cp "$T_DIR/dout.bin" "$T_DIR/dout-patched.bin"
printf '\x02' | dd of="$T_DIR/dout-patched.bin" bs=1 seek=2 conv=notrunc status=none
check "installed with byte 2 = dio, the rest as uploaded" installed_is "$F" 0 "$T_DIR/dout-patched.bin"

# Refusals.
"$DEV" init --flash "$F" --size 1M --app "$T_DIR/old.bin" >/dev/null
"$MKIMAGE" -o "$T_DIR/huge.bin" --size 600000 --flash-size 1M --seed 8
expect_exit 1 "too big: refused" "$DEV" stage --flash "$F" "$T_DIR/huge.bin" 2>"$T_DIR/err"
check "ERROR[4] as the Updater prints it" file_has "$T_DIR/err" '^ERROR\[4\]: Not Enough Space$'
check "running app untouched after too big" runs_old
{ printf "\x00"; tail -c +2 "$T_DIR/new.bin" | head -c 99999; } >"$T_DIR/nomagic.bin"
expect_exit 1 "wrong magic: refused" "$DEV" stage --flash "$F" "$T_DIR/nomagic.bin" 2>"$T_DIR/err"
check "ERROR[10]" file_has "$T_DIR/err" '^ERROR\[10\]: Magic byte is not 0xE9$'
check "running app untouched after wrong magic" runs_old
"$MKIMAGE" -o "$T_DIR/4m.bin" --size 100000 --flash-size 4M --seed 9
expect_exit 1 "an image built for 4M on a 1M chip: refused" "$DEV" stage --flash "$F" "$T_DIR/4m.bin" 2>"$T_DIR/err"
check "ERROR[9] names the real size" file_has "$T_DIR/err" '^ERROR\[9\]: new Flash config wrong, real size: 1048576$'
check "running app untouched after a wrong flash config" runs_old
: >"$T_DIR/empty.bin"
expect_exit 1 "an empty image: refused" "$DEV" stage --flash "$F" "$T_DIR/empty.bin" 2>"$T_DIR/err"
check "ERROR[5]" file_has "$T_DIR/err" '^ERROR\[5\]: Bad Size Given$'
gzip -9 -n -c "$T_DIR/new.bin" | head -c 5000 >"$T_DIR/trunc.gz"
"$DEV" stage --flash "$F" "$T_DIR/trunc.gz" >/dev/null 2>&1
rc=$?
if [ $rc -eq 0 ]; then
	"$DEV" boot --flash "$F" >/dev/null 2>&1
	check "a truncated gzip is refused by eboot, old app runs" runs_old
else
	check "a truncated gzip is refused by the Updater" [ $rc -eq 1 ]
	check "running app untouched after a truncated gzip" runs_old
fi
expect_failure "a missing image" "$DEV" stage --flash "$F" "$T_DIR/none.bin" 2>"$T_DIR/err"
check "message names the image" file_has "$T_DIR/err" "none.bin"
expect_exit 2 "stage without an image" "$DEV" stage --flash "$F" 2>/dev/null
check "running app untouched at the end" runs_old
done_testing
