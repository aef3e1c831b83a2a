#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Filesystem updates: written in place by the Updater (the core's default),
# or staged and copied by eboot (ATOMIC_FS_UPDATE), plain or gzip.
. "$SRC/tests/integration/lib.sh"
. "$SRC/tests/integration/device/device-lib.sh"

F=$T_DIR/dev.flash
FS_START=$((0xEB000)) # 1M64
"$MKIMAGE" -o "$T_DIR/app.bin" --size 150000 --flash-size 1M --seed 1
app_md5=$(md5_of "$T_DIR/app.bin")
head -c 40000 /dev/urandom >"$T_DIR/fs.bin"
head -c 70000 /dev/urandom >"$T_DIR/fs-big.bin"
# A compressible filesystem image for the gzip case.
for i in $(seq 2000); do echo "file $i: some configuration text that a LittleFS image would hold"; done | head -c 50000 >"$T_DIR/fs-text.bin"
gzip -9 -n -c "$T_DIR/fs-text.bin" >"$T_DIR/fs-text.bin.gz"

# In place.
"$DEV" init --flash "$F" --size 1M --app "$T_DIR/app.bin" >/dev/null
expect_success "filesystem image written in place" "$DEV" stage --flash "$F" --fs "$T_DIR/fs.bin" >"$T_DIR/out"
check "stage says it is written" file_has "$T_DIR/out" "written to the filesystem"
check "nothing pending: the data is in place" [ "$(status_get "$F" pending)" = false ]
check "filesystem bytes equal the upload" installed_is "$F" $FS_START "$T_DIR/fs.bin"
check "status fs size" [ "$(status_get "$F" fs.size)" -eq 40000 ]
check "status fs md5" [ "$(status_get "$F" fs.md5)" = "$(md5_of "$T_DIR/fs.bin")" ]
check "the app is untouched" [ "$(status_get "$F" app.md5)" = "$app_md5" ]
before=$(status_get "$F" fs.md5)
expect_exit 1 "a filesystem image larger than the region is refused" "$DEV" stage --flash "$F" --fs "$T_DIR/fs-big.bin" 2>"$T_DIR/err"
check "ERROR[4]" file_has "$T_DIR/err" '^ERROR\[4\]: Not Enough Space$'
check "filesystem untouched after the refusal" [ "$(status_get "$F" fs.md5)" = "$before" ]
expect_success "boot after a filesystem update" "$DEV" boot --flash "$F" >"$T_DIR/boot.out" 2>&1
check "the app still runs" file_has "$T_DIR/boot.out" "md5 $app_md5"

# Atomic: staged below the filesystem, copied by eboot.
"$DEV" init --flash "$F" --size 1M --app "$T_DIR/app.bin" --atomic-fs >/dev/null
empty_fs=$(status_get "$F" fs.md5)
expect_success "atomic filesystem image staged" "$DEV" stage --flash "$F" --fs "$T_DIR/fs.bin" >"$T_DIR/out"
check "stage says install on next boot" file_has "$T_DIR/out" "installed on the next boot"
check "pending after the stage" [ "$(status_get "$F" pending)" = true ]
check "live filesystem untouched before the boot" [ "$(status_get "$F" fs.md5)" = "$empty_fs" ]
expect_success "boot copies it" "$DEV" boot --flash "$F" >"$T_DIR/boot.out" 2>&1
check "the app runs after the copy" file_has "$T_DIR/boot.out" "md5 $app_md5"
check "filesystem bytes equal the upload" installed_is "$F" $FS_START "$T_DIR/fs.bin"
check "status fs size (atomic)" [ "$(status_get "$F" fs.size)" -eq 40000 ]
check "status fs md5 (atomic)" [ "$(status_get "$F" fs.md5)" = "$(md5_of "$T_DIR/fs.bin")" ]
check "nothing pending after the copy" [ "$(status_get "$F" pending)" = false ]
check "the app is untouched (atomic)" [ "$(status_get "$F" app.md5)" = "$app_md5" ]

expect_success "atomic gzip filesystem image staged" "$DEV" stage --flash "$F" --fs "$T_DIR/fs-text.bin.gz" >/dev/null
"$DEV" boot --flash "$F" >/dev/null 2>&1
check "filesystem holds the inflated image" installed_is "$F" $FS_START "$T_DIR/fs-text.bin"
check "status fs md5: the inflated image" [ "$(status_get "$F" fs.md5)" = "$(md5_of "$T_DIR/fs-text.bin")" ]
check "status fs size: the inflated image" [ "$(status_get "$F" fs.size)" -eq 50000 ]
check "status keeps the app after FS installs" [ "$(status_get "$F" app.md5)" = "$app_md5" ]

# An app update after a filesystem install leaves the filesystem alone.
"$MKIMAGE" -o "$T_DIR/app2.bin" --size 160000 --flash-size 1M --seed 2
"$DEV" stage --flash "$F" "$T_DIR/app2.bin" >/dev/null
"$DEV" boot --flash "$F" >/dev/null 2>&1
check "new app installed" [ "$(status_get "$F" app.md5)" = "$(md5_of "$T_DIR/app2.bin")" ]
check "the filesystem is what it was" [ "$(status_get "$F" fs.md5)" = "$(md5_of "$T_DIR/fs-text.bin")" ]
done_testing
