# SPDX-License-Identifier: LGPL-2.1-or-later
# The espota-device scripts' own helpers (sourced after lib.sh, which has
# status_get, md5_of, size_of, sign_image and the rest).

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
