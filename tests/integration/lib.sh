# SPDX-License-Identifier: LGPL-2.1-or-later
# Harness for integration scripts (sourced). Gives each test a scratch
# directory, a global deadline, cleanup of every background process it
# started, and git-style assertions that count a crash as a failure.
#
# Environment from CTest: BIN (programs), TESTS_BIN (test helpers), SRC.
set -u

: "${BIN:?run through ctest (BIN unset)}"
: "${TESTS_BIN:=$BIN/../tests}"
: "${TEST_DEADLINE:=240}"

T_NAME=$(basename "$0" .sh)
T_DIR=$(mktemp -d "${TMPDIR:-/tmp}/espota-$T_NAME.XXXXXX")
T_PIDS=()
T_PASS=0
T_FAIL=0

# t_is_child PID: PID is still a child of this shell. A child reaped earlier
# leaves its number free, and with pid_max 32768 and other test suites running
# it is soon reused by someone else's process, which must not be killed.
t_is_child() {
	local stat rest
	read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
	# fields after "(comm) ": state, then the parent's pid
	rest=${stat##*) }
	rest=${rest#* }
	[ "${rest%% *}" = "$$" ]
}

t_cleanup() {
	local pid
	for pid in "${T_PIDS[@]}"; do
		t_is_child "$pid" && kill "$pid" 2>/dev/null
	done
	for pid in "${T_PIDS[@]}"; do
		wait "$pid" 2>/dev/null
	done
	[ "${KEEP_TMP:-0}" = 1 ] || rm -rf "$T_DIR"
}
trap t_cleanup EXIT
# The whole script dies after TEST_DEADLINE seconds, whatever hangs.
# The watchdog kills its own sleep when cleaned up, so no child keeps
# CTest's output pipe open after the test ends.
(
	sleep "$TEST_DEADLINE" &
	sp=$!
	trap 'kill $sp 2>/dev/null; exit 0' TERM
	wait $sp
	echo "FATAL: $T_NAME exceeded ${TEST_DEADLINE}s" >&2
	kill -TERM $$
) &
T_WATCHDOG=$!
T_PIDS+=("$T_WATCHDOG")

# spawn CMD...: run in the background, remember the pid in $SPAWNED.
spawn() {
	"$@" &
	SPAWNED=$!
	T_PIDS+=("$SPAWNED")
}

ok() { T_PASS=$((T_PASS + 1)); echo "ok - $*"; }
not_ok() { T_FAIL=$((T_FAIL + 1)); echo "not ok - $*"; }

# expect_success DESC CMD...: exit 0 required.
expect_success() {
	local desc=$1; shift
	"$@"
	local rc=$?
	if [ $rc -eq 0 ]; then ok "$desc"; else not_ok "$desc (exit $rc)"; fi
}

# expect_failure DESC CMD...: non-zero required, but not a signal (>128).
expect_failure() {
	local desc=$1; shift
	"$@"
	local rc=$?
	if [ $rc -eq 0 ]; then
		not_ok "$desc (unexpected success)"
	elif [ $rc -gt 128 ]; then
		not_ok "$desc (killed by signal $((rc - 128)))"
	else
		ok "$desc"
	fi
}

# expect_exit CODE DESC CMD...
expect_exit() {
	local want=$1 desc=$2; shift 2
	"$@"
	local rc=$?
	if [ $rc -eq "$want" ]; then ok "$desc"; else not_ok "$desc (exit $rc, wanted $want)"; fi
}

# check DESC TEST-EXPRESSION...: a plain assertion.
check() {
	local desc=$1; shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

same_file() { cmp -s "$1" "$2"; }
file_has() { grep -q -- "$2" "$1"; }
file_lacks() { ! grep -q -- "$2" "$1"; }

# wait_for_file_line FILE PATTERN [SECONDS]: poll until FILE has a line matching.
wait_for_file_line() {
	local f=$1 pat=$2 secs=${3:-10} i
	for ((i = 0; i < secs * 20; i++)); do
		grep -q -- "$pat" "$f" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

# free_port: an ephemeral TCP/UDP port number free right now.
free_port() {
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 40000))
		if ! (ss -Hltun 2>/dev/null | awk '{print $5}' | grep -q ":$p\$"); then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# done_testing: print the closing line and exit with the verdict.
done_testing() {
	echo "$T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" -eq 0 ] && [ "$T_PASS" -gt 0 ]
	exit $?
}
