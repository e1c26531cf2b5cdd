#!/bin/bash
# hosts-reactor: build c/reactor.c as a wasm32-wasi reactor, plain and with
# -DWITH_HOOK, rewrite both with --init-once --stub-wasi, validate, and run
# reactor.mjs on the originals and the outputs.
set -eu
cli=$1 clang=$2 node=$3 validate=$4 src=$5 work=$6
rm -rf "$work" && mkdir -p "$work"
for variant in plain hook; do
  flags=
  [ $variant = hook ] && flags=-DWITH_HOOK
  # -O2 -c, then a link without -O: clang 14 runs wasm-opt when linking with -O.
  "$clang" --target=wasm32-wasi -O2 -Wall -Wextra -Werror $flags \
    -c "$src/c/reactor.c" -o "$work/$variant.o"
  "$clang" --target=wasm32-wasi -mexec-model=reactor "$work/$variant.o" -o "$work/$variant.wasm"
  "$cli" --init-once --stub-wasi --plan "$work/$variant.wasm" -o "$work/$variant.stub.wasm"
  "$validate" "$work/$variant.stub.wasm"
done
exec "$node" "$src/reactor.mjs" "$work/plain.wasm" "$work/plain.stub.wasm" \
  "$work/hook.wasm" "$work/hook.stub.wasm"
