#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# --compress benchmark: the gzip --compress writes (libdeflate level 12)
# against zlib -9, bytes and seconds side by side (bench/gzipcmp), on the
# sketch-like fixture and on large images of real machine code; then the
# uploads through linkemu's 45 ms/sector flash model at 5840 / 20 ms
# (bench-upload.sh --compress-only), unless --no-upload.
#
# usage: bench-compress.sh [BUILD_DIR] [--reps N] [--no-upload]
set -euo pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-build}" && pwd)
[ $# -gt 0 ] && shift
REPS=3
UPLOAD=1
while [ $# -gt 0 ]; do
	case $1 in
	--reps) REPS=$2; shift 2 ;;
	--no-upload) UPLOAD=0; shift ;;
	*) echo "bench-compress: unknown option '$1'" >&2; exit 2 ;;
	esac
done
for p in "$BUILD/bin/gzipcmp" "$BUILD/bin/mkimage"; do
	[ -x "$p" ] || { echo "bench-compress: missing '$p': build first" >&2; exit 1; }
done

WORK=$(mktemp -d /tmp/espota-bench-gz.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# The project's fixture, as bench-upload.sh makes it.
"$BUILD/bin/mkimage" -o "$WORK/sketch-1MiB.bin" --size 1048576 --content sketch --seed 7
# Real machine code: the ESP8266's own libgcc (lx106 code, as a sketch
# links it), and 4 MiB of a real x86-64 program (code, tables, strings)
# standing in for a large image.
IMAGES=("$WORK/sketch-1MiB.bin")
LX=$(ls /usr/lib/gcc/xtensa-lx106-elf/*/libgcc.a 2>/dev/null | head -1 || true)
if [ -n "$LX" ]; then
	cp "$LX" "$WORK/lx106-libgcc.a"
	IMAGES+=("$WORK/lx106-libgcc.a")
fi
BIG=$(command -v cmake)
head -c $((4 * 1024 * 1024)) "$(readlink -f "$BIG")" >"$WORK/cmake-4MiB.bin"
IMAGES+=("$WORK/cmake-4MiB.bin")

echo "gzip for --compress: zlib -9 against libdeflate level 12 (src/common/gzip_write), $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores"
echo "seconds: median of 5 in-process runs; flash: 45 ms per 4 KiB sector of the stream"
echo
"$BUILD/bin/gzipcmp" "${IMAGES[@]}"

if [ "$UPLOAD" = 1 ]; then
	BENCH_LARGE="$WORK/cmake-4MiB.bin" bash "$SRC/bench/bench-upload.sh" "$BUILD" \
		--compress-only --reps "$REPS"
fi
