#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The cross build of firmware/core and eboot for the ESP8266: every source
# compiles for xtensa-lx106, eboot.elf links at the ROM's load addresses,
# and the boot sector image is well formed and fits the first sector.
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
sizes=$out/sizes.txt
get() { sed -n "s/^$1=//p" "$sizes"; }
check "eboot.elf links within the boot sector" [ -f "$elf" ]
if [ ! -f "$elf" ] && [ -f "$out/eboot-oversize.elf" ]; then
	# Keep checking the layout on the measuring link, so that the one
	# failure above says what is wrong and the rest still tells.
	echo "# eboot does not fit: checking the layout of eboot-oversize.elf instead"
	elf=$out/eboot-oversize.elf
fi
check "eboot links as an Xtensa executable" \
	bash -c "${X}readelf -h '$elf' | grep -q 'EXEC' && ${X}readelf -h '$elf' | grep -q Xtensa"

# Where things are: entry and code in the IRAM window upstream eboot uses,
# constants and scratch in the DRAM the ROM does not use.
sect() { ${X}size -A -d "$elf" | awk -v s="$1" -v f="$2" '$1 == s { print $f }'; }
entry=$(( $(${X}readelf -h "$elf" | awk '/Entry point/ { print $4 }') ))
text_addr=$(sect .text 3) text_size=$(sect .text 2)
ro_addr=$(sect .rodata 3) ro_size=$(sect .rodata 2)
bss_addr=$(sect .bss 3) bss_size=$(sect .bss 2)
check "entry is in .text" [ "$entry" -ge "$text_addr" -a "$entry" -lt $((text_addr + text_size)) ]
check ".text at 0x4010F000, within the 4 KiB IRAM window" \
	[ "$text_addr" -eq $((0x4010F000)) -a $((text_addr + text_size)) -le $((0x40110000)) ]
check ".rodata in DRAM 0x3FFE8000.." [ "$ro_addr" -eq $((0x3FFE8000)) ]
check ".bss (inflate state, buffers) ends below the ROM's RAM at 0x3FFFC000" \
	[ "$bss_addr" -ge $((ro_addr + ro_size)) -a $((bss_addr + bss_size)) -le $((0x3FFFC000)) ]
check ".bss holds eboot's scratch (more than the 32 KiB window)" [ "$bss_size" -gt 32768 ]

# Size: text+rodata against the sector, minus the header, two segment
# headers, the checksum and the 8 bytes elf2bin keeps free.
code=$((text_size + ro_size))
check "text+rodata ($code bytes) fits the 4096-byte sector with its overhead" \
	[ $(((8 + 16 + code + 1 + 15) / 16 * 16)) -le 4088 ]
check "the report gives the ELF's text+rodata" [ "$(get code)" = "$code" ]
check "the report names upstream's 3448 bytes" [ "$(get upstream_code)" = 3448 ]
check "the build printed the comparison" file_has "$T_DIR/build.out" "upstream eboot: 3448"

# eboot.bin: the ROM image format, checked byte by byte.
bin=$out/eboot.bin
check "eboot.bin was packed" [ -f "$bin" ]
if [ -f "$bin" ]; then
	check "eboot.bin is one 4096-byte sector" [ "$(stat -c %s "$bin")" -eq 4096 ]
	check "image magic 0xE9, 2 segments" [ "$(xxd -p -l 2 "$bin")" = e902 ]
	le32_at() { local w; w=$(xxd -e -s "$1" -l 4 "$bin" | awk '{ print $2 }'); echo $((16#$w)); }
	check "header entry is the ELF entry" [ "$(le32_at 4)" -eq "$entry" ]
	check "segment 1 is .text at its address" [ "$(le32_at 8)" -eq "$text_addr" -a "$(le32_at 12)" -eq "$text_size" ]
	seg2=$((16 + text_size))
	check "segment 2 is .rodata at its address" \
		[ "$(le32_at "$seg2")" -eq "$ro_addr" -a "$(le32_at $((seg2 + 4)))" -eq "$ro_size" ]
	${X}objcopy -O binary --only-section=.text "$elf" "$T_DIR/text.bin"
	${X}objcopy -O binary --only-section=.rodata "$elf" "$T_DIR/rodata.bin"
	check "segment 1 bytes are the ELF's .text" \
		cmp -s <(dd if="$bin" bs=1 skip=16 count="$text_size" 2>/dev/null) "$T_DIR/text.bin"
	check "segment 2 bytes are the ELF's .rodata" \
		cmp -s <(dd if="$bin" bs=1 skip=$((seg2 + 8)) count="$ro_size" 2>/dev/null) "$T_DIR/rodata.bin"
	sum=$((0xEF))
	for b in $(cat "$T_DIR/text.bin" "$T_DIR/rodata.bin" | od -An -v -tu1); do
		sum=$((sum ^ b))
	done
	end=$(((seg2 + 8 + ro_size + 1 + 15) / 16 * 16))
	check "checksum byte closes the image on a 16-byte boundary" \
		[ "$(xxd -p -s $((end - 1)) -l 1 "$bin")" = "$(printf %02x $sum)" ]
	check "the rest of the sector is 0xAA" \
		[ -z "$(dd if="$bin" bs=1 skip="$end" 2>/dev/null | od -An -v -tx1 | tr -d ' \n' | tr -d a)" ]
fi

# What eboot links: the ROM by address, no network HAL, no C library.
syms=$(${X}nm "$elf")
check "SPIRead is the ROM's, at 0x40004b1c" grep -qi '^40004b1c A SPIRead$' <<<"$syms"
check "nothing undefined" [ -z "$(${X}nm -u "$elf")" ]
check "eboot does not reference the network HAL" bash -c "! grep -q ' hal_\\(udp\\|tcp\\|poll\\|sock\\)' <<<'$syms'"
# The app loader overwrites DRAM: its code may use only literals in IRAM
# (code addresses, registers, ROM), never eboot's constants in DRAM.
${X}objdump -d "$elf" | awk '/<app_load_and_jump>:/ { on = 1; next } /^$/ { on = 0 } on' >"$T_DIR/loader.s"
check "the app loader was linked" [ -s "$T_DIR/loader.s" ]
check "the app loader reads no DRAM constants" file_lacks "$T_DIR/loader.s" '(3ffe\|(3fff[0-b]'

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
