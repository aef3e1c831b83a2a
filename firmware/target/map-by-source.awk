# SPDX-License-Identifier: LGPL-2.1-or-later
# Sums the input sections of a GNU ld map file by source file: the text,
# literal, rodata and data sections kept in the image, per object, for
# the "by source" lines of the size report (lx106-build.sh).
function hex(s,    i, v) {
	s = tolower(s)
	sub(/^0x/, "", s)
	v = 0
	for (i = 1; i <= length(s); i++)
		v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
	return v
}
/^Linker script and memory map/ { on = 1; next }
!on { next }
/^ \.(text|literal|rodata|data)/ {
	if (NF >= 4) { size = $3; file = $4 } else { getline; size = $2; file = $3 }
	if (file == "" || hex(size) == 0) next
	if (file ~ /\.a\(/) {
		area = file; sub(/\.a\(.*/, "", area); sub(/.*\//, "", area); sub(/^lib/, "", area)
		if (area == "fwcore") area = "core"
		m = file; sub(/.*\(/, "", m); sub(/\)$/, "", m)
		key = "firmware/" area "/" m
	} else {
		key = file; sub(/.*obj\//, "firmware/", key)
	}
	sub(/\.o$/, ".c", key)
	sum[key] += hex(size)
}
END { for (k in sum) printf "%6d  %s\n", sum[k], k }
