#!/usr/bin/env bash
# The runtime benchmark's self-check and its sabotages (tests.cmake).
#   run.sh NODE TASKWRAP WASM_TOOLS WASMTIME BENCH_DIR WORKDIR
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
[ $# -eq 6 ] || { echo "usage: run.sh NODE TASKWRAP WASM_TOOLS WASMTIME BENCH_DIR WORKDIR" >&2; exit 2; }
node=$1 tw=$2 wasm_tools=$3 wasmtime=$4 bench=$5 work=$6
bench=$(cd "$bench" && pwd) || die "no directory $5"
rm -rf "$work"
mkdir -p "$work"

# bench.mjs --selfcheck-only with the given tools; output in $work/NAME.out
selfcheck() {
  local name=$1; shift
  "$node" "$bench/bench.mjs" --taskwrap "$tw" --wasm-tools "$wasm_tools" --wasmtime "$wasmtime" \
    --work "$work/$name" --selfcheck-only --no-v8 "$@" > "$work/$name.out" 2>&1
}

# the variants as built: the self-check passes
if selfcheck good; then
  if grep -q '^runtime-bench: self-check passed (9 probes)$' "$work/good.out"; then
    ok "self-check of the three variants passes"
  else
    fail "self-check exit 0 without 'self-check passed (9 probes)':"; cat "$work/good.out"
  fi
else
  fail "self-check of the three variants fails:"; cat "$work/good.out"
fi

# each sabotage of variant b must fail it (exit 1), on variant b only, with
# the symptom it causes
sabotage() {
  local kind=$1 symptom=$2 rc=0
  selfcheck "$kind" --sabotage "$kind" || rc=$?
  if [ "$rc" -ne 1 ]; then
    fail "sabotage $kind: exit $rc, expected 1"; cat "$work/$kind.out"; return
  fi
  if ! grep -q '^runtime-bench: FAIL: self-check: ' "$work/$kind.out"; then
    fail "sabotage $kind: no 'FAIL: self-check' line"; cat "$work/$kind.out"; return
  fi
  if grep -q '^runtime-bench: self-check: variant [ac]' "$work/$kind.out"; then
    fail "sabotage $kind: variants a or c reported too"; cat "$work/$kind.out"; return
  fi
  if grep -qF -- "$symptom" "$work/$kind.out"; then
    ok "sabotage $kind: self-check fails ($symptom)"
  else
    fail "sabotage $kind: the self-check failed without '$symptom'"; cat "$work/$kind.out"
  fi
}
# f(41) = 43
sabotage f-plus-2 'variant b, default: probe() = [43, 42, 1, 42,'
# f's finish hook H(1) became H(4): counters 1 and 4, and the log, differ
sabotage wrapper-code 'variant b, default: probe() = [42, 42, 1, 42, 3, 1, 1, 0, 1,'
# f runs without its start hook: the stack pointer is 0 and its frame traps
sabotage no-wrapper 'variant b, default: probe() = error:'

# the report: medians, ratios and min–max of a known sample set
if out=$("$node" --input-type=module -e "
  import { report } from '$bench/report.mjs';
  const s = { 'wasmtime/f/default/a': [3, 1, 2], 'wasmtime/f/default/b': [4, 5, 6, 7], 'wasmtime/f/default/c': [1] };
  const z = { core: 1, component: 2, cwasm: { default: 3 }, composed: { default: 4 } };
  console.log(report({ samples: s, N: { 'f/default': 1000 }, comp: {}, flags: ['default'], variants: ['a', 'b', 'c'],
    exports: ['f'], v8: null, sizes: { a: z, b: z, c: z },
    machine: { nproc: 2, cpu: 'x', ramGiB: 1, kernel: 'k', start: { date: 'd', load: 'l' }, end: { date: 'd', load: 'l' }, seconds: 1, rounds: 3 },
    tools: { wasmtime: 'w', wasmTools: 't', taskwrap: 'tw', node: 'n', jco: 'j' } }));" 2>&1); then
  want='| wasmtime, default | 2.00 [1.00–3.00] | 5.50 [4.00–7.00] | 1.00 [1.00–1.00] | 2.75 | 1.00 | 4.50 | 1,000 |'
  if grep -qxF -- "$want" <<< "$out"; then ok "report: median, min–max, b/a, a−c, b−c"; else fail "report: no line '$want' in:"; echo "$out"; fi
else
  fail "report.mjs failed: $out"
fi

summary
