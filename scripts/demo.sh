#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The update story end to end, on 127.0.0.1, in a scratch directory:
# a signing key pair, a sample ESP8266 app, its signature, a simulated
# device with a password and signature checking, an upload with progress,
# and the device's status before and after.
set -euo pipefail

BUILD=${1:-build}
BIN=$(cd "$BUILD/bin" && pwd)
WORK=$(mktemp -d /tmp/espota-demo.XXXXXX)
DEV_PID=
cleanup() {
	[ -n "$DEV_PID" ] && kill "$DEV_PID" 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@"; }

cd "$WORK"
step "1. a signing key pair (sign-bin keygen)"
show "$BIN/sign-bin" --mode keygen --privatekey private.key --publickey public.key

step "2. a sample ESP8266 app image (300 kB, sketch-like content)"
show "$BIN/mkimage" -o app.bin --size 300000 --content sketch --flash-mode dio --flash-size 4M --seed 42
show "$BIN/sign-bin" --mode info --bin app.bin

step "3. sign it as the Arduino IDE would (signing.py options)"
show "$BIN/sign-bin" --mode sign --privatekey private.key --bin app.bin --out app.bin.signed

step "4. a freshly flashed device: 4 MB, password, signature checking on"
show "$BIN/espota-device" init --flash device.flash --size 4M --flash-mode dio \
	--sign-key public.key --password 'demo pass'
show "$BIN/espota-device" status --flash device.flash

step "5. the device runs its OTA agent on 127.0.0.1"
"$BIN/espota-device" run --flash device.flash --bind 127.0.0.1 --port 0 --once >device.log 2>&1 &
DEV_PID=$!
for _ in $(seq 100); do grep -q '^listening on' device.log && break; sleep 0.05; done
PORT=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' device.log | head -n1)
echo "device: $(head -n1 device.log)"

step "6. upload with espota-c (finds app.bin.signed beside app.bin, as espota.py does)"
echo "\$ ESPOTA_PASSWORD=... $BIN/espota-c -i 127.0.0.1 -p $PORT -f app.bin -r"
ESPOTA_PASSWORD='demo pass' "$BIN/espota-c" -i 127.0.0.1 -p "$PORT" -f app.bin -r
wait "$DEV_PID"
DEV_PID=
echo "device log (progress events thinned):"
awk '!/^progress / || ++n % 50 == 1' device.log | sed 's/^/  | /'

step "7. the device after the update"
show "$BIN/espota-device" status --flash device.flash
want=$(md5sum <app.bin.signed | cut -d' ' -f1)
got=$("$BIN/espota-device" status --flash device.flash --json | sed -n 's/.*"app":{[^}]*"md5":"\([0-9a-f]*\)".*/\1/p')
if [ "$want" = "$got" ]; then
	echo "OK: the device runs the new signed image (md5 $got)"
else
	echo "FAILED: the device runs md5 '$got', expected '$want'" >&2
	exit 1
fi
