#!/usr/bin/env bash
# Scale benchmark of the two shapes that once took quadratic time: a WIT world
# of N exported interfaces (its name maps were rebuilt for every interface
# added) and --stub-wasi on N imports (every stub scanned all the added
# functions for the output import). Not a test: it prints numbers.
#
#   bench/scale/world-wasi.sh [--build DIR] [--cli BIN] [--before BIN]
#                             [--runs K] [--before-runs K] [--quick] [--out FILE]
#
# --cli          the binary measured (default: a Release build into DIR, default
#                build-bench/ in the repository, as run.sh builds it)
# --before       also time this binary (an older build) in a column of its own
# --runs         median of K runs of --cli (default 3)
# --before-runs  runs of --before (default 1: a quadratic binary takes minutes)
# --quick        1,000 to 8,000 interfaces, 10,000 to 50,000 imports
# --out          also write the tables (Markdown) to FILE
# env WASM_TOOLS: wasm-tools for `component embed` (default: the pinned
# .tools/bin/wasm-tools, else PATH).
#
# Modules (gen.c, kept in DIR/scale-world-wasi between runs):
#   world N   `__wasm_task_hook` and N functions, function k exported as
#             "bench:scale/i<k>#f", with the world `w` of package bench:scale
#             exporting N interfaces i<k> { f: func(x: u32) -> u32; } embedded
#             by `wasm-tools component embed`; rewritten with the defaults
#   wasi N    N + 1 wasi_snapshot_preview1 function imports (fd_write, x0..),
#             a memory and a function calling 16 of them; `--stub-wasi`
# Each module's plan is checked first (N wrappers and N interfaces; N + 1
# stubs), so the time is that of a real rewrite. Per-unit columns are net of
# the start-up time (a module with one export).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=$repo/build-bench cli='' before='' runs=3 before_runs=1 quick=0 out=''
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --cli) cli=$2; shift 2 ;;
    --before) before=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --before-runs) before_runs=$2; shift 2 ;;
    --quick) quick=1; shift ;;
    --out) out=$2; shift 2 ;;
    *) echo "world-wasi.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
# shellcheck source=bench/scale/lib.sh
. "$here/lib.sh"

if [ -z "$cli" ]; then
  cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Release -DTW_BUILD_TESTS=OFF > /dev/null
  cmake --build "$build" -j"$(nproc)" --target wasm-taskwrap > /dev/null
  cli=$build/wasm-taskwrap
fi
wasm_tools=${WASM_TOOLS:-$repo/.tools/bin/wasm-tools}
[ -x "$wasm_tools" ] || wasm_tools=$(command -v wasm-tools) ||
  { echo "world-wasi.sh: needs wasm-tools (WASM_TOOLS)" >&2; exit 1; }
work=$build/scale-world-wasi
mkdir -p "$work"
cc -O2 -o "$work/gen" "$here/gen.c"

interfaces=(1000 2000 4000 8000 16000 32000 64000)
imports=(10000 20000 50000 100000 200000)
[ "$quick" = 1 ] && interfaces=(1000 2000 4000 8000) imports=(10000 20000 50000)

# world_module N: the path of the world module of N interfaces (made once).
world_module() {
  local n=$1 m=$work/world-$1.wasm
  if [ ! -f "$m" ]; then
    awk -v n="$n" 'BEGIN {
      print "package bench:scale;"
      for (k = 0; k < n; k++) printf "interface i%d { f: func(x: u32) -> u32; }\n", k
      print "world w {"
      for (k = 0; k < n; k++) printf "  export i%d;\n", k
      print "}" }' > "$work/world-$n.wit"
    "$work/gen" world "$n" "$work/core-$n.wasm"
    "$wasm_tools" component embed "$work/world-$n.wit" "$work/core-$n.wasm" -o "$m.tmp"
    mv "$m.tmp" "$m"
  fi
  echo "$m"
}

wasi_module() {
  local m=$work/wasi-$1.wasm
  [ -f "$m" ] || "$work/gen" wasi "$1" "$m"
  echo "$m"
}

# The plans: the rewrite must really do its work.
# (The whole plan is read: a reader that stops early would fail the CLI with
# SIGPIPE under pipefail.)
check_world() {
  local plan
  plan=$("$cli" "$2" --dry-run | sed -n '1,2p')
  echo "$plan" | grep -q "wrappers=$1\$" && echo "$plan" | grep -q " interfaces=$1 items=$1\$" ||
    { echo "world-wasi.sh: $2: unexpected plan: $plan" >&2; exit 1; }
}
check_wasi() {
  [ "$("$cli" --stub-wasi "$2" --dry-run | grep -c '^stub ')" = $(($1 + 1)) ] ||
    { echo "world-wasi.sh: $2: not $(($1 + 1)) stubs" >&2; exit 1; }
}

"$work/gen" exports 1 "$work/base.wasm"
read -r base_wall base_cpu <<< "$(median_times "$runs" "$cli" "$work/base.wasm" -o "$work/out.wasm")"
report=$work/tables.md
{
  echo "Machine: $(machine_line). $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(load_line) at start."
  echo "Measured: \`$cli\` (median of $runs runs; start-up, a module with one export:" \
    "$base_wall ms, $base_cpu ms CPU)."
  [ -z "$before" ] || echo "Before: \`$before\` ($before_runs run(s))."
  echo "Whole process, reading and writing files, verify fast. ms: wall time; CPU: user + system"
  echo "time, the steadier figure on a shared machine. growth: the exponent k of CPU time ~ N^k"
  echo "from the row before, net of start-up: 1 is linear, 2 quadratic."
} > "$report"

# growth CPU PREV-CPU N PREV-N: k in CPU time ~ N^k, net of start-up ("" for
# the first row, or when start-up is all of the time).
growth() {
  awk -v t="$1" -v p="$2" -v n="$3" -v pn="$4" -v base="$base_cpu" 'BEGIN {
    if (p == "" || t - base <= 0 || p - base <= 0) exit
    printf "%.2f", log((t - base) / (p - base)) / log(n / pn) }'
}

# table TITLE UNIT SHAPE SIZES-VARIABLE ARGS...: one row per size; ARGS go
# before the module.
table() {
  local title=$1 unit=$2 shape=$3 sizes_var=$4
  shift 4
  local -n sizes=$sizes_var
  {
    echo
    echo "$title"
    echo
    if [ -n "$before" ]; then
      echo "| N | bytes | ms | CPU ms | growth | CPU µs/$unit | before: ms | CPU ms | growth |"
      echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    else
      echo "| N | bytes | ms | CPU ms | growth | CPU µs/$unit |"
      echo "|---:|---:|---:|---:|---:|---:|"
    fi
  } | tee -a "$report"
  local prev='' prev_b='' prev_n='' n m wall cpu b_wall b_cpu row
  for n in "${sizes[@]}"; do
    m=$("${shape}_module" "$n")
    "check_$shape" "$n" "$m"
    read -r wall cpu <<< "$(median_times "$runs" "$cli" "$@" "$m" -o "$work/out.wasm")"
    row="| $n | $(stat -c %s "$m") | $wall | $cpu | $(growth "$cpu" "$prev" "$n" "$prev_n") |"
    row+=$(awk -v c="$cpu" -v n="$n" -v base="$base_cpu" 'BEGIN { printf " %.2f |", (c - base) * 1000 / n }')
    if [ -n "$before" ]; then
      read -r b_wall b_cpu <<< "$(median_times "$before_runs" "$before" "$@" "$m" -o "$work/out-before.wasm")"
      row+=" $b_wall | $b_cpu | $(growth "$b_cpu" "$prev_b" "$n" "$prev_n") |"
      prev_b=$b_cpu
    fi
    echo "$row" | tee -a "$report"
    prev=$cpu prev_n=$n
  done
}

cat "$report"
table "World interfaces: N exported interfaces of one function each, N wrappers (default options):" \
  interface world interfaces
table "WASI imports: N + 1 imports, each replaced by a stub (\`--stub-wasi\`):" import wasi imports \
  --stub-wasi
echo "Load average at the end: $(load_line)." | tee -a "$report"
[ -z "$out" ] || cp "$report" "$out"
