#!/usr/bin/env bash
# Builds the wasip3 fixtures as wasm-ld would have linked them:
#
#   build.sh SRC WORK WAT2WASM WASM_VALIDATE NODE WASM_TOOLS CLANG WASM_LD
#
# component.wat and pie.wat (each with libc.wat put in at its ";; @include
# libc.wat" line) and refs.wat: wat2wasm (--enable-extended-const,
# --enable-tail-call) --debug-names, then wasm.mjs pads the code's index
# immediates to 5 bytes as wasm-ld leaves them (call_indirect's table index
# as 80 80 80 80 00) and appends producers and target_features. hook.c:
# clang -mreference-types, wasm-ld. Writes WORK/component.wasm and
# WORK/hook.wasm (their worlds, wasip3.wit and hook.wit, embedded by
# `wasm-tools component embed`, as wasm-component-ld links them),
# WORK/pie.wasm, WORK/refs.wasm and WORK/env.wasm. Any failure stops it.
set -euo pipefail
src=$1 work=$2 wat2wasm=$3 wasm_validate=$4 node=$5 wasm_tools=$6 clang=$7 wasm_ld=$8
mkdir -p "$work"
cd "$work"

for v in component pie; do
  sed -e "/^;; @include libc.wat\$/r $src/libc.wat" "$src/$v.wat" > "$v.src.wat"
  "$wat2wasm" --enable-extended-const --debug-names "$v.src.wat" -o "$v.wat2wasm.wasm"
  "$node" "$src/wasm.mjs" widen "$v.wat2wasm.wasm" "$v.padded.wasm" > /dev/null
  "$node" "$src/wasm.mjs" toolchain "$v.padded.wasm" "$v.linked.wasm"
  "$wasm_validate" --enable-extended-const "$v.linked.wasm"
done
mv pie.linked.wasm pie.wasm
"$wat2wasm" --enable-tail-call --debug-names "$src/refs.wat" -o refs.wat2wasm.wasm
"$node" "$src/wasm.mjs" widen refs.wat2wasm.wasm refs.padded.wasm > /dev/null
"$node" "$src/wasm.mjs" toolchain refs.padded.wasm refs.wasm
"$wasm_validate" --enable-tail-call refs.wasm
"$wasm_tools" component embed "$src/wasip3.wit" component.linked.wasm -o component.wasm
"$wat2wasm" "$src/env.wat" -o env.wasm

# clang 14 runs wasm-opt after a link when -O is given (docs/abi.md,
# "Practical notes"): compile with -O2 -c, link with wasm-ld itself.
"$clang" --target=wasm32-wasi -O2 -mreference-types -mbulk-memory -c "$src/hook.c" -o hook.o
"$wasm_ld" --no-entry --export-table -o hook.linked.wasm hook.o
"$wasm_tools" component embed "$src/hook.wit" hook.linked.wasm -o hook.wasm
