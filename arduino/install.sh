#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Installs (or removes) the espota-c hook beside an installed Arduino core's
# platform.txt: CORE_DIR/platform.local.txt, with the absolute paths of
# espota-c and sign-bin filled in. An existing platform.local.txt that is
# not ours is kept as platform.local.txt.espota-c-saved and put back by
# --uninstall.
#
#   arduino/install.sh [--espota-c PATH] [--sign-bin PATH] CORE_DIR
#   arduino/install.sh --uninstall CORE_DIR
#
# CORE_DIR is the folder holding the core's platform.txt, e.g.
# ~/.arduino15/packages/esp8266/hardware/esp8266/3.1.2
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
MARK='# espota-c-hook:'
SAVED=platform.local.txt.espota-c-saved

die() { echo "install.sh: $*" >&2; exit 1; }

usage() {
	sed -n 's/^#   //p' "$0"
}

# find_tool NAME GIVEN: the absolute path of a program.
find_tool() {
	local name=$1 given=$2 p
	for p in "$given" "$(command -v "$name" 2>/dev/null || true)" "$HERE/../build/bin/$name"; do
		if [ -n "$p" ] && [ -x "$p" ] && [ -f "$p" ]; then
			(cd "$(dirname "$p")" && echo "$(pwd)/$(basename "$p")")
			return 0
		fi
	done
	return 1
}

espota= sign= uninstall=0 core=
while [ $# -gt 0 ]; do
	case $1 in
	--espota-c) espota=${2:?--espota-c needs a path}; shift 2 ;;
	--sign-bin) sign=${2:?--sign-bin needs a path}; shift 2 ;;
	--uninstall) uninstall=1; shift ;;
	-h | --help) usage; exit 0 ;;
	-*) die "unknown option '$1': see --help" ;;
	*) [ -z "$core" ] || die "more than one CORE_DIR given: '$core' and '$1'"; core=$1; shift ;;
	esac
done
[ -n "$core" ] || die "missing CORE_DIR: give the folder holding the core's platform.txt"
[ -f "$core/platform.txt" ] || die "no platform.txt in '$core': give the folder of an installed esp8266 or esp32 core"

local_txt="$core/platform.local.txt"
if [ "$uninstall" = 1 ]; then
	if [ -f "$local_txt" ] && grep -q "^$MARK" "$local_txt"; then
		rm -f "$local_txt"
		echo "removed $local_txt"
	else
		echo "no espota-c hook in '$core': nothing to remove"
	fi
	if [ -f "$core/$SAVED" ]; then
		mv "$core/$SAVED" "$local_txt"
		echo "restored the earlier $local_txt"
	fi
	exit 0
fi

# which core: esp32 cores name their chips; esp8266's platform names itself
if grep -qE '^tools\.esp_ota\.|^tools\.esptool_py\.|^name=.*ESP32' "$core/platform.txt"; then
	kind=esp32
elif grep -qE '^name=.*ESP8266|^tools\.esptool\.upload\.network_pattern' "$core/platform.txt"; then
	kind=esp8266
else
	die "'$core/platform.txt' is neither the esp8266 nor the esp32 core: give the right CORE_DIR"
fi

espota=$(find_tool espota-c "$espota") || die "cannot find espota-c: build it (cmake --build build) or give --espota-c PATH"
if [ "$kind" = esp8266 ]; then
	sign=$(find_tool sign-bin "$sign") || die "cannot find sign-bin: build it (cmake --build build) or give --sign-bin PATH"
fi
case "$espota$sign" in
*'"'* | *'{'* | *'}'* | *'|'* | *'&'* | *'\\'*) die "tool paths with quotes, braces, '|', '&' or backslashes cannot go into a recipe: move the tools" ;;
esac

if [ -f "$local_txt" ] && ! grep -q "^$MARK" "$local_txt"; then
	[ ! -e "$core/$SAVED" ] || die "'$core/$SAVED' already exists: remove it or run --uninstall first"
	mv "$local_txt" "$core/$SAVED"
	echo "kept the earlier $local_txt as $SAVED"
fi
tmp=$(mktemp "$core/.platform.local.txt.XXXXXX")
sed -e "s|@ESPOTA_C@|$espota|g" -e "s|@SIGN_BIN@|$sign|g" "$HERE/platform.local.txt.$kind" >"$tmp"
chmod 644 "$tmp"
mv "$tmp" "$local_txt"
echo "installed the espota-c hook for the $kind core: $local_txt"
echo "restart the Arduino IDE to pick it up"
