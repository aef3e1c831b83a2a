#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The Arduino hook: arduino/install.sh writes platform.local.txt beside a
# core's platform.txt; the recipes are expanded as the IDE does ({...}
# substitution, later files override, then split on quotes) and the
# resulting sign-bin and espota-c command lines are run for real.
. "$SRC/tests/integration/lib.sh"
. "$SRC/tests/integration/espota/espota-lib.sh"

declare -A P

# load_props FILE...: key=value lines; a later file overrides an earlier one
load_props() {
	local f line
	P=()
	for f; do
		while IFS= read -r line || [ -n "$line" ]; do
			case $line in '' | '#'*) continue ;; esac
			P[${line%%=*}]=${line#*=}
		done <"$f"
	done
}

# expand PATTERN [TOOL]: replaces {name} with tools.TOOL.name, then name,
# until nothing known is left, as the IDE resolves recipe variables
expand() {
	local s=$1 tool=${2:-} prev= key k v
	while [ "$s" != "$prev" ]; do
		prev=$s
		for key in $(grep -o '{[^{}]*}' <<<"$s" | sort -u); do
			k=${key#\{}
			k=${k%\}}
			if [ -n "$tool" ] && [ -n "${P[tools.$tool.$k]+x}" ]; then
				v=${P[tools.$tool.$k]}
			elif [ -n "${P[$k]+x}" ]; then
				v=${P[$k]}
			else
				continue
			fi
			s=${s//"$key"/"$v"}
		done
	done
	printf '%s' "$s"
}

# run_recipe NAME CMDLINE: split on quotes as the IDE does, then run
run_recipe() {
	local name=$1 line=$2
	local -a argv
	eval "argv=($line)"
	"${argv[@]}" >"$T_DIR/$name.stdout" 2>"$T_DIR/$name.stderr"
}

# --- an esp8266 core, as installed (the platform.txt lines the hook replaces)
CORE="$T_DIR/packages/esp8266/hardware/esp8266/3.1.2"
mkdir -p "$CORE"
cat >"$CORE/platform.txt" <<'TXT'
name=ESP8266 Boards (3.1.2)
version=3.1.2
runtime.tools.signing={runtime.platform.path}/tools/signing.py
recipe.hooks.sketch.prebuild.pattern="{runtime.tools.python3.path}/python3" -I "{runtime.tools.signing}" --mode header --publickey "{build.source.path}/public.key" --out "{build.path}/core/Updater_Signing.h"
recipe.objcopy.hex.2.pattern="{runtime.tools.python3.path}/python3" -I "{runtime.tools.signing}" --mode sign --privatekey "{build.source.path}/private.key" --bin "{build.path}/{build.project_name}.bin" --out "{build.path}/{build.project_name}.bin.signed" --legacy "{build.path}/{build.project_name}.bin.legacy_sig"
tools.esptool.network_cmd={runtime.platform.path}/tools/python3/python3
tools.esptool.upload.network_pattern="{network_cmd}" -I "{runtime.platform.path}/tools/espota.py" -i "{serial.port}" -p "{network.port}" "--auth={network.password}" -f "{build.path}/{build.project_name}.bin"
TXT
echo "compiler.c.extra_flags=-DMINE" >"$CORE/platform.local.txt"

expect_success "install.sh installs into the esp8266 core" \
	"$SRC/arduino/install.sh" --espota-c "$ESPOTA" --sign-bin "$BIN/sign-bin" "$CORE"
check "platform.local.txt written" grep -q '^# espota-c-hook: esp8266' "$CORE/platform.local.txt"
check "the user's own platform.local.txt was kept aside" grep -q MINE "$CORE/platform.local.txt.espota-c-saved"
check "espota-c path filled in" grep -qF "tools.esptool.network_cmd=$ESPOTA" "$CORE/platform.local.txt"
check "no placeholder left" file_lacks "$CORE/platform.local.txt" "@[A-Z_]*@"

# the IDE's variables for one build of a sketch in a folder with a space
SKETCH="$T_DIR/My Sketch"
BUILDP="$T_DIR/build dir"
mkdir -p "$SKETCH" "$BUILDP/core"
load_props "$CORE/platform.txt" "$CORE/platform.local.txt"
P[runtime.platform.path]=$CORE
P[build.path]=$BUILDP
P[build.source.path]=$SKETCH
P[build.project_name]=My_Sketch.ino
P[serial.port]=127.0.0.1
P[network.password]='open sesame'

# signing recipes: a key pair in the sketch folder, then header and sign
openssl genrsa -out "$SKETCH/private.key" 2048 2>/dev/null
openssl rsa -in "$SKETCH/private.key" -pubout -out "$SKETCH/public.key" 2>/dev/null
make_image "$BUILDP/My_Sketch.ino.bin" 150000
hdr=$(expand "${P[recipe.hooks.sketch.prebuild.pattern]}")
sgn=$(expand "${P[recipe.objcopy.hex.2.pattern]}")
check "header recipe runs sign-bin with signing.py's arguments" \
	test "$hdr" = "\"$BIN/sign-bin\" --mode header --publickey \"$SKETCH/public.key\" --out \"$BUILDP/core/Updater_Signing.h\""
check "sign recipe keeps --legacy" grep -qF -- "--legacy \"$BUILDP/My_Sketch.ino.bin.legacy_sig\"" <<<"$sgn"
expect_success "expanded header recipe runs" run_recipe header "$hdr"
check "Updater_Signing.h written" test -s "$BUILDP/core/Updater_Signing.h"
expect_success "expanded sign recipe runs" run_recipe sign "$sgn"
check "sketch.bin.signed written" test -s "$BUILDP/My_Sketch.ino.bin.signed"

# a sketch without keys (the usual case): both recipes succeed, nothing signed
NOKEY="$T_DIR/Plain Sketch"
NKBUILD="$T_DIR/plain build"
mkdir -p "$NOKEY" "$NKBUILD/core"
make_image "$NKBUILD/Plain.ino.bin" 50000
P[build.source.path]=$NOKEY
P[build.path]=$NKBUILD
P[build.project_name]=Plain.ino
expect_success "header recipe without keys runs" run_recipe nkhdr "$(expand "${P[recipe.hooks.sketch.prebuild.pattern]}")"
check "header written without keys" test -s "$NKBUILD/core/Updater_Signing.h"
expect_success "sign recipe without keys runs" run_recipe nksgn "$(expand "${P[recipe.objcopy.hex.2.pattern]}")"
check "nothing signed without keys" test ! -e "$NKBUILD/Plain.ino.bin.signed"
P[build.source.path]=$SKETCH
P[build.path]=$BUILDP
P[build.project_name]=My_Sketch.ino

# network upload recipe against ota-fakedev with a password
start_dev ide --no-delays --password 'open sesame' --out "$T_DIR/ide.got"
P[network.port]=$DEV_PORT
up=$(expand "${P[tools.esptool.upload.network_pattern]}" esptool)
check "upload recipe is espota-c with espota.py's arguments" \
	test "$up" = "\"$ESPOTA\" -i \"127.0.0.1\" -p \"$DEV_PORT\" \"--auth=open sesame\" -f \"$BUILDP/My_Sketch.ino.bin\""
expect_success "expanded upload recipe uploads" run_recipe upload "$up"
expect_success "device matched the IDE upload" dev_exit
check "the signed image went (the .signed pick)" same_file "$BUILDP/My_Sketch.ino.bin.signed" "$T_DIR/ide.got"

expect_success "install.sh --uninstall" "$SRC/arduino/install.sh" --uninstall "$CORE"
check "the user's platform.local.txt is back" grep -q MINE "$CORE/platform.local.txt"
check "no saved copy left" test ! -e "$CORE/platform.local.txt.espota-c-saved"

# --- an arduino-esp32 3.x core: pluggable discovery variables
CORE32="$T_DIR/packages/esp32/hardware/esp32/3.3.2"
mkdir -p "$CORE32"
cat >"$CORE32/platform.txt" <<'TXT'
name=ESP32 Arduino
tools.esp_ota.cmd={runtime.platform.path}/tools/espota
tools.esp_ota.upload.protocol=network
tools.esp_ota.upload.pattern={cmd} -i {upload.port.address} -p {upload.port.properties.port} "--auth={upload.field.password}" -f "{build.path}/{build.project_name}.bin"
tools.esptool_py.network_cmd=python "{runtime.platform.path}/tools/espota.py"
tools.esptool_py.upload.network_pattern={network_cmd} -i "{serial.port}" -p "{network.port}" "--auth={network.password}" -f "{build.path}/{build.project_name}.bin"
TXT
expect_success "install.sh installs into the esp32 core" "$SRC/arduino/install.sh" --espota-c "$ESPOTA" "$CORE32"
check "esp32 hook written" grep -q '^# espota-c-hook: esp32' "$CORE32/platform.local.txt"
load_props "$CORE32/platform.txt" "$CORE32/platform.local.txt"
P[runtime.platform.path]=$CORE32
P[build.path]=$BUILDP
P[build.project_name]=Esp32_Sketch.ino
P[upload.port.address]=127.0.0.1
P[upload.field.password]=''
make_image "$BUILDP/Esp32_Sketch.ino.bin" 100000
start_dev ide32 --no-delays --out "$T_DIR/ide32.got"
P[upload.port.properties.port]=$DEV_PORT
up32=$(expand "${P[tools.esp_ota.upload.pattern]}" esp_ota)
check "esp32 recipe is espota-c" test "$up32" = "\"$ESPOTA\" -i 127.0.0.1 -p $DEV_PORT \"--auth=\" -f \"$BUILDP/Esp32_Sketch.ino.bin\""
expect_success "expanded esp32 recipe uploads" run_recipe up32 "$up32"
expect_success "device matched the esp32 IDE upload" dev_exit
check "esp32 upload bytes" same_file "$BUILDP/Esp32_Sketch.ino.bin" "$T_DIR/ide32.got"
# 2.x-style network_pattern too
start_dev ide32old --no-delays
P[serial.port]=127.0.0.1
P[network.port]=$DEV_PORT
P[network.password]=''
old=$(expand "${P[tools.esptool_py.upload.network_pattern]}" esptool_py)
expect_success "esp32 2.x recipe uploads" run_recipe old32 "$old"
expect_success "device matched the 2.x recipe" dev_exit
expect_success "esp32 uninstall" "$SRC/arduino/install.sh" --uninstall "$CORE32"
check "esp32 hook removed" test ! -e "$CORE32/platform.local.txt"

expect_failure "install.sh refuses a folder without platform.txt" "$SRC/arduino/install.sh" --espota-c "$ESPOTA" "$T_DIR" 2>"$T_DIR/nocore.err"
check "the refusal names the folder" file_has "$T_DIR/nocore.err" "no platform.txt in '$T_DIR'"

done_testing
