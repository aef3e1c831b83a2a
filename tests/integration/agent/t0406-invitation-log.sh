#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The device's log of an invitation shows the uploader's bytes escaped:
# an MD5 field carrying a terminal control sequence, a carriage return and
# a backslash (the device never checks the field is hex) is printed as
# \xNN, \r and \\ on one "start" line, and no control byte reaches the log.
. "$SRC/tests/integration/lib.sh"
. "$SRC/tests/integration/agent/agent-lib.sh"

F=$T_DIR/dev.bin
"$DEV" init --flash "$F" --size 1M >/dev/null || exit 1
start_device "$F" || exit 1

# Nothing listens on the host port: the device logs start, then fails to
# connect back. The 32-byte MD5 field: ESC ] 0 ; pwned BEL \ a CR then 19 a.
host_port=$(free_port) || exit 1
exec 3<>"/dev/udp/127.0.0.1/$DEV_PORT"
printf '0 %s 1000 \033]0;pwned\007\\a\r%s\n' "$host_port" aaaaaaaaaaaaaaaaaaa >&3
exec 3>&-
check "the device logged the attempt" wait_for_file_line "$DEV_OUT" '^error OTA_CONNECT_ERROR$' 10
want="start flash 1000 bytes from 127.0.0.1:$host_port md5 \\x1b]0;pwned\\x07\\\\a\\raaaaaaaaaaaaaaaaaaa"
check "the start line shows the MD5 field escaped" grep -qxF -- "$want" "$DEV_OUT"
check "no ESC, BEL or CR byte in the log" bash -c "! LC_ALL=C grep -q \$'[\\x1b\\x07\\r]' '$DEV_OUT'"
check "every start line is one line" [ "$(grep -c '^start ' "$DEV_OUT")" -eq 1 ]
check "the device is still listening" kill -0 "$DEV_PID"
stop_device
check "SIGTERM stops it with status 0" [ "$DEV_RC" -eq 0 ]
done_testing
