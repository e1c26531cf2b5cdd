#!/bin/bash
# go-build: build the Go guest (guest/, GOOS=wasip1 -buildmode=c-shared) and
# the wazero host (host/), rewrite the guest with
# --init-once --stub-wasi --stub-wasi-output env:log, check the plan, and make
# the sabotaged variants run.sh expects to fail:
#   guest.orig.wasm      not rewritten
#   guest.tw.wasm        the rewrite
#   guest.noinit.wasm    without --init-once
#   guest.log2.wasm      the output import renamed (env.log2)
#   guest.nooutput.wasm  without --stub-wasi-output (the text goes nowhere)
#   guest.flag.wasm      the rewrite with guards that never set their flag
# and the wasmtime CLI's modules (wasmtime/env.wat, wasmtime/driver.wat).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
go=$1 cli=$2 node=$3 wat2wasm=$4 validate=$5 objdump=$6 src=$7 work=$8 gocache=$9

rm -rf "$work" && mkdir -p "$work" "$gocache"
# The module cache is the default one, filled by tools/install-deps.sh
# (`go mod download` for every tests/*/go.mod and tests/*/*/go.mod); the test
# never goes to the network (GOPROXY=off) nor changes go.mod (-mod=readonly).
# The build cache lives in the build tree, so a rebuild is quick.
export GOCACHE=$gocache GOFLAGS="-mod=readonly -buildvcs=false -trimpath"
export GOTOOLCHAIN=local GOPROXY=off GOWORK=off CGO_ENABLED=0

(cd "$src/guest" && GOOS=wasip1 GOARCH=wasm "$go" build -buildmode=c-shared -o "$work/guest.orig.wasm" .) ||
  die "go build of the guest failed"
ok "guest: $("$go" version | cut -d' ' -f3) GOOS=wasip1 GOARCH=wasm -buildmode=c-shared ($(stat -c %s "$work/guest.orig.wasm") bytes)"
(cd "$src/host" && "$go" build -o "$work/wazero-host" .) ||
  die "go build of the wazero host failed (module cache empty? run tools/install-deps.sh)"
ok "wazero host built"

# What a Go reactor imports: every function import is wasi_snapshot_preview1's.
imports() { "$objdump" -x -j Import "$1" | sed -n 's/^ - func\[[0-9]*\] sig=[0-9]* <[^>]*> <- //p'; }
imports "$work/guest.orig.wasm" > "$work/imports.txt"
n_wasi=$(grep -c '^wasi_snapshot_preview1\.' "$work/imports.txt" || true)
n_all=$("$objdump" -x -j Import "$work/guest.orig.wasm" | sed -n 's/^Import\[\([0-9]*\)\]:$/\1/p')
if [ "$n_wasi" -gt 0 ] && [ "$n_wasi" = "$n_all" ]; then
  ok "guest imports $n_wasi functions, all wasi_snapshot_preview1: $(sed 's/^wasi_snapshot_preview1\.//' "$work/imports.txt" | sort -u | paste -sd ' ')"
else
  fail "guest imports: $n_wasi of ${n_all:-?} from wasi_snapshot_preview1"
fi

"$cli" --init-once --stub-wasi --stub-wasi-output env:log --plan \
  "$work/guest.orig.wasm" -o "$work/guest.tw.wasm" > "$work/plan.txt" ||
  die "wasm-taskwrap failed on the Go module (plan so far: $work/plan.txt)"
ok "rewrite: --init-once --stub-wasi --stub-wasi-output env:log"

# The plan: one stub per import, each a WASI-specific one (docs/usage.md,
# "What the stubs do"), none of the fallbacks for unknown names or types; one guard per
# function export.
n_stubs=$(grep -c '^stub "' "$work/plan.txt" || true)
[ "$n_stubs" = "$n_wasi" ] && ok "a stub for each of the $n_wasi imports" ||
  fail "$n_stubs stubs for $n_wasi imports"
if grep -E '^stub .* (enosys|return|trap)$' "$work/plan.txt"; then
  fail "a Go import got a fallback stub"
else
  ok "no Go import falls back to ENOSYS or a generic stub"
fi
n_funcs=$("$objdump" -x -j Export "$work/guest.orig.wasm" | grep -c '^ - func\[' || true)
flag=$(sed -n 's/^init-once flag=global:\([0-9]*\) guards=\([0-9]*\)$/\1/p' "$work/plan.txt")
guards=$(sed -n 's/^init-once flag=global:\([0-9]*\) guards=\([0-9]*\)$/\2/p' "$work/plan.txt")
[ -n "$flag" ] && [ "$guards" = "$n_funcs" ] && ok "$guards guards (every function export), flag global:$flag" ||
  fail "guards=${guards:-?} for $n_funcs function exports"
imports "$work/guest.tw.wasm" > "$work/imports.tw.txt"
[ "$(cat "$work/imports.tw.txt")" = env.log ] && ok "the rewrite imports env.log alone" ||
  fail "the rewrite imports: $(tr '\n' ' ' < "$work/imports.tw.txt")"
"$cli" --check --init-once --stub-wasi --stub-wasi-output env:log \
  "$work/guest.orig.wasm" "$work/guest.tw.wasm" && ok "--check accepts the rewrite" ||
  fail "--check rejects the rewrite"

"$cli" --init-once --stub-wasi --stub-wasi-output env:log \
  "$work/guest.tw.wasm" -o "$work/guest.again.wasm" 2> "$work/again.err"
cmp -s "$work/guest.tw.wasm" "$work/guest.again.wasm" && ok "rewriting the rewrite changes no byte" ||
  fail "rewriting the rewrite changes it"

# The sabotaged variants.
"$cli" --stub-wasi --stub-wasi-output env:log "$work/guest.orig.wasm" -o "$work/guest.noinit.wasm"
"$cli" --init-once --stub-wasi --stub-wasi-output env:log2 "$work/guest.orig.wasm" -o "$work/guest.log2.wasm"
"$cli" --init-once --stub-wasi "$work/guest.orig.wasm" -o "$work/guest.nooutput.wasm"
"$node" "$src/sabotage-flag.mjs" "$work/guest.tw.wasm" "$work/guest.flag.wasm" "$flag" "$guards"
for v in tw noinit log2 nooutput flag; do
  "$validate" "$work/guest.$v.wasm" && ok "guest.$v.wasm validates" || fail "guest.$v.wasm does not validate"
done

"$wat2wasm" "$src/wasmtime/env.wat" -o "$work/env.wasm"
"$wat2wasm" --enable-multi-memory "$src/wasmtime/driver.wat" -o "$work/driver.wasm"
ok "wasmtime modules assembled"
summary
