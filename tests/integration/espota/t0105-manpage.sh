#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Every option espota-c accepts (its getopt table and its --help) is
# documented in man/espota-c.1; every option the page documents and every
# espota.py option is accepted when espota-c is run with it.
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

# every option the page documents is accepted, with a value where the page
# gives one (and refused a value where it gives none)
man_options "$MAN" >"$T_DIR/documented.txt"
check "options read from the page" test "$(wc -l <"$T_DIR/documented.txt")" -ge 30
while read -r opt val; do
	check "documented $opt${val#-} is accepted" accepts_option "$opt" "$val" "$ESPOTA"
done <"$T_DIR/documented.txt"
check "(an option nobody documents is refused)" \
	fails accepts_option --no-such-option - "$ESPOTA"

# every option of esp8266's and arduino-esp32's espota.py is accepted
while read -r opt val; do
	check "espota.py option $opt is accepted" accepts_option "$opt" "$val" "$ESPOTA"
done <<'EOF2'
-i 192.168.4.1
--ip 192.168.4.1
-I 0.0.0.0
--host_ip 0.0.0.0
-p 8266
--port 8266
-P 10000
--host_port 10000
-a secret
--auth secret
-f app.bin
--file app.bin
-s -
--spiffs -
-d -
--debug -
-r -
--progress -
-t 10
--timeout 10
-m -
--md5-target -
-h -
--help -
EOF2

done_testing
