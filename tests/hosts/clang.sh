#!/bin/bash
# hosts-clang: build the C programs of c/programs.txt with clang as
# wasm32-wasi commands, rewrite each with --stub-wasi, validate, and run
# them all with run.mjs against c/NAME.json.
set -eu
cli=$1 clang=$2 node=$3 validate=$4 src=$5 work=$6
rm -rf "$work" && mkdir -p "$work"
pairs=()
while read -r name source flags; do
  case $name in '' | '#'*) continue ;; esac
  # -O2 -c, then a link without -O: clang 14 runs wasm-opt when linking with -O.
  # $flags is split into words on purpose.
  "$clang" --target=wasm32-wasi -O2 -Wall -Wextra -Werror $flags \
    -c "$src/c/$source" -o "$work/$name.o"
  "$clang" --target=wasm32-wasi "$work/$name.o" -o "$work/$name.wasm"
  out=()
  if grep -q '"std\(out\|err\)"' "$src/c/$name.json"; then
    out=(--stub-wasi-output=host:write)
  fi
  "$cli" --stub-wasi "${out[@]}" "$work/$name.wasm" -o "$work/$name.stub.wasm"
  "$validate" "$work/$name.stub.wasm"
  pairs+=("$work/$name.stub.wasm" "$src/c/$name.json")
done <"$src/c/programs.txt"
echo "built, rewritten and valid: $((${#pairs[@]} / 2)) programs"
exec "$node" "$src/run.mjs" "${pairs[@]}"
