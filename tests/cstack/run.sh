#!/bin/bash
# cstack-init-task: build stack.c + init_task.S into two wasm32-wasi reactors
# (with both init-task exports, and with __wasm_init_task only), rewrite
# each with wasm-taskwrap, validate, and run run.mjs on original and result.
#
# run.sh CLI CLANG WASM_LD NODE WASM_VALIDATE SRC_DIR WORK_DIR
set -euo pipefail
cli=$1 clang=$2 wasm_ld=$3 node=$4 validate=$5 src=$6 work=$7
rm -rf "$work" && mkdir -p "$work" && cd "$work"

cc() { "$clang" --target=wasm32-wasi "$@"; }
# Compile with -O2 but link without -O: clang 14 would run wasm-opt on link.
# -fuse-ld with a path picks the wasm-ld that CMake found.
cc -O2 -Wall -Wextra -c "$src/stack.c" -o stack.o
for variant in both sync-only; do
  defs=(); [ "$variant" = sync-only ] && defs=(-DONLY_INIT_TASK)
  cc "${defs[@]}" -c "$src/init_task.S" -o "init-$variant.o"
  cc -mexec-model=reactor -fuse-ld="$wasm_ld" stack.o "init-$variant.o" -o "orig-$variant.wasm"

  echo "== $variant"
  "$cli" "orig-$variant.wasm" -o "new-$variant.wasm" --abi init-task --json > "plan-$variant.json"
  cat "plan-$variant.json"
  "$validate" "new-$variant.wasm"
  # --abi auto must pick the same ABI and produce the same bytes.
  "$cli" "orig-$variant.wasm" -o "auto-$variant.wasm"
  cmp "new-$variant.wasm" "auto-$variant.wasm"
  # With the init exports gone, a second run is a byte-identical no-op.
  "$cli" "new-$variant.wasm" -o "again-$variant.wasm"
  cmp "new-$variant.wasm" "again-$variant.wasm"
  # --no-warnings: node:wasi prints an ExperimentalWarning.
  "$node" --no-warnings "$src/run.mjs" "orig-$variant.wasm" "new-$variant.wasm" \
    "plan-$variant.json" "$variant"
done
