# SPDX-License-Identifier: LGPL-2.1-or-later
# Helpers for the espota-device tests (sourced after lib.sh).

DEV=$BIN/espota-device
MKIMAGE=$BIN/mkimage

# status_get FLASH PATH: one field of `status --json`, PATH being app.size,
# app.md5, fs.size, fs.md5 or pending (the JSON is compact and fixed).
status_get() {
	local json
	json=$("$DEV" status --flash "$1" --json) || return 1
	case $2 in
	app.size) sed -n 's/.*"app":{"size":\([0-9]*\),.*/\1/p' <<<"$json" ;;
	app.md5) sed -n 's/.*"app":{[^}]*"md5":"\([0-9a-f]*\)".*/\1/p' <<<"$json" ;;
	fs.size) sed -n 's/.*"fs":{"size":\([0-9]*\),.*/\1/p' <<<"$json" ;;
	fs.md5) sed -n 's/.*"fs":{[^}]*"md5":"\([0-9a-f]*\)".*/\1/p' <<<"$json" ;;
	pending) sed -n 's/.*"pending":\(true\|false\)}.*/\1/p' <<<"$json" ;;
	esac
}

md5_of() { md5sum "$1" | cut -d' ' -f1; }
size_of() { stat -c %s "$1"; }

# flash_bytes FLASH OFFSET LEN OUT: copy bytes out of a flash file.
flash_bytes() {
	dd if="$1" of="$4" bs=4096 iflag=skip_bytes,count_bytes skip="$2" count="$3" status=none
}

# installed_is FLASH OFFSET FILE: the flash holds FILE's bytes at OFFSET.
installed_is() {
	local tmp=$T_DIR/installed.$$
	flash_bytes "$1" "$2" "$(size_of "$3")" "$tmp"
	cmp -s "$tmp" "$3"
}

# sign_image IN KEY OUT [legacy]: signing.py's layout, made with openssl
# (docs/protocol/signed-image-format.md §8): payload ‖ signature ‖ uint32 LE length.
sign_image() {
	local in=$1 key=$2 out=$3 sig=$T_DIR/sig.$$ len
	if [ "${4:-}" = legacy ]; then
		openssl dgst -sha256 -binary "$in" >"$sig.digest" &&
			openssl pkeyutl -sign -inkey "$key" -in "$sig.digest" -out "$sig" || return 1
	else
		openssl dgst -sha256 -sign "$key" -out "$sig" "$in" || return 1
	fi
	len=$(size_of "$sig")
	{ cat "$in" "$sig"; printf "\\x$(printf %02x $((len & 255)))\\x$(printf %02x $((len >> 8 & 255)))\\x00\\x00"; } >"$out"
}
