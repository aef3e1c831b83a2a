#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Upload benchmark: espota-c streaming vs espota-c --stop-and-wait (the
# pattern of espota.py) through linkemu, an emulated Wi-Fi link with a
# device receive window and a round-trip time, to ota-fakedev.
#
# usage: bench-upload.sh [BUILD_DIR] [--size BYTES] [--reps N] [--quick] [--compress-only]
# Prints one table row per cell with the cell's bound beside each figure.
set -euo pipefail

BUILD=${1:-build}
[ $# -gt 0 ] && shift
SIZE=1048576
REPS=3
QUICK=0
COMPRESS_ONLY=0
while [ $# -gt 0 ]; do
	case $1 in
	--size) SIZE=$2; shift 2 ;;
	--reps) REPS=$2; shift 2 ;;
	--quick) QUICK=1; shift ;;
	--compress-only) COMPRESS_ONLY=1; shift ;;
	*) echo "bench-upload: unknown option '$1'" >&2; exit 2 ;;
	esac
done

BIN=$BUILD/bin
FAKEDEV=$BUILD/tests/ota-fakedev
for p in "$BIN/espota-c" "$BIN/linkemu" "$BIN/mkimage" "$FAKEDEV"; do
	[ -x "$p" ] || { echo "bench-upload: missing '$p': build first (make bench)" >&2; exit 1; }
done

WORK=$(mktemp -d /tmp/espota-bench.XXXXXX)
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT

IMG=$WORK/app.bin
"$BIN/mkimage" -o "$IMG" --size "$SIZE" --content random
SIZE=$(stat -c %s "$IMG") # mkimage rounds to the image format's 16-byte multiple
SKETCH=$WORK/sketch.bin
"$BIN/mkimage" -o "$SKETCH" --size "$SIZE" --content sketch --seed 7

# wait_line FILE: the first line of FILE once it has one (5 s at most).
wait_line() {
	for _ in $(seq 100); do
		[ -s "$1" ] && head -n1 "$1" && return 0
		sleep 0.05
	done
	echo "bench-upload: '$1' stayed empty" >&2
	return 1
}

# one_upload WINDOW RTT_MS SECTOR_MS FILE ESPOTA-ARGS...: prints seconds.
one_upload() {
	local window=$1 rtt=$2 sector=$3 file=$4; shift 4
	local mss=1460
	[ "$window" -lt 4096 ] && mss=536 # lwIP's "Lower Memory" variant
	local dev_out=$WORK/dev.out relay_out=$WORK/relay.out dport rport t0 t1
	: >"$dev_out"
	: >"$relay_out"
	local devargs=(--port 0 --rx-window "$window" --no-delays)
	[ "$sector" -gt 0 ] && devargs+=(--sector-ms "$sector")
	"$FAKEDEV" "${devargs[@]}" >"$dev_out" 2>"$WORK/dev.err" &
	local dpid=$!
	PIDS+=("$dpid")
	dport=$(wait_line "$dev_out" | sed 's/.*://')
	"$BIN/linkemu" --listen 127.0.0.2:0 --via 127.0.0.3 --device "127.0.0.1:$dport" \
		--delay-ms "$(awk "BEGIN{print $rtt/2}")" --window "$window" --mss "$mss" >"$relay_out" 2>"$WORK/relay.err" &
	local rpid=$!
	PIDS+=("$rpid")
	rport=$(wait_line "$relay_out" | sed 's/.*://')
	t0=$(date +%s.%N)
	if ! timeout 300 "$BIN/espota-c" -i 127.0.0.2 -p "$rport" -I 127.0.0.1 -f "$file" "$@" \
		>"$WORK/up.out" 2>"$WORK/up.err"; then
		echo "bench-upload: upload failed:" >&2
		cat "$WORK/up.err" >&2
		echo "device:" >&2
		cat "$dev_out" "$WORK/dev.err" >&2
		echo "relay:" >&2
		cat "$WORK/relay.err" >&2
		kill "$rpid" "$dpid" 2>/dev/null || true
		return 1
	fi
	t1=$(date +%s.%N)
	kill "$rpid" 2>/dev/null || true
	wait "$dpid" 2>/dev/null || true
	wait "$rpid" 2>/dev/null || true
	awk "BEGIN{printf \"%.3f\", $t1 - $t0}"
}

median() { tr ' ' '\n' | sort -g | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
kbs() { awk "BEGIN{printf \"%.1f\", $1 / 1024 / $2}"; }
pct() { awk "BEGIN{printf \"%.0f\", 100 * $1 / $2}"; }

# cell NAME WINDOW CHUNK RTT SECTOR_MS: alternate stream / stop-and-wait runs.
cell() {
	local name=$1 window=$2 chunk=$3 rtt=$4 sector=$5
	local s_times=() w_times=() s w
	for _ in $(seq "$REPS"); do
		s_times+=("$(one_upload "$window" "$rtt" "$sector" "$IMG")")
		w_times+=("$(one_upload "$window" "$rtt" "$sector" "$IMG" --stop-and-wait --chunk-size "$chunk")")
	done
	s=$(echo "${s_times[@]}" | median)
	w=$(echo "${w_times[@]}" | median)
	# Link bound: window per round trip (stop-and-wait: one chunk per round
	# trip). With the flash model the device's own flash time bounds too.
	local bound_s bound_w flash_s
	bound_s=$(awk "BEGIN{print $SIZE / ($window / ($rtt / 1000))}")
	bound_w=$(awk "BEGIN{print $SIZE / ($chunk / ($rtt / 1000))}")
	if [ "$sector" -gt 0 ]; then
		flash_s=$(awk "BEGIN{print int(($SIZE + 4095) / 4096) * $sector / 1000}")
		bound_s=$(awk "BEGIN{print ($flash_s > $bound_s) ? $flash_s : $bound_s}")
		bound_w=$(awk "BEGIN{print ($flash_s > $bound_w) ? $flash_s : $bound_w}")
	fi
	printf '| %-22s | %6d | %4d | %4d | %8s | %7s s %6s KiB/s %4s%% | %7s s %6s KiB/s %4s%% | %5sx |\n' \
		"$name" "$window" "$chunk" "$rtt" "$(kbs "$SIZE" "$bound_s")" \
		"$s" "$(kbs "$SIZE" "$s")" "$(pct "$bound_s" "$s")" \
		"$w" "$(kbs "$SIZE" "$w")" "$(pct "$bound_w" "$w")" \
		"$(awk "BEGIN{printf \"%.2f\", $w / $s}")"
}

# compress_cell FILE LABEL: --compress uploads through the 45 ms/sector flash
# model at 5840/20 ms: the image plain, gzip -9 -n's stream of it (sent as it
# is), and --compress (libdeflate level 12), each against the flash time of
# the bytes it sends; medians of REPS, run in turns.
compress_cell() {
	local file=$1 label=$2 size gz9=$WORK/gz9.gz p=() z=() c=() mp mz mc bp bz bc
	size=$(stat -c %s "$file")
	gzip -9 -n -c "$file" >"$gz9"
	bz=$(stat -c %s "$gz9")
	for _ in $(seq "$REPS"); do
		p+=("$(one_upload 5840 20 45 "$file")")
		z+=("$(one_upload 5840 20 45 "$gz9")")
		c+=("$(one_upload 5840 20 45 "$file" --compress --json)")
		bc=$(sed -n 's/.*"size": *\([0-9]*\).*/\1/p' "$WORK/up.out" | head -1)
	done
	mp=$(echo "${p[@]}" | median)
	mz=$(echo "${z[@]}" | median)
	mc=$(echo "${c[@]}" | median)
	bp=$size
	flash() { awk "BEGIN{print int(($1 + 4095) / 4096) * 45 / 1000}"; }
	echo
	echo "--compress through the 45 ms/sector flash model, $label ($size bytes), window 5840, RTT 20 ms, median of $REPS:"
	printf '| %-26s | %9s | %-11s | %8s | %-14s | %-16s |
' "sent" "bytes" "vs gzip -9" "upload s" "flash s (sent)" "upload / flash"
	printf '|%s|%s|%s|%s|%s|%s|
' "----------------------------" "-----------" "-------------" "----------" "----------------" "------------------"
	for row in "plain:$bp:$mp" "gzip -9 -n stream:$bz:$mz" "--compress (libdeflate 12):$bc:$mc"; do
		local name=${row%%:*} rest=${row#*:} b t f
		b=${rest%%:*}
		t=${rest#*:}
		f=$(flash "$b")
		printf '| %-26s | %9s | %-11s | %8s | %-14s | %-16s |
' "$name" "$b" \
			"$(awk "BEGIN{printf \"%.4fx\", $b / $bz}")" "$t" "$f" \
			"$(awk "BEGIN{printf \"%.3fx\", $t / $f}")"
	done
	echo "--compress upload vs plain upload: $(awk "BEGIN{printf \"%.3fx\", $mc / $mp}"); vs the uncompressed image's flash time $(flash "$bp") s: $(awk "BEGIN{printf \"%.3fx\", $mc / $(flash "$bp")}")"
}

if [ "$COMPRESS_ONLY" = 1 ]; then
	compress_cell "$SKETCH" "sketch-like fixture"
	[ -n "${BENCH_LARGE:-}" ] && compress_cell "$BENCH_LARGE" "$(basename "$BENCH_LARGE")"
	exit 0
fi

echo "espota-c upload benchmark: $SIZE-byte image, median of $REPS, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores"
echo "bound = window/RTT for streaming (chunk/RTT for stop-and-wait), or the device's flash time if larger"
echo "% = share of the cell's bound reached (100% = at the bound); stop-and-wait can pass its"
echo "chunk/RTT figure when the device acks a chunk in several reads (each read is acked)"
echo
echo '| cell                   | window | chunk | RTT ms | bound KiB/s | espota-c (streaming)          | --stop-and-wait (espota.py)   | speed-up |'
echo '|------------------------|--------|-------|--------|-------------|-------------------------------|-------------------------------|----------|'
RTTS="5 20 50"
[ "$QUICK" = 1 ] && RTTS="20"
for rtt in $RTTS; do
	cell "esp8266 higher-bw" 5840 1460 "$rtt" 0
	cell "esp8266 lower-memory" 2144 1460 "$rtt" 0
	cell "esp32" 5744 1024 "$rtt" 0
done
cell "esp8266 + 45ms/sector" 5840 1460 20 45

# --compress on a sketch-like image: bytes and seconds saved.
plain=$(one_upload 5840 20 0 "$SKETCH")
comp=$(one_upload 5840 20 0 "$SKETCH" --compress)
gzbytes=$(gzip -9 -c "$SKETCH" | wc -c)
echo
echo "--compress, sketch-like image ($SIZE bytes, gzip -9 → $gzbytes bytes, ratio $(awk "BEGIN{printf \"%.2f\", $gzbytes / $SIZE}")), window 5840, RTT 20 ms:"
echo "  plain ${plain} s, compressed ${comp} s: $((SIZE - gzbytes)) bytes and $(awk "BEGIN{printf \"%.2f\", $plain - $comp}") s saved"
