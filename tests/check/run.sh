#!/usr/bin/env bash
# check-bitflip: every mode's correct output is accepted by the verifier
# (tw_check, what `wasm-taskwrap --check` runs), and every single-bit
# corruption of it (bits 0x01 and 0x80 of every byte) is refused.
#   run.sh BITFLIP SRC FIXTURES WORK   env: WAT2WASM CLANG
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
bitflip=$1 src=$2 fixtures=$3 work=$4
rm -rf "$work" && mkdir -p "$work" && cd "$work"

# The reactor: -O2 -c, then a link without -O (clang 14 runs wasm-opt when
# linking with -O).
"$CLANG" --target=wasm32-wasi -g -O2 -c "$src/reactor.c" -o reactor.o
"$CLANG" --target=wasm32-wasi -g -mexec-model=reactor reactor.o -o reactor.wasm

asm() { "$WAT2WASM" --enable-all --debug-names "$fixtures/$1.wat" -o "$1.wasm"; }
for f in example init-task init-once-task-hook stub-wasi stub-wasi-output init-once \
         all-roles keep-hook count-widens imported-exports stub-wasi-args-env stub-wasi-env-data; do
  asm "$f"
done

"$WAT2WASM" --enable-all "$src/stub-wasi-files.wat" -o stub-wasi-files.wasm
mkdir -p tree/sub && printf 'hello\n' > tree/a.txt && printf 'z' > tree/sub/z.txt

# MODULE OPTIONS...
while read -r module options; do
  [ -n "$module" ] || continue
  # shellcheck disable=SC2086  # options are a word list
  if out=$("$bitflip" "$module.wasm" $options 2>&1); then
    ok "$module $options: ${out##*: }"
  else
    fail "$module $options: $out"
  fi
done <<'LIST'
example
example --keep-hook-export
init-task --abi=init-task
all-roles
count-widens
imported-exports
init-once-task-hook --init-once
init-once --init-once
stub-wasi --stub-wasi
stub-wasi-output --stub-wasi --stub-wasi-output=host:write
init-once-task-hook --init-once --stub-wasi
reactor
reactor --keep-hook-export
reactor --strip-debug
reactor --init-once
reactor --stub-wasi
reactor --init-once --stub-wasi --stub-wasi-output=env:log
reactor --init-once --stub-wasi --strip-debug
stub-wasi-args-env --stub-wasi --stub-wasi-arg=prog --stub-wasi-arg=-x --stub-wasi-env=A=1
stub-wasi-env-data --stub-wasi --stub-wasi-env=HOME=/
reactor --stub-wasi --stub-wasi-arg=reactor --stub-wasi-env=A=1
stub-wasi-files --stub-wasi --stub-wasi-dir=/ro=tree --stub-wasi-arg=p
LIST
summary
