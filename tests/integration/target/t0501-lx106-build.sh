#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The cross build of firmware/core and eboot for the ESP8266: every source
# compiles for xtensa-lx106; stage 1 (eboot.elf) links at the ROM's load
# addresses and its boot sector image is well formed and fits the first
# sector; stage 2 (eboot-stage2.elf, the whole eboot) is a well-formed ROM
# image for its flash region, in RAM that neither stage 1 nor the app
# loader uses (docs/eboot.md, "Two stages").
. "$SRC/tests/integration/lib.sh"

X=xtensa-lx106-elf-
if ! command -v ${X}gcc >/dev/null 2>&1; then
	echo "skip: no xtensa-lx106-elf-gcc (scripts/install-deps.sh installs it)"
	exit 77
fi

out=$T_DIR/out
expect_success "the cross build succeeds from scratch" \
	bash "$SRC/firmware/target/lx106-build.sh" "$SRC" "$out" >"$T_DIR/build.out" 2>"$T_DIR/build.err"
cat "$T_DIR/build.out" "$T_DIR/build.err"
check "no source failed to compile" [ ! -s "$out/compile-failures.txt" ]

# Every source of firmware/core and firmware/eboot has an Xtensa object.
for area in core eboot; do
	for f in "$SRC/firmware/$area"/*.c; do
		[ -e "$f" ] || continue
		o=$out/obj/$area/$(basename "$f" .c).o
		check "firmware/$area/$(basename "$f") compiles for lx106" \
			bash -c "${X}readelf -h '$o' 2>/dev/null | grep -q 'Tensilica Xtensa'"
	done
done

elf=$out/eboot.elf
elf2=$out/eboot-stage2.elf
sizes=$out/sizes.txt
get() { sed -n "s/^$1=//p" "$sizes"; }
check "stage 1, eboot.elf, links within the boot sector" [ -f "$elf" ]
if [ ! -f "$elf" ] && [ -f "$out/eboot-oversize.elf" ]; then
	# Keep checking the layout on the measuring link, so that the one
	# failure above says what is wrong and the rest still tells.
	echo "# stage 1 does not fit: checking the layout of eboot-oversize.elf instead"
	elf=$out/eboot-oversize.elf
fi
check "stage 2, eboot-stage2.elf, links" [ -f "$elf2" ]

# sect ELF NAME FIELD: 2 size, 3 address; entry ELF
sect() { ${X}size -A -d "$1" | awk -v s="$2" -v f="$3" '$1 == s { print $f + 0 }'; }
entry_of() { echo $(( $(${X}readelf -h "$1" | awk '/Entry point/ { print $4 }') )); }

# check_image LABEL ELF BIN PAD: BIN is the ROM image of ELF's .text and
# .rodata (docs/protocol/image-and-flash.md §3), checked byte by byte, followed by
# 0xAA up to PAD bytes.
check_image() {
	local label=$1 elf=$2 bin=$3 pad=$4 text_addr text_size ro_addr ro_size seg2 sum end b
	text_addr=$(sect "$elf" .text 3) text_size=$(sect "$elf" .text 2)
	ro_addr=$(sect "$elf" .rodata 3) ro_size=$(sect "$elf" .rodata 2)
	check "$label: image was packed" [ -f "$bin" ]
	[ -f "$bin" ] || return
	le32_at() { local w; w=$(xxd -e -s "$1" -l 4 "$bin" | awk '{ print $2 }'); echo $((16#$w)); }
	check "$label: image magic 0xE9, 2 segments" [ "$(xxd -p -l 2 "$bin")" = e902 ]
	check "$label: header entry is the ELF entry" [ "$(le32_at 4)" -eq "$(entry_of "$elf")" ]
	check "$label: segment 1 is .text at its address" \
		[ "$(le32_at 8)" -eq "$text_addr" -a "$(le32_at 12)" -eq "$text_size" ]
	seg2=$((16 + text_size))
	check "$label: segment 2 is .rodata at its address" \
		[ "$(le32_at "$seg2")" -eq "$ro_addr" -a "$(le32_at $((seg2 + 4)))" -eq "$ro_size" ]
	${X}objcopy -O binary --only-section=.text "$elf" "$T_DIR/text.bin"
	${X}objcopy -O binary --only-section=.rodata "$elf" "$T_DIR/rodata.bin"
	check "$label: segment 1 bytes are the ELF's .text" \
		cmp -s <(dd if="$bin" bs=1 skip=16 count="$text_size" 2>/dev/null) "$T_DIR/text.bin"
	check "$label: segment 2 bytes are the ELF's .rodata" \
		cmp -s <(dd if="$bin" bs=1 skip=$((seg2 + 8)) count="$ro_size" 2>/dev/null) "$T_DIR/rodata.bin"
	sum=$((0xEF))
	for b in $(cat "$T_DIR/text.bin" "$T_DIR/rodata.bin" | od -An -v -tu1); do
		sum=$((sum ^ b))
	done
	end=$(((seg2 + 8 + ro_size + 1 + 15) / 16 * 16))
	check "$label: checksum byte closes the image on a 16-byte boundary" \
		[ "$(xxd -p -s $((end - 1)) -l 1 "$bin")" = "$(printf %02x $sum)" ]
	if [ "$pad" -gt 0 ]; then
		check "$label: image is $pad bytes" [ "$(stat -c %s "$bin")" -eq "$pad" ]
		check "$label: the rest is 0xAA" \
			[ -z "$(dd if="$bin" bs=1 skip="$end" 2>/dev/null | od -An -v -tx1 | tr -d ' \n' | tr -d a)" ]
	else
		check "$label: image ends with its checksum" [ "$(stat -c %s "$bin")" -eq "$end" ]
	fi
}

# check_links LABEL ELF: the ROM by address, no network HAL, no C library,
# and an app loader that reads no DRAM (it overwrites DRAM: its code may
# use only literals in IRAM, i.e. code addresses, registers, ROM).
check_links() {
	local label=$1 elf=$2 syms
	check "$label links as an Xtensa executable" \
		bash -c "${X}readelf -h '$elf' | grep -q 'EXEC' && ${X}readelf -h '$elf' | grep -q Xtensa"
	syms=$(${X}nm "$elf")
	check "$label: SPIRead is the ROM's, at 0x40004b1c" grep -qi '^40004b1c A SPIRead$' <<<"$syms"
	check "$label: nothing undefined" [ -z "$(${X}nm -u "$elf")" ]
	check "$label does not reference the network HAL" \
		bash -c "! grep -q ' hal_\\(udp\\|tcp\\|poll\\|sock\\)' <<<'$syms'"
	# (LTO may clone it as app_load_and_jump$constprop$N)
	${X}objdump -d "$elf" | awk '/<app_load_and_jump[>$]/ && /:$/ { on = 1; next } /^$/ { on = 0 } on' \
		>"$T_DIR/loader.s"
	check "$label: the app loader was linked" [ -s "$T_DIR/loader.s" ]
	check "$label: the app loader reads no DRAM constants" file_lacks "$T_DIR/loader.s" '(3ffe\|(3fff[0-b]'
}

# ---- stage 1: the boot sector ----
entry=$(entry_of "$elf")
text_addr=$(sect "$elf" .text 3) text_size=$(sect "$elf" .text 2)
ro_addr=$(sect "$elf" .rodata 3) ro_size=$(sect "$elf" .rodata 2)
bss_addr=$(sect "$elf" .bss 3) bss_size=$(sect "$elf" .bss 2)
check_links "stage 1" "$elf"
check "stage 1: entry is stage1_entry, in .text" \
	[ "$entry" -ge "$text_addr" -a "$entry" -lt $((text_addr + text_size)) -a \
	"$entry" -eq $((16#$(${X}nm "$elf" | awk '$3 == "stage1_entry" { print $1 }'))) ]
check "stage 1: .text at 0x4010F000, within the 4 KiB IRAM window" \
	[ "$text_addr" -eq $((0x4010F000)) -a $((text_addr + text_size)) -le $((0x40110000)) ]
check "stage 1: .rodata at 0x3FFE8000" [ "$ro_addr" -eq $((0x3FFE8000)) ]
check "stage 1: .rodata and .bss end below stage 2's DRAM at 0x3FFE9000" \
	[ "$bss_addr" -ge $((ro_addr + ro_size)) -a $((bss_addr + bss_size)) -le $((0x3FFE9000)) ]

# Size: text+rodata against the sector, minus the header, two segment
# headers, the checksum and the 8 bytes elf2bin keeps free.
code=$((text_size + ro_size))
check "stage 1: text+rodata ($code bytes) fits the 4096-byte sector with its overhead" \
	[ $(((8 + 16 + code + 1 + 15) / 16 * 16)) -le 4088 ]
check "the report gives stage 1's text+rodata" [ "$(get code)" = "$code" ]
check "the report names upstream's 3448 bytes" [ "$(get upstream_code)" = 3448 ]
check "the build printed the comparison" file_has "$T_DIR/build.out" "upstream eboot: 3448"
check_image "stage 1" "$elf" "$out/eboot.bin" 4096

# ---- stage 2: the whole eboot, loaded by stage 1 ----
if [ -f "$elf2" ]; then
	entry2=$(entry_of "$elf2")
	t2=$(sect "$elf2" .text 3) t2s=$(sect "$elf2" .text 2)
	r2=$(sect "$elf2" .rodata 3) r2s=$(sect "$elf2" .rodata 2)
	b2=$(sect "$elf2" .bss 3) b2s=$(sect "$elf2" .bss 2)
	check_links "stage 2" "$elf2"
	check "stage 2: entry is eboot_entry, in .text" \
		[ "$entry2" -ge "$t2" -a "$entry2" -lt $((t2 + t2s)) -a \
		"$entry2" -eq $((16#$(${X}nm "$elf2" | awk '$3 == "eboot_entry" { print $1 }'))) ]
	check "stage 2: .text inside its IRAM window 0x4010C000..0x4010EFFF" \
		[ "$t2" -ge $((0x4010C000)) -a $((t2 + t2s)) -le $((0x4010F000)) ]
	check "stage 2: .text clear of stage 1's IRAM" \
		[ $((t2 + t2s)) -le "$text_addr" -o "$t2" -ge $((text_addr + text_size)) ]
	check "stage 2: .text clear of the app loader's range [0x40100000, 0x4010C000)" \
		[ "$t2" -ge $((0x4010C000)) ]
	check "stage 2: .rodata and .bss above stage 1's DRAM" \
		[ "$r2" -ge $((bss_addr + bss_size)) -a "$r2" -ge $((ro_addr + ro_size)) ]
	check "stage 2: .bss ends below the ROM's RAM at 0x3FFFC000" \
		[ "$b2" -ge $((r2 + r2s)) -a $((b2 + b2s)) -le $((0x3FFFC000)) ]
	check "stage 2: .bss holds eboot's scratch (more than the 32 KiB window)" [ "$b2s" -gt 32768 ]
	check_image "stage 2" "$elf2" "$out/eboot-stage2.bin" 0
	check "stage 2: the image fits its 8 KiB flash region" \
		[ "$(stat -c %s "$out/eboot-stage2.bin")" -le 8192 ]
	check "the report gives stage 2's image size" \
		[ "$(get stage2_image)" = "$(stat -c %s "$out/eboot-stage2.bin")" ]
	check "the build printed stage 2's size" file_has "$T_DIR/build.out" "stage 2 image"
fi

# Stage 1's loader refuses a stage 2 segment outside stage 2's windows: the
# windows it checks are the ones eboot-stage2.ld links into.
check "stage2_load.h and eboot-stage2.ld agree on the IRAM window" \
	bash -c "grep -q 'STAGE2_IRAM_START 0x4010C000u' '$SRC/firmware/target/stage2_load.h' &&
		grep -q 'iram_boot : org = 0x4010C000, len = 0x3000' '$SRC/firmware/target/eboot-stage2.ld'"
check "stage2_load.h and eboot-stage2.ld agree on the DRAM window" \
	bash -c "grep -q 'STAGE2_DRAM_START 0x3FFE9000u' '$SRC/firmware/target/stage2_load.h' &&
		grep -q 'dram_boot : org = 0x3FFE9000, len = 0x13000' '$SRC/firmware/target/eboot-stage2.ld'"

# A source that does not build for lx106 is named, and the rest still links.
bad=$T_DIR/src
mkdir -p "$bad/firmware"
cp -r "$SRC/firmware/core" "$SRC/firmware/eboot" "$SRC/firmware/hal" "$SRC/firmware/target" "$bad/firmware/"
printf '#include <string.h>\nint broken_for_lx106(void) { return (int)strlen("x"); }\n' \
	>"$bad/firmware/core/zz_hosted.c"
expect_exit 1 "a source that needs the C library fails the build" \
	bash "$bad/firmware/target/lx106-build.sh" "$bad" "$T_DIR/bad-out" >/dev/null 2>"$T_DIR/bad.err"
check "the failure names the file" file_has "$T_DIR/bad.err" "firmware/core/zz_hosted.c"
check "and the compiler's reason" file_has "$T_DIR/bad.err" "string.h"
check "eboot is still linked without it" \
	[ -s "$T_DIR/bad-out/eboot.elf" -o -s "$T_DIR/bad-out/eboot-oversize.elf" ]

done_testing
