#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# --mode info on mkimage .bin files, on signed and gzip-signed files and on
# bytes that are no image, as text and as JSON.
. "$SRC/tests/integration/lib.sh"

cd "$T_DIR" || exit 1

openssl genrsa -out k.key 2048 2>/dev/null
openssl rsa -in k.key -pubout -out k.pub 2>/dev/null
openssl genrsa -out other.key 2048 2>/dev/null
openssl rsa -in other.key -pubout -out other.pub 2>/dev/null
"$BIN/mkimage" -o app.bin --size 300000 --flash-mode dio --flash-size 4M --content sketch
"$BIN/mkimage" -o qio.bin --size 65536 --flash-mode qio --flash-size 1M --flash-freq 80 --segments 3
size=$(stat -c %s app.bin)

"$SIGN" -m info -b app.bin >info.txt
check "info on a plain .bin: exit 0" [ $? -eq 0 ]
check "text: ESP8266 app image" file_has info.txt "ESP8266 app image: yes"
check "text: flash DIO 4MB 40 MHz" file_has info.txt "flash DIO 4MB 40 MHz"
check "text: not signed" file_has info.txt "signed: no"
check "text: not gzip" file_has info.txt "gzip: no"
check "text: the CRC word is valid" file_has info.txt "CRC 0x[0-9a-f]* valid"

"$SIGN" -m info -b app.bin --json >info.json
check "info --json on a plain .bin: exit 0" [ $? -eq 0 ]
check "json: esp8266_app true" [ "$(json_get info.json esp8266_app)" = true ]
check "json: size" [ "$(json_get info.json size)" = "$size" ]
check "json: signed false" [ "$(json_get info.json signed)" = false ]
check "json: gzip false" [ "$(json_get info.json gzip)" = false ]
check "json: app flash mode DIO" [ "$(json_get info.json app.flash_mode)" = DIO ]
check "json: app flash size 4MB" [ "$(json_get info.json app.flash_size_bytes)" = 4194304 ]
check "json: app flash 40 MHz" [ "$(json_get info.json app.flash_freq_hz)" = 40000000 ]
check "json: eboot flash mode equals the byte at offset 2" [ "$(xxd -p -s 2 -l 1 app.bin)" = 02 ]
check "json: 5 app segments" [ "$(json_get info.json app.segment_count)" = 5 ]
check "json: first app segment is .irom0.text at 0x40201010" [ "$(json_get info.json app.segments.0.address)" = 0x40201010 ]
check "json: segment size as in the file" \
	[ "$(json_get info.json app.segments.0.size)" = "$((16#$(xxd -e -s 0x100c -l 4 app.bin | awk '{print $2}')))" ]
check "json: entry point" [ "$(json_get info.json app.entry)" = 0x40100004 ]
check "json: eboot checksum valid" [ "$(json_get info.json eboot.checksum_valid)" = true ]
check "json: app checksum valid (elf2bin rule)" [ "$(json_get info.json app.checksum_valid)" = true ]
check "json: app image ends at the file end" [ "$(json_get info.json app.end)" = "$size" ]
check "json: bin_length is the file size" [ "$(json_get info.json bin_length)" = "$size" ]
check "json: bin CRC valid" [ "$(json_get info.json bin_crc_valid)" = true ]

"$SIGN" -m info -b qio.bin --json >qio.json
check "qio image: QIO" [ "$(json_get qio.json app.flash_mode)" = QIO ]
check "qio image: 1MB" [ "$(json_get qio.json app.flash_size)" = 1MB ]
check "qio image: 80 MHz" [ "$(json_get qio.json app.flash_freq_hz)" = 80000000 ]
check "qio image: 3 segments" [ "$(json_get qio.json app.segment_count)" = 3 ]

# a damaged image: checksum and CRC both catch one flipped segment byte
cp app.bin bad.bin
printf '\x00' | dd of=bad.bin bs=1 seek=70000 conv=notrunc status=none
[ "$(xxd -p -s 70000 -l 1 app.bin)" = 00 ] && printf '\x01' | dd of=bad.bin bs=1 seek=70000 conv=notrunc status=none
"$SIGN" -m info -b bad.bin --json >bad.json
check "damaged: app checksum invalid" [ "$(json_get bad.json app.checksum_valid)" = false ]
check "damaged: bin CRC invalid" [ "$(json_get bad.json bin_crc_valid)" = false ]

# signed
"$SIGN" -m sign -s k.key -b app.bin -o app.signed -l app.legacy 2>/dev/null
"$SIGN" -m info -b app.signed --json >s.json
check "signed: signed true" [ "$(json_get s.json signed)" = true ]
check "signed: 256-byte signature" [ "$(json_get s.json signature.length)" = 256 ]
check "signed: format unknown without a key" [ "$(json_get s.json signature.format)" = unknown ]
check "signed: payload size is the image" [ "$(json_get s.json payload_size)" = "$size" ]
check "signed: still an ESP8266 app" [ "$(json_get s.json esp8266_app)" = true ]
"$SIGN" -m info -b app.signed -p k.pub --json >sk.json
check "signed + key: current format" [ "$(json_get sk.json signature.format)" = current ]
check "signed + key: valid" [ "$(json_get sk.json signature.valid)" = true ]
"$SIGN" -m info -b app.legacy -p k.pub --json >lk.json
check "legacy + key: legacy format" [ "$(json_get lk.json signature.format)" = legacy ]
"$SIGN" -m info -b app.signed -p other.pub >ok.txt
check "signed + wrong key: invalid, says why" file_has ok.txt "INVALID for this key: signature mismatch"
"$SIGN" -m info -b app.signed -p k.pub >sk.txt
check "text: signed, current format, valid" file_has sk.txt "256-byte signature (RSA-2048), payload $size bytes, current format, valid for this key"

# gzip, signed
"$SIGN" -m sign -s k.key -b app.bin --compress 2>/dev/null
"$SIGN" -m info -b app.bin.gz.signed --json >g.json
check "gzip: gzip true" [ "$(json_get g.json gzip)" = true ]
check "gzip: signed true" [ "$(json_get g.json signed)" = true ]
check "gzip: ISIZE is the image size" [ "$(json_get g.json gzip_info.isize)" = "$size" ]
check "gzip: inflates" [ "$(json_get g.json gzip_info.inflates)" = true ]
check "gzip: the inflated image is an ESP8266 app" [ "$(json_get g.json esp8266_app)" = true ]
check "gzip: inflated app is DIO" [ "$(json_get g.json app.flash_mode)" = DIO ]
gzip -9 -n -c app.bin >plain.gz
"$SIGN" -m info -b plain.gz >gz.txt
check "unsigned gzip: text says gzip, not signed" bash -c "grep -q 'gzip: yes, ISIZE $size, inflates fine' gz.txt && grep -q 'signed: no' gz.txt"

# not an image
head -c 5000 /dev/urandom | tr '\351\037' '\000\000' >noise.bin
"$SIGN" -m info -b noise.bin --json >n.json
check "noise: not an ESP8266 app" [ "$(json_get n.json esp8266_app)" = false ]
check "noise: no eboot image" [ "$(json_get n.json eboot)" = null ]
"$SIGN" -m info -b noise.bin >n.txt
check "noise (text): ESP8266 app image: no" file_has n.txt "ESP8266 app image: no"

expect_exit 1 "info on a missing file" "$SIGN" -m info -b nothere.bin 2>err
check "names the file" file_has err "cannot read 'nothere.bin'"
expect_exit 1 "info with an unusable key" "$SIGN" -m info -b app.signed -p noise.bin 2>err
check "names the key" file_has err "'noise.bin'"
done_testing
