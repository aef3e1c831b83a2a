#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# eboot's code size on the ESP8266 against upstream esp8266/Arduino eboot.
# eboot boots in two stages (docs/eboot.md, "Two stages"): stage 1 is the
# boot sector and is what compares with upstream's one-sector eboot;
# stage 2, the whole install logic, lives in its own 8 KiB flash region.
#
# usage: bench/eboot_size.sh [LX106_OUT_DIR]
#
# Reads the sizes firmware/target/lx106-build.sh wrote (the `firmware`
# target's build-dir/firmware-lx106); without a directory, or when it has
# no report yet, it runs the cross build into a temporary directory first.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-}
tmp=
if [ -z "$dir" ] || [ ! -f "$dir/sizes.txt" ]; then
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/eboot-size.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	dir=$tmp
	bash "$here/firmware/target/lx106-build.sh" "$here" "$dir" >/dev/null
fi
if [ ! -f "$dir/sizes.txt" ]; then
	echo "eboot_size: no size report in '$dir'; run 'make firmware' and read its errors" >&2
	exit 1
fi

# sizes.txt holds key=value lines
get() { sed -n "s/^$1=//p" "$dir/sizes.txt"; }
code=$(get code)
upstream=$(get upstream_code)
printf 'eboot (xtensa-lx106, -Os)        text  rodata  text+rodata  image / limit\n'
printf '  stage 1 (boot sector)      %8d %7d %12d %9d / %d\n' "$(get text)" "$(get rodata)" \
	"$code" "$(get image)" "$(get image_limit)"
printf '  esp8266/Arduino eboot.elf         -       - %12d\n' "$upstream"
awk -v a="$code" -v b="$upstream" 'BEGIN {
	printf "  stage 1 / upstream: %.3f (%+d bytes)\n", a / b, a - b }'
printf '  boot sector: %s\n' "$([ "$(get fits)" = yes ] && echo fits || echo 'DOES NOT FIT')"
if [ -n "$(get stage2_code)" ]; then
	printf '  stage 2 (flash_layout.stage2) %5d %7d %12d %9d / %d\n' "$(get stage2_text)" \
		"$(get stage2_rodata)" "$(get stage2_code)" "$(get stage2_image)" \
		"$(get stage2_image_limit)"
	printf '  stage 2 region: %s\n' "$([ "$(get stage2_fits)" = yes ] && echo fits || echo 'DOES NOT FIT')"
else
	printf '  stage 2: not built; run make firmware and read its errors\n'
fi
