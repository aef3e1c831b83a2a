# SPDX-License-Identifier: LGPL-2.1-or-later
# The espota-c scripts' own helpers (sourced after lib.sh, which has
# upload, make_image and the rest): ota-fakedev as the device.

FAKEDEV=$TESTS_BIN/ota-fakedev

# start_dev NAME [fakedev options...]: starts ota-fakedev on an ephemeral
# port; sets DEV_PORT and DEV_PID; its stdout goes to $T_DIR/NAME.out.
start_dev() {
	local name=$1
	shift
	spawn "$FAKEDEV" --port 0 "$@" >"$T_DIR/$name.out" 2>"$T_DIR/$name.err"
	DEV_PID=$SPAWNED
	if ! wait_for_file_line "$T_DIR/$name.out" '^listening on' 5; then
		echo "ota-fakedev did not start: $(cat "$T_DIR/$name.err")" >&2
		return 1
	fi
	DEV_PORT=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$T_DIR/$name.out")
}

# dev_exit: waits (20 s at most) for the device and returns its exit
# status; a device still waiting after that is stopped and counts as 124.
dev_exit() {
	local i state
	for ((i = 0; i < 400; i++)); do
		read -r state 2>/dev/null <"/proc/$DEV_PID/stat" || break
		state=${state##*) }
		[ "${state%% *}" = Z ] && break
		sleep 0.05
	done
	if t_is_child "$DEV_PID" && [ "${state%% *}" != Z ]; then
		kill "$DEV_PID" 2>/dev/null
		wait "$DEV_PID" 2>/dev/null
		return 124
	fi
	wait "$DEV_PID"
}

# now_ms: wall clock in milliseconds.
now_ms() { date +%s%3N; }

# stop_dev: ends a device that is still waiting (a refused or failed
# upload leaves it listening); only while it is still our child.
stop_dev() {
	t_is_child "$DEV_PID" && kill "$DEV_PID" 2>/dev/null
	wait "$DEV_PID" 2>/dev/null
	return 0
}
