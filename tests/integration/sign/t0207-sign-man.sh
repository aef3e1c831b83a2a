#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Every option sign-bin parses (its getopt tables in src/sign/main.c) and
# every mode (the dispatch table) is documented in man/sign-bin.1 and
# listed by --help; every option the page documents is accepted when
# sign-bin is run with it; the page renders without warnings.
. "$SRC/tests/integration/lib.sh"

MAN=$SRC/man/sign-bin.1
MAIN=$SRC/src/sign/main.c
cd "$T_DIR" || exit 1

check "man/sign-bin.1 exists" [ -f "$MAN" ]
"$SIGN" --help >help.txt
check "--help exits 0" [ $? -eq 0 ]

# long options: { "name", ... } lines of the longopts table
grep -oE '\{ ?"[a-z-]+", [a-z_]+_argument' "$MAIN" | sed -E 's/\{ ?"([a-z-]+)".*/\1/' >longs
check "found the long options in main.c" [ "$(wc -l <longs)" -ge 12 ]
while read -r opt; do
	check "man page documents --$opt" grep -qF -- "\\-\\-$opt" "$MAN"
	check "--help lists --$opt" grep -qF -- "--$opt" help.txt
done <longs

# short options: the getopt_long optstring
shorts=$(grep -o 'getopt_long(argc, argv, "[^"]*"' "$MAIN" | sed 's/.*"\([^"]*\)"/\1/' | tr -d ':')
check "found the short options in main.c" [ -n "$shorts" ]
for ((i = 0; i < ${#shorts}; i++)); do
	o=${shorts:i:1}
	check "man page documents -$o" grep -qE -- "^\.BR \\\\-$o\b" "$MAN"
	check "--help lists -$o" grep -qE -- "(^| )-$o[/,]" help.txt
done

# every documented option is accepted (--bits with a size a key may have)
man_options "$MAN" | sed 's/^--bits 1$/--bits 2048/' >documented
check "options read from the page" [ "$(wc -l <documented)" -ge 18 ]
while read -r opt val; do
	check "documented $opt is accepted" accepts_option "$opt" "$val" "$SIGN"
done <documented
check "(an option nobody documents is refused)" fails accepts_option --no-such-option - "$SIGN"

# modes: the dispatch table in commands.c
grep -oE '\{ ?"[a-z]+", cmd_[a-z]+' "$SRC/src/sign/commands.c" | sed -E 's/\{ ?"([a-z]+)".*/\1/' >modes
check "found the modes" [ "$(wc -l <modes)" -eq 5 ]
while read -r m; do
	check "man page has mode $m in SYNOPSIS" grep -qxF ".B \\-m $m" "$MAN"
	check "man page describes mode $m" grep -qxF ".B $m" "$MAN"
	check "--help shows mode $m" grep -qF "sign-bin -m $m" help.txt
done <modes

if command -v groff >/dev/null; then
	groff -man -ww -z "$MAN" 2>groff.err
	check "the page renders without groff warnings" [ ! -s groff.err ]
fi
done_testing
