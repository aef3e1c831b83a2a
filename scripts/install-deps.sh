#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Install the Debian packages espota-c needs to build and test.
# Runs apt-get as root (or through sudo); otherwise prints the command to run.
# Nothing is fetched from anywhere but the Debian archive.
set -eu

PKGS="build-essential cmake pkg-config git openssl libssl-dev zlib1g-dev libdeflate-dev
libcurl4-openssl-dev libavahi-client-dev avahi-utils libcmocka-dev
libjansson-dev libmicrohttpd-dev gcc-xtensa-lx106 binutils-xtensa-lx106
gzip xxd"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	SUDO="sudo"
else
	echo "install-deps: missing Debian packages:$missing" >&2
	echo "install-deps: run: sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "install-deps: installing$missing" >&2
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
