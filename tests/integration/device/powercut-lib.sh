# SPDX-License-Identifier: LGPL-2.1-or-later
# The power-cut sweep (MCUboot's simulator style), sourced by the
# t030x-device-powercut-* scripts: count the flash operations of a clean
# boot that installs a staged update, then for every k cut the power at
# operation k, power on again, and require the old or the new image,
# never a mix, with nothing left pending.

snapshot() { for f in "$F" "$F.rtc" "$F.state"; do [ -e "$f" ] && cp "$f" "$f.snap"; done; :; }
restore() {
	for f in "$F" "$F.rtc" "$F.state"; do
		if [ -e "$f.snap" ]; then cp "$f.snap" "$f"; else rm -f "$f"; fi
	done
}

# sweep_boot OLD_MD5 NEW_MD5 [--torn-write]: the staged device is in the snapshot.
# SWEEP_FIELD picks what must be old or new (app.md5, or fs.md5).
# SWEEP_KEEP_APP, when set, is the app md5 that every cut must leave alone.
sweep_boot() {
	local old=$1 new=$2 torn=${3:-} n k rc md5 mixes=0 wrong_rc=0 unfinished=0 news=0 rtc_kept=0 seen_mix=0
	restore
	n=$("$DEV" boot --flash "$F" 2>/dev/null | sed -n 's/^flash ops: //p')
	check "clean boot counted its flash operations ($n)" [ "${n:-0}" -gt 0 ]
	check "clean boot installs the new image" [ "$(status_get "$F" "${SWEEP_FIELD:-app.md5}")" = "$new" ]
	for ((k = 1; k <= n; k++)); do
		restore
		"$DEV" boot --flash "$F" --power-cut-after "$k" $torn >/dev/null 2>&1
		rc=$?
		[ $rc -eq 75 ] || wrong_rc=$((wrong_rc + 1))
		[ -e "$F.rtc" ] && rtc_kept=$((rtc_kept + 1))
		# Before the next boot a cut install is a visible mix: proof that
		# the old-or-new check below can see one.
		md5=$(status_get "$F" "${SWEEP_FIELD:-app.md5}")
		[ "$md5" != "$old" ] && [ "$md5" != "$new" ] && seen_mix=$((seen_mix + 1))
		"$DEV" boot --flash "$F" >/dev/null 2>&1 || unfinished=$((unfinished + 1))
		md5=$(status_get "$F" "${SWEEP_FIELD:-app.md5}")
		if [ "$md5" = "$new" ]; then
			news=$((news + 1))
		elif [ "$md5" != "$old" ]; then
			mixes=$((mixes + 1))
			echo "# cut at op $k${torn:+ (torn)}: ${SWEEP_FIELD:-app.md5} $md5 is neither old nor new"
		fi
		[ "$(status_get "$F" pending)" = false ] || unfinished=$((unfinished + 1))
		if [ -n "${SWEEP_KEEP_APP:-}" ] && [ "$(status_get "$F" app.md5)" != "$SWEEP_KEEP_APP" ]; then
			mixes=$((mixes + 1))
			echo "# cut at op $k${torn:+ (torn)}: the app changed"
		fi
	done
	check "every cut ${torn:+(torn) }in 1..$n exits 75" [ $wrong_rc -eq 0 ]
	check "some cuts leave a mix until the next boot ($seen_mix of $n)" [ $seen_mix -gt 0 ]
	check "every cut ${torn:+(torn) }wipes RTC memory" [ $rtc_kept -eq 0 ]
	check "after every cut ${torn:+(torn) }the next boot runs and finishes" [ $unfinished -eq 0 ]
	check "after every cut ${torn:+(torn) }old or new image, never a mix ($news of $n new)" [ $mixes -eq 0 ]
	restore
	"$DEV" boot --flash "$F" --power-cut-after $((n + 1)) >/dev/null 2>&1
	check "a cut after the last operation never happens" [ $? -eq 0 ]
}

# sweep_stage IMAGE OLD_MD5 NEW_MD5 STEP: cut the power during the upload
# itself (every STEP-th operation), then boot.
sweep_stage() {
	local img=$1 old=$2 new=$3 step=$4 k rc md5 mixes=0 wrong_rc=0 count=0
	# Count the upload's operations: the first k that does not cut is past the end.
	for ((k = 1; ; k += step)); do
		restore
		"$DEV" stage --flash "$F" --power-cut-after "$k" "$img" >/dev/null 2>&1
		rc=$?
		[ $rc -eq 0 ] && break
		count=$((count + 1))
		if [ $rc -ne 75 ]; then
			wrong_rc=$((wrong_rc + 1))
			break
		fi
		"$DEV" boot --flash "$F" >/dev/null 2>&1
		md5=$(status_get "$F" "${SWEEP_FIELD:-app.md5}")
		[ "$md5" = "$old" ] || [ "$md5" = "$new" ] || mixes=$((mixes + 1))
	done
	check "cuts during the upload exit 75 ($count cuts)" [ $count -gt 0 -a $wrong_rc -eq 0 ]
	check "a cut during the upload leaves a bootable old or new app" [ $mixes -eq 0 ]
}
