#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# eboot's code size on the ESP8266 against upstream esp8266/Arduino eboot.
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
printf 'eboot (xtensa-lx106, -Os)        text  rodata  text+rodata  sector image\n'
printf '  espota-c eboot             %8d %7d %12d %9d / %d\n' "$(get text)" "$(get rodata)" \
	"$code" "$(get image)" "$(get image_limit)"
printf '  esp8266/Arduino eboot.elf         -       - %12d\n' "$upstream"
awk -v a="$code" -v b="$upstream" 'BEGIN {
	printf "  ratio ours/upstream: %.3f (%+d bytes)\n", a / b, a - b }'
printf '  boot sector: %s\n' "$([ "$(get fits)" = yes ] && echo fits || echo 'DOES NOT FIT')"
