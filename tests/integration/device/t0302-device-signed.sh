#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Signed updates (signed-image-format.md): signatures made with the openssl
# command line as signing.py makes them; current and legacy formats,
# tampering, unsigned images and the wrong key.
. "$SRC/tests/integration/lib.sh"
. "$SRC/tests/integration/device/device-lib.sh"

F=$T_DIR/dev.flash
openssl genrsa -out "$T_DIR/private.key" 2048 2>/dev/null
openssl rsa -in "$T_DIR/private.key" -pubout -out "$T_DIR/public.key" 2>/dev/null
openssl genrsa -out "$T_DIR/other.key" 2048 2>/dev/null
"$MKIMAGE" -o "$T_DIR/old.bin" --size 150000 --flash-size 1M --seed 1
"$MKIMAGE" -o "$T_DIR/new.bin" --size 180000 --flash-size 1M --seed 2
old_md5=$(md5_of "$T_DIR/old.bin")

fresh() { "$DEV" init --flash "$F" --size 1M --app "$T_DIR/old.bin" --sign-key "$T_DIR/public.key" "$@" >/dev/null; }
runs_old() {
	[ "$(status_get "$F" app.md5)" = "$old_md5" ] && [ "$(status_get "$F" pending)" = false ] &&
		"$DEV" boot --flash "$F" 2>/dev/null | grep -q "md5 $old_md5"
}

sign_image "$T_DIR/new.bin" "$T_DIR/private.key" "$T_DIR/new.bin.signed"
check "signed file: image, 256-byte signature, length 256 LE" \
	[ "$(size_of "$T_DIR/new.bin.signed")" -eq $(($(size_of "$T_DIR/new.bin") + 260)) -a "$(tail -c 4 "$T_DIR/new.bin.signed" | xxd -p)" = 00010000 ]
check "the signature verifies with openssl" bash -c "head -c $(size_of "$T_DIR/new.bin") '$T_DIR/new.bin.signed' >'$T_DIR/payload' &&
	tail -c 260 '$T_DIR/new.bin.signed' | head -c 256 >'$T_DIR/sig' &&
	openssl dgst -sha256 -verify '$T_DIR/public.key' -signature '$T_DIR/sig' '$T_DIR/payload' >/dev/null"

fresh
expect_success "signed image accepted" "$DEV" stage --flash "$F" "$T_DIR/new.bin.signed" >/dev/null
expect_success "boot installs it" "$DEV" boot --flash "$F" >/dev/null 2>&1
check "installed bytes: the image with its signature" installed_is "$F" 0 "$T_DIR/new.bin.signed"
check "status size: image and signature" [ "$(status_get "$F" app.size)" -eq "$(size_of "$T_DIR/new.bin.signed")" ]
check "status md5: the signed file as uploaded" [ "$(status_get "$F" app.md5)" = "$(md5_of "$T_DIR/new.bin.signed")" ]

# gzip first, then sign (signing.py on the .gz).
"$MKIMAGE" -o "$T_DIR/gz.bin" --size 220000 --flash-size 1M --content sketch --seed 3
gzip -9 -n -c "$T_DIR/gz.bin" >"$T_DIR/gz.bin.gz"
sign_image "$T_DIR/gz.bin.gz" "$T_DIR/private.key" "$T_DIR/gz.bin.gz.signed"
fresh
expect_success "signed gzip image accepted" "$DEV" stage --flash "$F" "$T_DIR/gz.bin.gz.signed" >/dev/null
expect_success "boot inflates it" "$DEV" boot --flash "$F" >/dev/null 2>&1
# Installed: the inflated image, then the signature and its length as uploaded.
{ cat "$T_DIR/gz.bin"; tail -c 260 "$T_DIR/gz.bin.gz.signed"; } >"$T_DIR/gz.bin.installed"
check "installed bytes: the inflated image and the signature" installed_is "$F" 0 "$T_DIR/gz.bin.installed"
check "status size: inflated image and signature" [ "$(status_get "$F" app.size)" -eq $(($(size_of "$T_DIR/gz.bin") + 260)) ]
check "status md5: inflated image and signature" [ "$(status_get "$F" app.md5)" = "$(md5_of "$T_DIR/gz.bin.installed")" ]

# Legacy format (core <= 2.5.2): only with --accept-legacy.
sign_image "$T_DIR/new.bin" "$T_DIR/private.key" "$T_DIR/new.bin.legacy_sig" legacy
check "legacy signature differs from the current one" bash -c "! cmp -s '$T_DIR/new.bin.signed' '$T_DIR/new.bin.legacy_sig'"
fresh
expect_exit 1 "legacy signature refused by default" "$DEV" stage --flash "$F" "$T_DIR/new.bin.legacy_sig" 2>"$T_DIR/err"
check "ERROR[12]" file_has "$T_DIR/err" '^ERROR\[12\]: Signature verification failed$'
check "running app untouched after a legacy signature" runs_old
fresh --accept-legacy
expect_success "legacy signature accepted with --accept-legacy" "$DEV" stage --flash "$F" "$T_DIR/new.bin.legacy_sig" >/dev/null
"$DEV" boot --flash "$F" >/dev/null 2>&1
check "legacy-signed image installed" installed_is "$F" 0 "$T_DIR/new.bin.legacy_sig"
check "status md5: the legacy-signed file" [ "$(status_get "$F" app.md5)" = "$(md5_of "$T_DIR/new.bin.legacy_sig")" ]

# Refusals.
fresh
cp "$T_DIR/new.bin.signed" "$T_DIR/tampered"
printf '\x5a' | dd of="$T_DIR/tampered" bs=1 seek=70000 conv=notrunc status=none
expect_exit 1 "tampered image refused" "$DEV" stage --flash "$F" "$T_DIR/tampered" 2>"$T_DIR/err"
check "ERROR[12] for tampering" file_has "$T_DIR/err" '^ERROR\[12\]'
check "running app untouched after tampering" runs_old
expect_exit 1 "unsigned image refused while signing is on" "$DEV" stage --flash "$F" "$T_DIR/new.bin" 2>"$T_DIR/err"
check "ERROR[12] for unsigned" file_has "$T_DIR/err" '^ERROR\[12\]'
check "running app untouched after an unsigned image" runs_old
sign_image "$T_DIR/new.bin" "$T_DIR/other.key" "$T_DIR/wrongkey.signed"
expect_exit 1 "image signed with another key refused" "$DEV" stage --flash "$F" "$T_DIR/wrongkey.signed" 2>"$T_DIR/err"
check "ERROR[12] for the wrong key" file_has "$T_DIR/err" '^ERROR\[12\]'
check "running app untouched after the wrong key" runs_old

# A device without signing takes a signed file whole (signature as trailing bytes).
"$DEV" init --flash "$F" --size 1M --app "$T_DIR/old.bin" >/dev/null
expect_success "signed image on a device without signing" "$DEV" stage --flash "$F" "$T_DIR/new.bin.signed" >/dev/null
"$DEV" boot --flash "$F" >/dev/null 2>&1
check "installed whole" installed_is "$F" 0 "$T_DIR/new.bin.signed"
check "status md5: the whole file" [ "$(status_get "$F" app.md5)" = "$(md5_of "$T_DIR/new.bin.signed")" ]
done_testing
