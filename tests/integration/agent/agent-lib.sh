# SPDX-License-Identifier: LGPL-2.1-or-later
# The agent scripts' own helpers (sourced after lib.sh, which has upload,
# sign_image, status_get and the rest): a device running `espota-device
# run` on 127.0.0.1 with an ephemeral port.

DROPPER=$TESTS_BIN/ota-dropper

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
