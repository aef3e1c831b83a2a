#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# docs/eboot-sizes.md, the one table of eboot's sizes the docs point to, is
# what bench/eboot_size.sh makes from a fresh cross build of this tree.
# After a change that moves a size: bench/eboot_size.sh --write.
. "$SRC/tests/integration/lib.sh"

if ! command -v xtensa-lx106-elf-gcc >/dev/null 2>&1; then
	echo "skip: no xtensa-lx106-elf-gcc (scripts/install-deps.sh installs it)"
	exit 77
fi

out=$T_DIR/out
build() { bash "$SRC/firmware/target/lx106-build.sh" "$SRC" "$out" >"$T_DIR/build.out" 2>&1; }
expect_success "the cross build succeeds" build
bash "$SRC/bench/eboot_size.sh" "$out" >"$T_DIR/fresh.md"
check "eboot_size.sh prints a table" file_has "$T_DIR/fresh.md" '^| stage 2, `eboot-stage2.elf`'
check "docs/eboot-sizes.md is what a fresh build gives (else: bench/eboot_size.sh --write)" \
	diff -u "$SRC/docs/eboot-sizes.md" "$T_DIR/fresh.md"

# the table follows the build: a stage 2 one byte larger is a different table
mkdir -p "$T_DIR/bigger"
awk -F= '$1 == "stage2_code" { $2 += 1 } { print $1 "=" $2 }' "$out/sizes.txt" >"$T_DIR/bigger/sizes.txt"
bash "$SRC/bench/eboot_size.sh" "$T_DIR/bigger" >"$T_DIR/bigger.md"
check "(a changed size changes the table)" fails same_file "$T_DIR/fresh.md" "$T_DIR/bigger.md"
done_testing
