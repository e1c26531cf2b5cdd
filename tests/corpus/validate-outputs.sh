#!/usr/bin/env bash
# Runs the CLI on the wasi-testsuite and C-program groups of OUT/corpus.list
# and checks each output with wabt's wasm-validate, wherever wabt accepts the
# input. Outputs of modules with no hook export must also equal the input
# (cmp); hooked.c is the one that is rewritten.
# Usage: validate-outputs.sh CLI OUT   (optional WASM_VALIDATE)
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh" || exit 1

CLI=${1:?usage: validate-outputs.sh CLI OUT}
OUT=${2:?usage: validate-outputs.sh CLI OUT}
VALIDATE=${WASM_VALIDATE:-wasm-validate}
SCRATCH=$OUT/validate
rm -rf "$SCRATCH" && mkdir -p "$SCRATCH" || exit 1

mapfile -t modules < <(awk '/^# corpus: /{on = ($3 == "wasi-testsuite" || $3 == "c-programs"); next}
                            on && NF' "$OUT/corpus.list")
for mod in "${modules[@]}"; do
  if ! "$VALIDATE" "$mod" >"$SCRATCH/in.log" 2>&1; then
    skip "(wabt cannot validate the input) $mod: $(head -n1 "$SCRATCH/in.log")"
    continue
  fi
  out=$SCRATCH/out.wasm
  rm -f "$out"
  if ! "$CLI" "$mod" -o "$out" >"$SCRATCH/cli.log" 2>&1; then
    fail "$mod: wasm-taskwrap failed: $(head -n1 "$SCRATCH/cli.log")"
  elif ! "$VALIDATE" "$out" >"$SCRATCH/out.log" 2>&1; then
    fail "$mod: wasm-validate rejects the output: $(head -n1 "$SCRATCH/out.log")"
  elif [ "$(basename "$mod")" = hooked.wasm ]; then
    if cmp -s "$mod" "$out"; then fail "$mod: hooked.wasm came out unchanged"; else ok; fi
  elif ! cmp -s "$mod" "$out"; then
    fail "$mod: the output differs from the input"
  else
    ok
  fi
done
[ $((TW_PASSED + TW_FAILED)) -gt 0 ] || fail "$OUT/corpus.list: no module to check"
summary
