#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Power cut at every flash operation of a plain image's install.
. "$SRC/tests/integration/lib.sh"
. "$SRC/tests/integration/device/device-lib.sh"
. "$SRC/tests/integration/device/powercut-lib.sh"

F=$T_DIR/dev.flash
"$MKIMAGE" -o "$T_DIR/old.bin" --size 150000 --flash-size 1M --seed 1
"$MKIMAGE" -o "$T_DIR/new.bin" --size 300000 --flash-size 1M --seed 2
"$DEV" init --flash "$F" --size 1M --app "$T_DIR/old.bin" >/dev/null
snapshot
old=$(md5_of "$T_DIR/old.bin")
new=$(md5_of "$T_DIR/new.bin")
sweep_stage "$T_DIR/new.bin" "$old" "$new" 3
restore
expect_success "stage the plain image" "$DEV" stage --flash "$F" "$T_DIR/new.bin" >/dev/null
snapshot
sweep_boot "$old" "$new"
sweep_boot "$old" "$new" --torn-write
done_testing
