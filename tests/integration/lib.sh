# SPDX-License-Identifier: LGPL-2.1-or-later
# Harness for integration scripts (sourced). Gives each test a scratch
# directory, a global deadline, cleanup of every background process it
# started, and git-style assertions that count a crash as a failure.
#
# Environment from CTest: BIN (programs), TESTS_BIN (test helpers), SRC.
# The second half holds the helpers more than one area uses (programs,
# digests, signing, uploads, JSON); an area's own file (espota/espota-lib.sh,
# agent/agent-lib.sh, device/device-lib.sh) keeps only what is its own.
set -u

: "${BIN:?run through ctest (BIN unset)}"
: "${TESTS_BIN:=$BIN/../tests}"
: "${TEST_DEADLINE:=240}"

# The programs under test, and the test tools built next to them.
ESPOTA=$BIN/espota-c
DEV=$BIN/espota-device
MKIMAGE=$BIN/mkimage
SIGN=$BIN/sign-bin
JSON_GET=$TESTS_BIN/json-get

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

# fails CMD...: CMD returns non-zero (for check, which takes a command).
fails() { ! "$@"; }

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

# ---- shared helpers ----

md5_of() { md5sum "$1" | cut -d' ' -f1; }
size_of() { stat -c %s "$1"; }

# json_get FILE|- PATH: the value at a dotted PATH ("app.md5",
# "segments.0.size") of a JSON document, read by tests/support/json
# (jansson); strings bare, everything else compact JSON (true, null, 42).
json_get() { "$JSON_GET" "$@"; }

# json_is FILE PATH WANT: the value at PATH prints as WANT.
json_is() {
	local got
	got=$(json_get "$1" "$2") || return 1
	[ "$got" = "$3" ]
}

# status_get FLASH PATH: one field of `espota-device status --json`
# (app.size, app.md5, fs.size, fs.md5, pending).
status_get() {
	local json
	json=$("$DEV" status --flash "$1" --json) || return 1
	json_get - "$2" <<<"$json"
}

# sign_image IN KEY OUT [legacy]: signing.py's layout made with the openssl
# command line (docs/protocol/signed-image-format.md §8): payload ‖ signature ‖
# uint32 LE signature length; legacy signs the bare SHA-256 digest.
sign_image() {
	local in=$1 key=$2 out=$3 sig=$T_DIR/sig.$RANDOM len
	if [ "${4:-}" = legacy ]; then
		openssl dgst -sha256 -binary "$in" >"$sig.digest" &&
			openssl pkeyutl -sign -inkey "$key" -in "$sig.digest" -out "$sig" || return 1
	else
		openssl dgst -sha256 -sign "$key" -out "$sig" "$in" || return 1
	fi
	len=$(size_of "$sig")
	{
		cat "$in" "$sig"
		printf "\\x$(printf %02x $((len & 255)))\\x$(printf %02x $((len >> 8 & 255)))\\x00\\x00"
	} >"$out"
}

# make_image FILE SIZE: a sketch-like image (mkimage) of about SIZE bytes.
make_image() {
	"$MKIMAGE" -o "$1" --size "$2" --content sketch >/dev/null
}

# upload NAME [espota-c options...]: espota-c to the device listening on
# 127.0.0.1:$DEV_PORT (host port from the kernel); its stdout and stderr
# in $T_DIR/NAME.stdout and $T_DIR/NAME.stderr; returns its exit status.
upload() {
	local name=$1
	shift
	"$ESPOTA" -i 127.0.0.1 -p "$DEV_PORT" -P 0 "$@" >"$T_DIR/$name.stdout" 2>"$T_DIR/$name.stderr"
}

# man_options PAGE [SUBSECTION]: the options a man page documents, read
# from the tag line of each .TP entry (under ".SS SUBSECTION" only, when
# given), one "OPTION VALUE" line each: VALUE is a harmless example for
# the option's placeholder (the first of "a|b|c", else 1, or 127.0.0.1 for
# an address), "-" when the page gives it no value.
man_options() {
	awk -v want="${2:-}" '
	/^\.SH/ { on = want == ""; next }
	/^\.SS/ { if (want != "") on = $2 == want; next }
	/^\.TP/ { tag = 1; next }
	tag {
		tag = 0
		if (!on) next
		line = $0
		sub(/^\.[A-Z]+[ \t]*/, "", line)
		gsub(/\\-/, "-", line)
		gsub(/\\f[BIRP]/, "", line)
		gsub(/[",]/, " ", line)
		n = split(line, w, /[ \t]+/)
		nopt = 0; ph = ""
		for (i = 1; i <= n; i++) {
			if (w[i] ~ /^--?[A-Za-z0-9]/) {
				o = w[i]; sub(/=$/, "", o)
				if (!(o in seen)) { seen[o] = 1; opts[++nopt] = o }
			} else if (w[i] != "" && nopt > 0 && ph == "") {
				ph = w[i]
			}
		}
		if (ph == "") v = "-"
		else if (ph ~ /\|/) { v = ph; sub(/\|.*/, "", v) }
		else if (ph ~ /IP$|ADDR/) v = "127.0.0.1"
		else v = "1"
		for (i = 1; i <= nopt; i++) print opts[i], v
		delete opts
	}' "$1"
}

# accepts_option OPTION VALUE PROGRAM...: PROGRAM parses OPTION (with
# VALUE, attached as -xVALUE or --long=VALUE, unless VALUE is "-") and
# goes on to a --help after it: exit 0, some output, nothing on stderr.
# An option given no value must refuse one (--long=1).
accepts_option() {
	local opt=$1 val=$2 rc
	shift 2
	local arg=$opt
	if [ "$val" != - ]; then
		case $opt in
		--*) arg=$opt=$val ;;
		*) arg=$opt$val ;;
		esac
	fi
	timeout 10 "$@" "$arg" --help >"$T_DIR/accepts.out" 2>"$T_DIR/accepts.err"
	rc=$?
	if [ $rc -ne 0 ] || [ ! -s "$T_DIR/accepts.out" ] || [ -s "$T_DIR/accepts.err" ]; then
		echo "# $* $arg --help: exit $rc; $(head -c 300 "$T_DIR/accepts.err")"
		return 1
	fi
	case $opt$val in
	--*-)
		timeout 10 "$@" "$opt=1" --help >/dev/null 2>&1
		rc=$?
		if [ $rc -eq 0 ] || [ $rc -gt 123 ]; then
			echo "# $* $opt=1 --help: exit $rc, wanted a refusal"
			return 1
		fi
		;;
	esac
	return 0
}

# done_testing: print the closing line and exit with the verdict.
done_testing() {
	echo "$T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" -eq 0 ] && [ "$T_PASS" -gt 0 ]
	exit $?
}
