# SPDX-License-Identifier: LGPL-2.1-or-later
# Helpers for the agent's tests (sourced after lib.sh): a device running
# `espota-device run` on 127.0.0.1 with an ephemeral port, and uploads to
# it with espota-c.

DEV=$BIN/espota-device
ESPOTA=$BIN/espota-c
MKIMAGE=$BIN/mkimage
DROPPER=$TESTS_BIN/ota-dropper

md5_of() { md5sum "$1" | cut -d' ' -f1; }

# app_md5 FLASH / fs_md5 FLASH: from `status --json` (compact, fixed order).
app_md5() {
	"$DEV" status --flash "$1" --json | sed -n 's/.*"app":{[^}]*"md5":"\([0-9a-f]*\)".*/\1/p'
}
fs_md5() {
	"$DEV" status --flash "$1" --json | sed -n 's/.*"fs":{[^}]*"md5":"\([0-9a-f]*\)".*/\1/p'
}

# start_device FLASH [run options...]: sets DEV_PID, DEV_PORT, DEV_OUT.
start_device() {
	local flash=$1
	shift
	DEV_OUT=$T_DIR/run.$RANDOM.out
	spawn "$DEV" run --flash "$flash" --bind 127.0.0.1 --port 0 "$@" >"$DEV_OUT" 2>"$DEV_OUT.err"
	DEV_PID=$SPAWNED
	if ! wait_for_file_line "$DEV_OUT" '^listening on ' 10; then
		echo "# device did not start:" && sed 's/^/# /' "$DEV_OUT.err"
		return 1
	fi
	DEV_PORT=$(sed -n '1s/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$DEV_OUT")
	[ -n "$DEV_PORT" ]
}

# stop_device: SIGTERM, and the exit status in DEV_RC.
stop_device() {
	kill -TERM "$DEV_PID" 2>/dev/null
	wait "$DEV_PID"
	DEV_RC=$?
}

# count_lines FILE PATTERN
count_lines() { grep -c -- "$2" "$1" 2>/dev/null || true; }

# wait_for_count FILE PATTERN N [SECONDS]: until N lines match.
wait_for_count() {
	local f=$1 pat=$2 want=$3 secs=${4:-10} i
	for ((i = 0; i < secs * 20; i++)); do
		[ "$(count_lines "$f" "$pat")" -ge "$want" ] && return 0
		sleep 0.05
	done
	return 1
}

# upload [espota-c options...]: to the running device, output in UP_LOG.
upload() {
	UP_LOG=$T_DIR/up.$RANDOM.log
	"$ESPOTA" -i 127.0.0.1 -p "$DEV_PORT" -P 0 "$@" >"$UP_LOG" 2>&1
}

# sign_image IN KEY OUT: signing.py's layout made with the openssl command
# line: image ‖ signature ‖ uint32 LE signature length.
sign_image() {
	local sig=$T_DIR/sig.$RANDOM len
	openssl dgst -sha256 -sign "$2" -out "$sig" "$1" || return 1
	len=$(stat -c %s "$sig")
	{
		cat "$1" "$sig"
		printf "\\x$(printf %02x $((len & 255)))\\x$(printf %02x $((len >> 8 & 255)))\\x00\\x00"
	} >"$3"
}
