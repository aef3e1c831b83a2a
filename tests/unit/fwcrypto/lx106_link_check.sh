#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The device-side crypto and inflate must build for the ESP8266 and link
# with nothing but libgcc: no C library, and none of the 64-bit helpers
# that the lx106 toolchain's libgcc lacks (__muldi3, __umulsidi3).
#
# usage: lx106_link_check.sh SRC_DIR WORK_DIR
set -u
src=$1
work=$2
CC=${CROSS:-xtensa-lx106-elf-}gcc
files=(fwmem md_stream md5 sha256 crc32 base64 asn1_der bignum rsa_key rsa inflate)
mkdir -p "$work" || exit 1
objs=()
for f in "${files[@]}"; do
	if ! "$CC" -std=c17 -Os -mlongcalls -ffreestanding -nostdlib -ffunction-sections \
		-fdata-sections -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Werror \
		-I"$src/firmware/core" -I"$src/firmware/hal" \
		-c "$src/firmware/core/$f.c" -o "$work/$f.o"; then
		echo "FAIL: 'firmware/core/$f.c' does not compile for xtensa-lx106" >&2
		exit 1
	fi
	objs+=("$work/$f.o")
done
# every public entry point kept, so the link resolves all they call
entries=(md5_init md5_update md5_out sha256_init sha256_update sha256_out crc32_mpeg2
	crc32_gzip rsa_pubkey_from_pem rsa_verify_sha256 rsa_verify_sha256_ws rsa_strerror
	inflate_init inflate_feed inflate_finish inflate_strerror)
undef=()
for e in "${entries[@]}"; do
	undef+=("-Wl,-u,$e")
done
if ! "$CC" -nostdlib -Wl,--gc-sections -Wl,-e,inflate_init "${undef[@]}" "${objs[@]}" -lgcc \
	-o "$work/fwcrypto.elf" 2>"$work/link.log"; then
	echo "FAIL: the objects do not link with only libgcc:" >&2
	cat "$work/link.log" >&2
	exit 1
fi
for e in "${entries[@]}"; do
	if ! ${CROSS:-xtensa-lx106-elf-}nm "$work/fwcrypto.elf" | grep -q " T $e\$"; then
		echo "FAIL: '$e' missing from the linked image" >&2
		exit 1
	fi
done
echo "ok: ${#files[@]} objects compile and link for xtensa-lx106"
${CROSS:-xtensa-lx106-elf-}size "$work/fwcrypto.elf"
