#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Every subcommand of espota-device and every option in their getopt
# tables is documented in man/espota-device.1, and every option the page
# documents for a command is accepted when that command is run with it.
. "$SRC/tests/integration/lib.sh"
. "$SRC/tests/integration/device/device-lib.sh"

sed 's/\\-/-/g' "$SRC/man/espota-device.1" >"$T_DIR/man.txt"
"$DEV" --help >"$T_DIR/help.txt"
awk '/^commands:/ { on = 1; next } on && !NF { exit } on { print $1 }' "$T_DIR/help.txt" >"$T_DIR/cmds.txt"
check "commands listed by --help" [ "$(wc -l <"$T_DIR/cmds.txt")" -ge 4 ]
while read -r cmd; do
	check "command '$cmd' has a section" grep -qE "^\\.SS $cmd\$" "$T_DIR/man.txt"
	"$DEV" "$cmd" --help >"$T_DIR/usage.txt"
	check "'$cmd --help' prints its usage" grep -q "usage: espota-device $cmd" "$T_DIR/usage.txt"
	src=$SRC/firmware/host/cmd_$cmd.c
	grep -o '{ "[a-z0-9-]*", [a-z_]*_argument' "$src" | cut -d'"' -f2 | grep -vx help >"$T_DIR/opts.txt"
	while read -r opt; do
		check "$cmd --$opt is in the man page" grep -q -- "--$opt" "$T_DIR/man.txt"
		check "$cmd --$opt is in its usage" grep -q -- "--$opt" "$T_DIR/usage.txt"
	done <"$T_DIR/opts.txt"
	man_options "$T_DIR/man.txt" "$cmd" >"$T_DIR/documented.txt"
	check "'$cmd' documents options" [ -s "$T_DIR/documented.txt" ]
	while read -r opt val; do
		check "$cmd: documented $opt is accepted" accepts_option "$opt" "$val" "$DEV" "$cmd"
	done <"$T_DIR/documented.txt"
	check "($cmd: an option nobody documents is refused)" \
		fails accepts_option --no-such-option - "$DEV" "$cmd"
done <"$T_DIR/cmds.txt"
done_testing
