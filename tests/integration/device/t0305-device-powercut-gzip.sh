#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Power cut at every flash operation of a gzip image's install (eboot
# inflating into place).
. "$SRC/tests/integration/lib.sh"
. "$SRC/tests/integration/device/device-lib.sh"
. "$SRC/tests/integration/device/powercut-lib.sh"

F=$T_DIR/dev.flash
"$MKIMAGE" -o "$T_DIR/old.bin" --size 150000 --flash-size 1M --seed 1
"$MKIMAGE" -o "$T_DIR/new.bin" --size 300000 --flash-size 1M --content sketch --seed 3
gzip -9 -n -c "$T_DIR/new.bin" >"$T_DIR/new.bin.gz"
"$DEV" init --flash "$F" --size 1M --app "$T_DIR/old.bin" >/dev/null
snapshot
old=$(md5_of "$T_DIR/old.bin")
new=$(md5_of "$T_DIR/new.bin")
expect_success "stage the gzip image" "$DEV" stage --flash "$F" "$T_DIR/new.bin.gz" >/dev/null
snapshot
sweep_boot "$old" "$new"
sweep_boot "$old" "$new" --torn-write
done_testing
