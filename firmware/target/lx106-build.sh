#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The xtensa-lx106 cross build: compiles every firmware/core and
# firmware/eboot source (found by glob, so new files are picked up),
# links both eboot stages (docs/eboot.md, "Two stages"): eboot.elf, stage
# 1, at the address the ROM loads the boot sector to, and
# eboot-stage2.elf, the whole eboot, for its own RAM windows; packs
# eboot.bin (the ROM image of the boot sector) and eboot-stage2.bin (a ROM
# image for flash_layout.stage2) and reports sizes.
#
# usage: lx106-build.sh SRC_DIR OUT_DIR
#
# Writes OUT_DIR/obj/**, OUT_DIR/eboot.elf, eboot.map, eboot.bin,
# eboot-stage2.elf, eboot-stage2.map, eboot-stage2.bin and
# OUT_DIR/sizes.txt (key=value lines for tests and bench/eboot_size.sh).
# When eboot does not fit, eboot-oversize.elf (linked without the 4 KiB
# limit) gives the sizes instead. The report also splits text+rodata by
# source file, from eboot-nolto.elf (the same objects linked without LTO).
#
# Exit status: 0 all built and eboot fits; 1 a source failed to compile
# (reported first: it is the first thing to fix); 2 a stage did not link
# or does not fit; 3 bad usage or no toolchain.
set -u

UPSTREAM_EBOOT_CODE=3448 # text+rodata of esp8266/Arduino's eboot.elf

if [ $# -ne 2 ]; then
	echo "usage: lx106-build.sh SRC_DIR OUT_DIR" >&2
	exit 3
fi
src=$1
out=$2
CROSS=${CROSS:-xtensa-lx106-elf-}
CC=${CROSS}gcc
if ! command -v "$CC" >/dev/null 2>&1; then
	echo "lx106-build: cannot find '$CC'; install gcc-xtensa-lx106 and binutils-xtensa-lx106" >&2
	exit 3
fi

# -flto: whole-program optimisation at link time saves about 900 bytes of
# eboot; -ffat-lto-objects keeps real lx106 code in every object too, so
# "compiles for lx106" still means code generation succeeded.
CFLAGS=(-std=c17 -Os -mlongcalls -ffunction-sections -fdata-sections -nostdlib
	-ffreestanding -flto -ffat-lto-objects -fno-common -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Werror
	-I"$src/firmware/core" -I"$src/firmware/hal" -I"$src/firmware/eboot"
	-I"$src/firmware/target")

mkdir -p "$out/obj/core" "$out/obj/eboot" "$out/obj/target" "$out/log" || exit 3
rm -f "$out"/obj/*/*.o "$out"/log/*.log "$out"/eboot*.elf "$out"/eboot*.map "$out"/eboot*.bin \
	"$out/sizes.txt" "$out/compile-failures.txt"

failed=()
# compile AREA FILE: one object per source; the compiler's words go to a log.
compile() {
	local area=$1 file=$2 name
	name=$(basename "$file")
	name=${name%.*}
	if "$CC" "${CFLAGS[@]}" -c "$file" -o "$out/obj/$area/$name.o" \
		>"$out/log/$area-$name.log" 2>&1; then
		return 0
	fi
	failed+=("firmware/$area/$(basename "$file")")
	echo "lx106-build: compiling 'firmware/$area/$(basename "$file")' failed:" >&2
	sed 's/^/    /' "$out/log/$area-$name.log" >&2
	return 1
}

shopt -s nullglob
for area in core eboot; do
	for f in "$src/firmware/$area"/*.c; do
		compile "$area" "$f"
	done
done
for f in "$src/firmware/target"/*.c "$src/firmware/target"/*.S; do
	compile target "$f"
done
n_core=$(ls "$src"/firmware/core/*.c 2>/dev/null | wc -l)
n_eboot=$(ls "$src"/firmware/eboot/*.c 2>/dev/null | wc -l)
printf '%s\n' "${failed[@]}" >"$out/compile-failures.txt"
[ ${#failed[@]} -eq 0 ] && : >"$out/compile-failures.txt"

# Only the objects eboot needs end up in the ELF: archives plus
# --gc-sections drop the rest (the OTA agent, the updater, RSA).
rm -f "$out/libfwcore.a" "$out/libeboot.a"
core_objs=("$out"/obj/core/*.o)
eboot_objs=("$out"/obj/eboot/*.o)
[ ${#core_objs[@]} -gt 0 ] && "${CROSS}gcc-ar" rcs "$out/libfwcore.a" "${core_objs[@]}"
[ ${#eboot_objs[@]} -gt 0 ] && "${CROSS}gcc-ar" rcs "$out/libeboot.a" "${eboot_objs[@]}"
libs=()
[ -f "$out/libeboot.a" ] && libs+=("$out/libeboot.a")
[ -f "$out/libfwcore.a" ] && libs+=("$out/libfwcore.a")

# Each stage links the target objects but the other stage's entry files.
stage1_objs=() stage2_objs=()
for o in "$out"/obj/target/*.o; do
	case $(basename "$o") in
	eboot_start.o) stage2_objs+=("$o") ;;
	stage1_start.o | stage2_load.o) stage1_objs+=("$o") ;;
	*) stage1_objs+=("$o") stage2_objs+=("$o") ;;
	esac
done

# link ELF [FLAGS...]: stage 1, eboot.elf, with the real limits of
# eboot.ld; with EBOOT_MEASURE_ONLY defined, a link without them that only
# measures. link2 ELF: stage 2 with eboot-stage2.ld.
link() {
	local to=$1
	shift
	"$CC" "${CFLAGS[@]}" -Wl,--gc-sections -Wl,-Map="${to%.elf}.map" "$@" \
		-L"$src/firmware/target" -T eboot.ld -o "$to" \
		"${stage1_objs[@]}" -Wl,--start-group "${libs[@]}" -lgcc -Wl,--end-group
}
link2() {
	"$CC" "${CFLAGS[@]}" -Wl,--gc-sections -Wl,-Map="${1%.elf}.map" \
		-L"$src/firmware/target" -T eboot-stage2.ld -o "$1" \
		"${stage2_objs[@]}" -Wl,--start-group "${libs[@]}" -lgcc -Wl,--end-group
}
elf=$out/eboot.elf
fits=yes
if ! link "$elf" >"$out/log/link.log" 2>&1; then
	echo "lx106-build: linking 'eboot.elf' failed:" >&2
	sed 's/^/    /' "$out/log/link.log" >&2
	fits=no
	elf=$out/eboot-oversize.elf
	if link "$elf" -Wl,--defsym=EBOOT_MEASURE_ONLY=1 >"$out/log/link-measure.log" 2>&1; then
		echo "lx106-build: eboot does not fit the boot sector; sizes below are from" \
			"'eboot-oversize.elf', linked without the 4 KiB limit to measure it" >&2
	else
		elf=
	fi
fi


# section_size NAME [ELF], section_addr NAME [ELF]: from the linked ELF (0 if absent).
section_field() {
	"${CROSS}size" -A -d "${3:-$elf}" | awk -v s="$1" -v f="$2" '
		$1 == s { v = $f }
		END { print v + 0 }'
}
section_size() { section_field "$1" 2 "${2:-}"; }
section_addr() { section_field "$1" 3 "${2:-}"; }

# pack_image ELF BIN PAD: the ROM image format (docs/protocol/image-and-flash.md §3)
# with the .text and .rodata segments of ELF, padded with 0xAA to PAD bytes
# (the 4096-byte sector for stage 1, 0 for none); prints the image size.
le32() {
	printf "\\x$(printf %02x $(($1 & 255)))\\x$(printf %02x $((($1 >> 8) & 255)))"
	printf "\\x$(printf %02x $((($1 >> 16) & 255)))\\x$(printf %02x $((($1 >> 24) & 255)))"
}
pack_image() {
	local elf=$1 bin=$2 pad=$3 entry segs=(.text .rodata) s sum=$((0xEF)) total b
	entry=$("${CROSS}readelf" -h "$elf" | awk '/Entry point/ { print $4 }')
	entry=$((entry))
	for s in "${segs[@]}"; do
		"${CROSS}objcopy" -O binary --only-section="$s" "$elf" "$out/seg$s.bin" || return 1
		for b in $(od -An -v -tu1 "$out/seg$s.bin"); do
			sum=$((sum ^ b))
		done
	done
	{
		# magic, segment count, flash mode DIO, 4 MiB / 40 MHz: the
		# defaults; esptool --flash_mode/--flash_size rewrites bytes 2-3
		# when it writes offset 0, as elf2bin sets them from the board
		printf '\xe9\x02\x02\x40'
		le32 "$entry"
		total=8
		for s in "${segs[@]}"; do
			local size
			size=$(stat -c %s "$out/seg$s.bin")
			le32 "$(section_addr "$s" "$elf")"
			le32 "$size"
			cat "$out/seg$s.bin"
			total=$((total + 8 + size))
		done
		total=$((total + 1))
		while [ $((total % 16)) -ne 0 ]; do
			printf '\x00'
			total=$((total + 1))
		done
		printf "\\x$(printf %02x "$sum")"
		echo "$total" >"$out/image-size.txt"
		while [ "$total" -lt "$pad" ]; do
			printf '\xaa'
			total=$((total + 1))
		done
	} >"$bin"
	rm -f "$out"/seg.*.bin
	cat "$out/image-size.txt"
}

status=0
[ ${#failed[@]} -gt 0 ] && status=1
if [ -n "$elf" ]; then
	text=$(section_size .text)
	rodata=$(section_size .rodata)
	bss=$(section_size .bss)
	code=$((text + rodata))
	image=$(((8 + 16 + code + 1 + 15) / 16 * 16))
	limit=$((4096 - 8))
	[ "$image" -le "$limit" ] || fits=no
	if [ $fits = yes ]; then
		[ "$(pack_image "$elf" "$out/eboot.bin" 4096)" = "$image" ] || fits=no
	fi
	{
		echo "text=$text"
		echo "rodata=$rodata"
		echo "bss=$bss"
		echo "code=$code"
		echo "image=$image"
		echo "image_limit=$limit"
		echo "fits=$fits"
		echo "upstream_code=$UPSTREAM_EBOOT_CODE"
		echo "core_sources=$n_core"
		echo "eboot_sources=$n_eboot"
		echo "compile_failures=${#failed[@]}"
	} >"$out/sizes.txt"
	echo "$(basename "$elf") for xtensa-lx106 ($n_core core and $n_eboot eboot sources):"
	printf '  %-20s %6d bytes at 0x%08x (IRAM)\n' ".text" "$text" "$(section_addr .text)"
	printf '  %-20s %6d bytes at 0x%08x (DRAM)\n' ".rodata (+ .data)" "$rodata" \
		"$(section_addr .rodata)"
	printf '  %-20s %6d bytes at 0x%08x (DRAM, not in flash)\n' ".bss" "$bss" \
		"$(section_addr .bss)"
	printf '  %-20s %6d bytes (upstream eboot: %d, ratio %s)\n' "text+rodata" "$code" \
		"$UPSTREAM_EBOOT_CODE" \
		"$(awk -v a="$code" -v b="$UPSTREAM_EBOOT_CODE" 'BEGIN { printf "%.3f", a / b }')"
	printf '  %-20s %6d of %d bytes (%s)\n' "boot sector image" "$image" "$limit" \
		"$([ $fits = yes ] && echo fits || echo "DOES NOT FIT by $((image - limit)) bytes")"
	# Where the bytes go, per source file: LTO merges functions across
	# files, so this is measured on a link of the same objects without it.
	if link "$out/eboot-nolto.elf" -fno-lto -Wl,--defsym=EBOOT_MEASURE_ONLY=1 \
		>"$out/log/link-nolto.log" 2>&1; then
		echo "  text+rodata by source file (linked without LTO: $(($(section_size .text \
			"$out/eboot-nolto.elf") + $(section_size .rodata "$out/eboot-nolto.elf"))) bytes):"
		awk -f "$src/firmware/target/map-by-source.awk" "$out/eboot-nolto.map" | sort -rn |
			sed 's/^/    /'
	fi

	[ $fits = yes ] || [ $status -ne 0 ] || status=2
else
	[ $status -ne 0 ] || status=2
fi

# Stage 2: the whole eboot, a ROM image of its own for flash_layout.stage2
# (eboot-stage2.ld asserts that it fits the region's 8 KiB).
elf2=$out/eboot-stage2.elf
s2_limit=8192
if link2 "$elf2" >"$out/log/link-stage2.log" 2>&1; then
	s2_text=$(section_size .text "$elf2")
	s2_rodata=$(section_size .rodata "$elf2")
	s2_bss=$(section_size .bss "$elf2")
	s2_code=$((s2_text + s2_rodata))
	s2_image=$(pack_image "$elf2" "$out/eboot-stage2.bin" 0)
	s2_fits=yes
	[ -n "$s2_image" ] && [ "$s2_image" -le "$s2_limit" ] || s2_fits=no
	{
		echo "stage2_text=$s2_text"
		echo "stage2_rodata=$s2_rodata"
		echo "stage2_bss=$s2_bss"
		echo "stage2_code=$s2_code"
		echo "stage2_image=${s2_image:-0}"
		echo "stage2_image_limit=$s2_limit"
		echo "stage2_fits=$s2_fits"
	} >>"$out/sizes.txt"
	echo "eboot-stage2.elf (loaded by stage 1 from flash_layout.stage2):"
	printf '  %-20s %6d bytes at 0x%08x (IRAM)\n' ".text" "$s2_text" \
		"$(section_addr .text "$elf2")"
	printf '  %-20s %6d bytes at 0x%08x (DRAM)\n' ".rodata (+ .data)" "$s2_rodata" \
		"$(section_addr .rodata "$elf2")"
	printf '  %-20s %6d bytes at 0x%08x (DRAM, not in flash)\n' ".bss" "$s2_bss" \
		"$(section_addr .bss "$elf2")"
	printf '  %-20s %6d bytes\n' "text+rodata" "$s2_code"
	printf '  %-20s %6d of %d bytes (%s)\n' "stage 2 image" "${s2_image:-0}" "$s2_limit" \
		"$([ $s2_fits = yes ] && echo fits || echo "DOES NOT FIT")"
	[ $s2_fits = yes ] || [ $status -ne 0 ] || status=2
else
	echo "lx106-build: linking 'eboot-stage2.elf' failed:" >&2
	sed 's/^/    /' "$out/log/link-stage2.log" >&2
	echo "stage2_fits=no" >>"$out/sizes.txt"
	[ $status -ne 0 ] || status=2
fi
if [ ${#failed[@]} -gt 0 ]; then
	echo "lx106-build: ${#failed[@]} source(s) do not compile for xtensa-lx106:" >&2
	printf '    %s\n' "${failed[@]}" >&2
fi
exit $status
