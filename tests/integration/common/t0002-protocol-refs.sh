#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Every protocol citation in the tree can be followed from a clone: each
# "docs/protocol/<file>.md §N" names a file and a section heading that exist,
# and nothing still cites the out-of-tree notes ("spe""c/<file>.md",
# "spe""c §N") or a protocol file without its docs/protocol/ path.
. "$SRC/tests/integration/lib.sh"

export LC_ALL=C # § is the two bytes c2 a7 for awk and grep alike
proto=$SRC/docs/protocol

check "docs/protocol/README.md exists" [ -f "$proto/README.md" ]

# Sections: "file §N" for every "## §N" / "### §N.M" / "### §A1" heading.
for f in "$proto"/*.md; do
	grep -oE '^#+ §([A-Z][0-9]*|[0-9]+)(\.[0-9]+)*' "$f" | sed "s|^#* |$(basename "$f") |"
done >"$T_DIR/sections"
check "docs/protocol/ has numbered sections" [ -s "$T_DIR/sections" ]
names=$(cd "$proto" && ls -- *.md | grep -v '^README\.md$' | sed 's/\.md$//' | paste -sd'|' -)

# The text files of the tree, as paths relative to SRC.
files=()
for d in src firmware tests docs man bench scripts arduino cmake .ci; do
	[ -d "$SRC/$d" ] || continue
	while IFS= read -r f; do files+=("${f#"$SRC"/}"); done \
		< <(grep -rIl --exclude-dir='build*' --exclude-dir=.git '' "$SRC/$d" | sort)
done
for f in README.md CMakeLists.txt Makefile; do [ -f "$SRC/$f" ] && files+=("$f"); done
check "found the tree's text files (${#files[@]})" [ ${#files[@]} -gt 50 ]

# check_refs: one "path:line: problem" per bad citation on stdout.
# A citation is the path of a protocol file followed by a chain of sections joined by
# spaces, commas, "and", "or" or dashes (§6-§8, §2-4, §5, §12.2), also
# from the end of one line to the start of the next. Inside docs/protocol/ a
# § outside such a chain refers to the file it is in; "RFC 6762 §6.7" is the
# RFC's, and a lone "§N" is the placeholder of "cite it as ... §N".
check_refs() {
	(cd "$SRC" && awk -v secfile="$T_DIR/sections" '
	BEGIN {
		while ((getline l < secfile) > 0) {
			split(l, p, " ")
			S[p[1] " " substr(p[2], 3)] = 1
			F[p[1]] = 1
		}
	}
	function bad(msg) { printf "%s:%d: %s\n", FILENAME, FNR, msg }
	function sec(file, n) {
		if (!((file " " n) in S))
			bad("docs/protocol/" file " has no section §" n)
	}
	{
		own = ""
		if (FILENAME ~ /^docs\/protocol\/[^\/]*\.md$/)
			own = substr(FILENAME, 15)
		line = $0; cur = ""
		# a chain broken over two lines: "...md\n * §7.4 ..."
		if (prev != "" && line ~ /^[ \t*#\/]*§/) {
			cur = prev
			sub(/^[ \t*#\/]*/, "", line)
		}
		while (match(line, /docs\/protocol\/[A-Za-z0-9_.-]+\.md|§([A-Z][0-9]*|[0-9]+)(\.[0-9]+)*/)) {
			tok = substr(line, RSTART, RLENGTH)
			gap = substr(line, 1, RSTART - 1)
			line = substr(line, RSTART + RLENGTH)
			if (substr(tok, 1, 14) == "docs/protocol/") {
				cur = substr(tok, 15)
				if (!(cur in F) && cur != "README.md")
					bad("no such file: " tok)
				if (line ~ /^ [0-9]/)
					bad(tok ": write the section as §N")
				continue
			}
			if (cur != "" && gap != "" && gap !~ /^(,? |, and |, or | and | or |-|–)$/)
				cur = ""
			target = cur != "" ? cur : own
			if (target == "" || !(target in F) || tok == "§N" || gap ~ /RFC [0-9]+ $/)
				continue
			sec(target, substr(tok, 3))
			cur = target
			if (match(line, /^(-|–)([A-Z][0-9]*|[0-9]+)(\.[0-9]+)*/)) {
				n = substr(line, 1, RLENGTH)
				sub(/^(-|–)/, "", n)
				sec(target, n)
				line = substr(line, RLENGTH + 1)
			}
		}
		prev = line ~ /^[ \t]*$/ ? cur : ""
	}' "${files[@]}")
}

check_refs >"$T_DIR/broken"
check "every docs/protocol citation names a file and section that exist" [ ! -s "$T_DIR/broken" ]
sed 's/^/  broken: /' "$T_DIR/broken"

# Citations a clone cannot follow: the old out-of-tree notes, and protocol
# file names without their docs/protocol/ path.
old='(^|[^A-Za-z])spe[c](/[A-Za-z0-9_-]+\.md|('"'"'s)? §| ('"$names"')(\.md)?)'
bare='(^|[^/A-Za-z0-9_-])('"$names"')(\.md)? §'
(cd "$SRC" && grep -nE "$old" -- "${files[@]}") >"$T_DIR/old"
(cd "$SRC" && grep -nE "$bare" -- "${files[@]}") >"$T_DIR/bare"
check "nothing cites the out-of-tree spe""c notes" [ ! -s "$T_DIR/old" ]
sed 's/^/  cite docs\/protocol\/ instead: /' "$T_DIR/old"
check "every protocol file is cited with its docs/protocol/ path" [ ! -s "$T_DIR/bare" ]
sed 's/^/  add docs\/protocol\/: /' "$T_DIR/bare"

# The checker itself: a bad section and a bad file are reported, a good
# citation, a range and a list are not.
mkdir -p "$T_DIR/self/docs/protocol"
cp "$proto"/*.md "$T_DIR/self/docs/protocol/"
p=docs/protocol # spelled out here, the probe would fail this very scan
cat >"$T_DIR/self/probe.c" <<EOF
/* $p/ota-protocol.md §5, §12.2 and $p/image-and-flash.md §6-§8, §2-4 */
/* $p/ota-protocol.md §99 */
/* $p/no-such-file.md §1 */
/* $p/image-and-flash.md §7-40 */
/* $p/signed-image-format.md
 * §31 on the next line */
/* $p/http-update.md §A3, §B and §C; $p/http-update.md §D2 */
EOF
echo 'As §3.1 says, and as §77 does not.' >>"$T_DIR/self/docs/protocol/ota-protocol.md"
probe=$(SRC=$T_DIR/self; files=(probe.c docs/protocol/ota-protocol.md); check_refs)
echo "$probe" | sed 's/^/  self-test: /'
check "self-test: good citations pass" bash -c "! grep -q '^probe.c:1:' <<<'$probe'"
check "self-test: a missing section is reported" grep -q '^probe.c:2: docs/protocol/ota-protocol.md has no section §99' <<<"$probe"
check "self-test: a missing file is reported" grep -q '^probe.c:3: no such file' <<<"$probe"
check "self-test: a range's far end is checked" grep -q '^probe.c:4: .*§40' <<<"$probe"
check "self-test: lettered sections are checked" grep -q '^probe.c:7: docs/protocol/http-update.md has no section §D2$' <<<"$probe"
check "self-test: a bare § in a protocol file is its own" grep -q '^docs/protocol/ota-protocol.md:[0-9]*: docs/protocol/ota-protocol.md has no section §77$' <<<"$probe"
check "self-test: nothing else is reported" [ "$(wc -l <<<"$probe")" -eq 6 ]
check "self-test: a chain goes on across a line break" grep -q '^probe.c:6: .*signed-image-format.md has no section §31' <<<"$probe"
done_testing
