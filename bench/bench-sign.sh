#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Signing benchmark: `sign-bin --mode sign` against `openssl dgst -sha256
# -sign` (the step signing.py runs) and, when python3 and signing.py are
# there, signing.py itself. Whole processes, wall time, run in turns
# (sign-bin, openssl, signing.py, again) so that a busy moment hits every
# column alike; prints the median of each and the pairwise ratio.
#
# usage: bench-sign.sh [BUILD_DIR] [--size BYTES] [--bits N] [--reps N]
# signing.py is looked for in $SIGNING_PY (esp8266/Arduino's tools/signing.py).
set -euo pipefail

BUILD=$(cd "${1:-build}" && pwd)
[ $# -gt 0 ] && shift
SIZE=1048576
BITS=2048
REPS=10
while [ $# -gt 0 ]; do
	case $1 in
	--size) SIZE=$2; shift 2 ;;
	--bits) BITS=$2; shift 2 ;;
	--reps) REPS=$2; shift 2 ;;
	*) echo "bench-sign: unknown option '$1'" >&2; exit 2 ;;
	esac
done

SIGN=$BUILD/bin/sign-bin
for p in "$SIGN" "$BUILD/bin/mkimage"; do
	[ -x "$p" ] || { echo "bench-sign: missing '$p': build first" >&2; exit 1; }
done
command -v openssl >/dev/null || { echo "bench-sign: needs the openssl program" >&2; exit 1; }
PY=
if command -v python3 >/dev/null && [ -n "${SIGNING_PY:-}" ] && [ -f "$SIGNING_PY" ]; then
	PY=$SIGNING_PY
fi

WORK=$(mktemp -d /tmp/espota-bench-sign.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
"$BUILD/bin/mkimage" -o app.bin --size "$SIZE" --content sketch
openssl genrsa -out private.key "$BITS" 2>/dev/null

# ms CMD...: wall milliseconds of one run (bash's clock: no extra process).
ms() {
	local t0=$EPOCHREALTIME t1
	"$@" >/dev/null 2>&1 || { echo "bench-sign: '$*' failed" >&2; exit 1; }
	t1=$EPOCHREALTIME
	awk "BEGIN{printf \"%.2f\", ($t1 - $t0) * 1000}"
}
median() { tr ' ' '\n' | sort -g | awk '{a[NR]=$1} END{n=NR; print (n%2) ? a[(n+1)/2] : (a[n/2]+a[n/2+1])/2}'; }

# one warm-up round so every program and file is in the page cache
"$SIGN" -m sign -s private.key -b app.bin -o app.signed >/dev/null 2>&1
openssl dgst -sha256 -sign private.key -out app.sig app.bin
S=() O=() P=() R=() RP=()
for _ in $(seq "$REPS"); do
	s=$(ms "$SIGN" -m sign -s private.key -b app.bin -o app.signed)
	o=$(ms openssl dgst -sha256 -sign private.key -out app.sig app.bin)
	S+=("$s") O+=("$o")
	R+=("$(awk "BEGIN{printf \"%.3f\", $s / $o}")")
	if [ -n "$PY" ]; then
		p=$(ms python3 "$PY" --mode sign --privatekey private.key --bin app.bin --out app.py.signed)
		P+=("$p")
		RP+=("$(awk "BEGIN{printf \"%.3f\", $s / $p}")")
	fi
done
[ -n "$PY" ] && cmp -s app.signed app.py.signed || [ -z "$PY" ] ||
	{ echo "bench-sign: sign-bin and signing.py wrote different files" >&2; exit 1; }

echo "sign-bin --mode sign benchmark: $(stat -c %s app.bin)-byte image, RSA-$BITS, whole processes, median of $REPS, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores"
printf '| %-34s | %9s | %-26s |\n' "program" "median ms" "sign-bin / it (pairwise median)"
printf '|%s|%s|%s|\n' "------------------------------------" "-----------" "----------------------------"
printf '| %-34s | %9s | %-26s |\n' "sign-bin -m sign" "$(echo "${S[@]}" | median)" ""
printf '| %-34s | %9s | %-26s |\n' "openssl dgst -sha256 -sign" "$(echo "${O[@]}" | median)" "$(echo "${R[@]}" | median)x"
if [ -n "$PY" ]; then
	printf '| %-34s | %9s | %-26s |\n' "signing.py --mode sign" "$(echo "${P[@]}" | median)" "$(echo "${RP[@]}" | median)x"
else
	printf '| %-34s | %9s | %-26s |\n' "signing.py --mode sign" "skipped" "(python3 or \$SIGNING_PY missing)"
fi
