#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Power cut at every flash operation of an ATOMIC_FS_UPDATE filesystem
# install: the filesystem is the old one or the new one, never a mix, and
# the app is never touched.
. "$SRC/tests/integration/lib.sh"
. "$SRC/tests/integration/device/device-lib.sh"
. "$SRC/tests/integration/device/powercut-lib.sh"

F=$T_DIR/dev.flash
"$MKIMAGE" -o "$T_DIR/app.bin" --size 150000 --flash-size 1M --seed 1
head -c 30000 /dev/urandom >"$T_DIR/fs-old.bin"
head -c 45000 /dev/urandom >"$T_DIR/fs-new.bin"
"$DEV" init --flash "$F" --size 1M --app "$T_DIR/app.bin" --atomic-fs >/dev/null
"$DEV" stage --flash "$F" --fs "$T_DIR/fs-old.bin" >/dev/null
"$DEV" boot --flash "$F" >/dev/null 2>&1
check "old filesystem installed" [ "$(status_get "$F" fs.md5)" = "$(md5_of "$T_DIR/fs-old.bin")" ]
expect_success "stage the new filesystem" "$DEV" stage --flash "$F" --fs "$T_DIR/fs-new.bin" >/dev/null
snapshot
SWEEP_FIELD=fs.md5
SWEEP_KEEP_APP=$(md5_of "$T_DIR/app.bin")
sweep_boot "$(md5_of "$T_DIR/fs-old.bin")" "$(md5_of "$T_DIR/fs-new.bin")"
sweep_boot "$(md5_of "$T_DIR/fs-old.bin")" "$(md5_of "$T_DIR/fs-new.bin")" --torn-write

done_testing
