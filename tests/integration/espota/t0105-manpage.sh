#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Every option espota-c accepts (its getopt table and its --help) is
# documented in man/espota-c.1, and every espota.py option is accepted.
. "$SRC/tests/integration/lib.sh"
. "$SRC/tests/integration/espota/espota-lib.sh"

MAN="$SRC/man/espota-c.1"
# the page as text, roff's \- turned back into -
sed 's/\\-/-/g' "$MAN" >"$T_DIR/man.txt"

# long options from the option table in main.c
grep -o '{ "[a-z0-9_-]*", [a-z_]*_argument' "$SRC/src/espota/main.c" | cut -d'"' -f2 >"$T_DIR/table.txt"
check "option table read" test "$(wc -l <"$T_DIR/table.txt")" -ge 19
while read -r opt; do
	check "--$opt is in the man page" grep -q -- "--$opt" "$T_DIR/man.txt"
done <"$T_DIR/table.txt"

# short and long options from --help
"$ESPOTA" --help >"$T_DIR/help.txt"
grep -oE -- '(^|[ ,])-[a-zA-Z]\b' "$T_DIR/help.txt" | tr -d ' ,' | sort -u >"$T_DIR/short.txt"
check "short options read" test "$(wc -l <"$T_DIR/short.txt")" -ge 12
while read -r opt; do
	check "$opt is in the man page" grep -qE -- "(^|[^a-z-])$opt([^a-z]|\$)" "$T_DIR/man.txt"
done <"$T_DIR/short.txt"
grep -oE -- '--[a-z0-9_-]+' "$T_DIR/help.txt" | sort -u >"$T_DIR/long.txt"
while read -r opt; do
	check "$opt (from --help) is in the man page" grep -q -- "$opt" "$T_DIR/man.txt"
	check "$opt (from --help) is in the option table" grep -qx -- "${opt#--}" "$T_DIR/table.txt"
done <"$T_DIR/long.txt"
check "ESPOTA_PASSWORD is documented" grep -q ESPOTA_PASSWORD "$T_DIR/man.txt"

# every option of esp8266's and arduino-esp32's espota.py is accepted
for opt in -i --ip -I --host_ip -p --port -P --host_port -a --auth -f --file -s --spiffs \
	-d --debug -r --progress -t --timeout -m --md5-target -h --help; do
	check "espota.py option $opt is in espota-c's table or help" grep -q -- "$opt\b" "$T_DIR/help.txt"
done

done_testing
