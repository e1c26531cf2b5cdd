#!/usr/bin/env bash
# Semantic preservation on random modules.
#
# For each seed number S in FIRST..FIRST+COUNT-1:
#  1. 4096 entropy bytes are derived from S (Park-Miller PRNG in awk), so
#     every run tests the same modules; binaryen's `wasm-opt -ttf` turns them
#     into a random valid module using only features wabt 1.0.32 validates
#     (no reference types: see docs/abi.md, "Practical notes").
#  2. wasm2wat, append a hook export, wat2wasm: the hook
#     `__wasm_task_hook(c)` calls the module's own "fuzzing-support" log-i32
#     import with HOOK_BASE + c, so every hook call shows up in the trace at
#     the exact place it happens, and touches no memory, global or hang limit.
#  3. wasm-taskwrap --verify full (VERIFY) rewrites it; wasm-validate must
#     accept the output, and a second run must be a byte-identical no-op.
#  4. `wasm-opt --fuzz-exec-before` calls every export of the hooked input
#     and of the output. The input's trace, transformed the way the ABI says
#     (the hook export's own block dropped; every other export, all of them
#     "sync lifted", logs HOOK_BASE+0 right after "calling NAME" and
#     HOOK_BASE+1 after its last line unless it trapped, i.e. before its
#     result line; binaryen also calls the hangLimitInitializer export before
#     each export, which adds one more pair), must equal the output's trace
#     line for line.
#
# Usage: preservation.sh CLI WORKDIR [COUNT [FIRST]]
#   env: WASM_OPT WASM_VALIDATE WASM2WAT WAT2WASM, JOBS (parallel seeds, 2),
#        VERIFY (full; fast for a build without libwabt)
# A failure names its seed and keeps its files in WORKDIR/seed-S/; rerun
# that seed alone with `preservation.sh CLI WORKDIR 1 S`.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh" || exit 1

CLI=${1:?usage: preservation.sh CLI WORKDIR [COUNT [FIRST]]}
WORK=${2:?usage: preservation.sh CLI WORKDIR [COUNT [FIRST]]}
COUNT=${3:-300}
FIRST=${4:-1}
export CLI WORK SCRIPT=$0
export WASM_OPT=${WASM_OPT:-wasm-opt} WASM_VALIDATE=${WASM_VALIDATE:-wasm-validate}
export WASM2WAT=${WASM2WAT:-wasm2wat} WAT2WASM=${WAT2WASM:-wat2wasm}
export HOOK_BASE=77700 VERIFY=${VERIFY:-full}
# The features both sides agree on; wasm-opt needs them again to read a module.
export FEATURES="--mvp-features --enable-sign-ext --enable-mutable-globals
  --enable-nontrapping-float-to-int --enable-simd --enable-bulk-memory --enable-multivalue"
rm -rf "$WORK" && mkdir -p "$WORK" || exit 1

# One seed; prints exactly one line: "ok S EXPORTS", "skip S: WHY" or "FAIL S: WHY".
check_seed() {
  local s=$1 d=$WORK/seed-$1 n log
  mkdir -p "$d" && cd "$d" || { echo "FAIL $s: cannot make $d"; return; }
  fail() { echo "FAIL $s: $1 (files in $d; rerun: $SCRIPT CLI DIR 1 $s)"; }
  LC_ALL=C awk -v s="$s" 'BEGIN { x = (s * 7919 + 12345) % 2147483647
      for (i = 0; i < 4096 + 16; i++) { x = (x * 16807) % 2147483647
        if (i >= 16) printf "%c", int(x / 8388608) % 256 } }' > seed.bin
  # shellcheck disable=SC2086
  if ! "$WASM_OPT" -ttf seed.bin $FEATURES -o gen.wasm 2>gen.log; then
    fail "wasm-opt -ttf failed: $(head -n1 gen.log)"; return
  fi
  if ! "$WASM_VALIDATE" gen.wasm >val.log 2>&1; then
    echo "skip $s: wabt rejects the generated module: $(head -n1 val.log)"; return
  fi
  # The hook logs through the module's log-i32 import (its index in the text).
  "$WASM2WAT" gen.wasm -o gen.wat || { fail "wasm2wat failed"; return; }
  log=$(sed -n 's/^ *(import "fuzzing-support" "log-i32" (func (;\([0-9]*\);).*/\1/p' gen.wat)
  [ -n "$log" ] || { fail "the generated module does not import log-i32"; return; }
  { sed '$ s/)$//' gen.wat
    echo "  (func (export \"__wasm_task_hook\") (param i32)"
    echo "    local.get 0 i32.const $HOOK_BASE i32.add call $log))"
  } > in.wat
  "$WAT2WASM" in.wat -o in.wasm 2>w2w.log || { fail "wat2wasm failed: $(head -n1 w2w.log)"; return; }

  if ! "$CLI" --verify "$VERIFY" in.wasm -o out.wasm >cli.log 2>&1; then
    fail "wasm-taskwrap failed: $(head -n1 cli.log)"; return
  fi
  "$WASM_VALIDATE" out.wasm >oval.log 2>&1 || { fail "wasm-validate rejects the output: $(head -n1 oval.log)"; return; }
  if ! "$CLI" out.wasm -o again.wasm >cli2.log 2>&1 || ! cmp -s out.wasm again.wasm; then
    fail "a second run is not a byte-identical no-op"; return
  fi

  # shellcheck disable=SC2086
  "$WASM_OPT" in.wasm $FEATURES --fuzz-exec-before -q >in.trace 2>&1 \
    || { fail "wasm-opt --fuzz-exec-before failed on the input: $(tail -n1 in.trace)"; return; }
  # shellcheck disable=SC2086
  "$WASM_OPT" out.wasm $FEATURES --fuzz-exec-before -q >out.trace 2>&1 \
    || { fail "wasm-opt --fuzz-exec-before failed on the output: $(tail -n1 out.trace)"; return; }
  # binaryen's harness calls the function exported as hangLimitInitializer,
  # silently, after printing "calling X" and before calling X; in the output
  # that export is a wrapper too, so its two hook calls come first.
  hli=0
  grep -qx '\[fuzz-exec\] calling hangLimitInitializer' in.trace && hli=1
  awk -v h0="[LoggingExternalInterface logging $((HOOK_BASE + 0))]" \
      -v h1="[LoggingExternalInterface logging $((HOOK_BASE + 1))]" -v hli=$hli '
    function finish() { if (open && !trapped) print h1; open = 0 }
    /^\[fuzz-exec\] calling / {
      finish(); skip = ($3 == "__wasm_task_hook"); if (skip) next
      print; if (hli) { print h0; print h1 }
      print h0; open = 1; trapped = 0; next }
    skip { next }
    /^\[fuzz-exec\] note result: / { finish(); print; next }
    /^\[trap / { trapped = 1 }
    { print }
    END { finish() }' in.trace > expected.trace
  n=$(grep -c '^\[fuzz-exec\] calling ' out.trace)
  [ "$n" -gt 0 ] || { fail "no export was called"; return; }
  if ! diff expected.trace out.trace > trace.diff; then
    fail "the output's trace differs from the input's: $(grep -m1 '^[<>]' trace.diff)"; return
  fi
  echo "ok $s $n"
  cd / && rm -rf "$d"
}
export -f check_seed

start=$SECONDS
seq "$FIRST" $((FIRST + COUNT - 1)) | xargs -P "${JOBS:-2}" -I{} bash -c 'check_seed {}' \
  > "$WORK/results.txt"
grep -v '^ok ' "$WORK/results.txt"
# The seeds' lines are the counts.
TW_PASSED=$(grep -c '^ok ' "$WORK/results.txt")
TW_SKIPPED=$(grep -c '^skip ' "$WORK/results.txt")
TW_FAILED=$(grep -c '^FAIL ' "$WORK/results.txt")
exports=$(awk '/^ok /{n += $3} END {print n + 0}' "$WORK/results.txt")
echo "seeds $FIRST..$((FIRST + COUNT - 1)): $COUNT generated, $((COUNT - TW_SKIPPED)) accepted by wabt," \
     "$TW_PASSED preserved ($exports export calls compared), $((SECONDS - start)) s"
# Every seed accounts for exactly one line; rejecting many modules would
# hollow the test out, so more than 5% skipped counts as a failure.
[ $((TW_PASSED + TW_SKIPPED + TW_FAILED)) -eq "$COUNT" ] ||
  fail "seeds without a result: $((COUNT - TW_PASSED - TW_SKIPPED - TW_FAILED))"
[ $((TW_SKIPPED * 20)) -le "$COUNT" ] || fail "$TW_SKIPPED of $COUNT generated modules rejected by wabt"
summary && [ "$TW_PASSED" -gt 0 ]
