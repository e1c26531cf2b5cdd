#!/usr/bin/env bash
# Scale benchmark: does wasm-taskwrap's time grow linearly
# with the module? Not a test: it prints numbers for a human to read.
#
#   bench/scale/run.sh [--build DIR] [--runs K] [--callgrind] [--quick]
#
# Builds wasm-taskwrap in Release into DIR (default build-bench/ in the
# repository), generates modules with bench/scale/gen.c and times the CLI
# end to end (read, parse, plan, emit, verify, write): the median of K runs
# (default 5), with --verify none and with the default --verify fast.
# --callgrind also counts instructions (valgrind), which has no timing noise.
# --quick stops at 30,000 exports and 100,000 functions.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=$repo/build-bench runs=5 callgrind=0 quick=0
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --callgrind) callgrind=1; shift ;;
    --quick) quick=1; shift ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Release -DTW_BUILD_TESTS=OFF > /dev/null
cmake --build "$build" -j"$(nproc)" --target wasm-taskwrap > /dev/null
cli=$build/wasm-taskwrap
work=$build/scale
mkdir -p "$work"
cc -O2 -o "$work/gen" "$here/gen.c"

# shellcheck source=bench/scale/lib.sh
. "$here/lib.sh"
echo "machine: $(machine_line)"
echo "wasm-taskwrap $("$cli" --version 2>/dev/null || echo "(version unknown)"), median of $runs runs"

# instructions CMD...: what callgrind counts for CMD (deterministic).
instructions() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 > /dev/null |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

# Process start-up (exec, dynamic libstdc++, static initialisers) is several
# ms on a small VM and would swamp small modules: the per-unit columns are net
# of the time (and instructions) for a module with one export.
"$work/gen" exports 1 "$work/base.wasm"
base_ms=$(median_ms "$runs" "$cli" "$work/base.wasm" -o "$work/out.wasm")
base_ir=0
[ "$callgrind" = 1 ] && base_ir=$(instructions "$cli" "$work/base.wasm" -o "$work/out.wasm")
echo "start-up (a module with one export): $base_ms ms$([ "$callgrind" = 1 ] && echo ", $base_ir instructions")"

# row N WRAPPERS GENARGS...: generate, check the plan, time, print one table
# row; per-unit columns divide by N (exports, or functions).
row() {
  local n=$1 want=$2; shift 2
  local m
  m=$work/$(echo "$*" | tr -d - | tr ' ' -).wasm
  [ -f "$m" ] || "$work/gen" "$@" "$m"
  local bytes wrappers
  bytes=$(stat -c %s "$m")
  # The rewrite must really happen: one wrapper per distinct exported function.
  wrappers=$("$cli" "$m" --dry-run 2> /dev/null | sed -n '1s/.*wrappers=\([0-9]*\).*/\1/p')
  [ "$wrappers" = "$want" ] || { echo "run.sh: $m: $wrappers wrappers, expected $want" >&2; exit 1; }
  local none fast ir=-
  none=$(median_ms "$runs" "$cli" --verify none "$m" -o "$work/out.wasm")
  fast=$(median_ms "$runs" "$cli" "$m" -o "$work/out.wasm")
  # (callgrind runs ~50x slower: not on the adversarial rows past 1,000)
  [ "$callgrind" = 1 ] && { [ "$1" != shared ] || [ "$n" -le 1000 ]; } &&
    ir=$(instructions "$cli" "$m" -o "$work/out.wasm")
  awk -v n="$n" -v b="$bytes" -v a="$none" -v f="$fast" -v base="$base_ms" \
      -v ir="$ir" -v bir="$base_ir" 'BEGIN {
    printf "| %9d | %10d | %8.2f | %8.2f | %9.1f | %7.2f | %12s |\n", n, b, a, f,
           (f - base) * 1e6 / n, (f - base) * 1e6 / b,
           ir == "-" ? "-" : sprintf("%.0f", (ir - bir) / n) }'
}

header() {
  echo
  echo "$1"
  printf "| %9s | %10s | %8s | %8s | %9s | %7s | %12s |\n" N bytes "ms none" "ms fast" "ns/$2" \
    ns/byte "instr/$2"
  echo "|-----------|------------|----------|----------|-----------|---------|--------------|"
}

exports=(1000 3000 10000 30000 100000)
funcs=(10000 100000 1000000)
shared=(250 500 1000 2000)
[ "$quick" = 1 ] && exports=(1000 3000 10000 30000) funcs=(10000 100000) shared=(250 500)

header "N exports, each naming its own sync-lifted function, plus __wasm_task_hook and a name section:" export
for n in "${exports[@]}"; do row "$n" "$n" --names exports "$n"; done

header "N functions with a name section, 10 of them exported (per function):" func
for n in "${funcs[@]}"; do row "$n" 10 --names funcs "$n"; done

# Adversarial: N exports naming ONE function whose body starts with 10 N
# i32.consts. The module grows linearly with N; work that rescans the shared
# body for every export grows with N x 10 N.
header "N exports sharing one function of 10 N i32.consts (per export):" export
for n in "${shared[@]}"; do row "$n" 1 shared "$n" $(( 10 * n )); done
