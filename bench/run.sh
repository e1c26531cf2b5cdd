#!/usr/bin/env bash
# Performance benchmark of wasm-taskwrap (see bench/README.md).
#
#   bash bench/run.sh [--quick] [--sizes "1 4 16 64 200"] [--runs N] [--slow-runs N]
#                     [--wasi N] [--no-ruby] [--calls N] [--out FILE]
#
# Builds wasm-taskwrap in Release, installs the pinned npm packages
# (bench/package-lock.json: jco 1.35.0, @ruby/3.4-wasm-wasi 2.10.1), prepares
# the modules (each gets a __wasm_task_hook first), times every tool on each
# as a whole process, and prints Markdown tables (also written to
# bench/results.md, or --out FILE).
#   --sizes      generated module sizes in MB (default "1 4 16 64 200")
#   --runs       runs of cp and wasm-taskwrap none/fast per module (default:
#                5 below 10 MB, 3 above)
#   --slow-runs  runs of --verify=full, wasm-opt and componentNew (default 3
#                below 32 MB, 1 above: there one run takes 10 s to minutes)
#   --wasi       how many of the largest wasi-testsuite programs (default 2)
#   --no-ruby    skip the three ruby.wasm modules (17, 31, 50 MB)
#   --calls      calls per path in the microbenchmark (default 20000000)
#   --quick      sizes "1 4", runs 3, slow-runs 1, wasi 1, no ruby, 2M calls,
#                out bench/build/results-quick.md: a sanity check of the whole
#                pipeline in about a minute
# Environment: TW_BENCH_BUILD (default bench/build) holds the build, the npm
# packages and the modules; TW_SHARED (default ../shared) the shared data.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${TW_BENCH_BUILD:-$here/build}
shared=${TW_SHARED:-$root/../shared}

sizes="1 4 16 64 200" runs="" slow_runs="" wasi=2 ruby=1 calls=20000000 out=$here/results.md
while [ $# -gt 0 ]; do
  case $1 in
    --quick) sizes="1 4" runs=3 slow_runs=1 wasi=1 ruby=0 calls=2000000 out=$build/results-quick.md ;;
    --sizes) sizes=$2; shift ;;
    --runs) runs=$2; shift ;;
    --slow-runs) slow_runs=$2; shift ;;
    --wasi) wasi=$2; shift ;;
    --no-ruby) ruby=0 ;;
    --calls) calls=$2; shift ;;
    --out) out=$2; shift ;;
    *) echo "run.sh: unknown option $1 (see the head of this file)" >&2; exit 2 ;;
  esac
  shift
done

bash "$root/tools/install-deps.sh"
mkdir -p "$build/work"
work=$build/work
log() { echo "bench: $*" >&2; }

# --- build (Release, no tests) and the timer ------------------------------------
log "building wasm-taskwrap (Release) in $build/release"
cmake -S "$root" -B "$build/release" -DCMAKE_BUILD_TYPE=Release -DTW_BUILD_TESTS=OFF >/dev/null
cmake --build "$build/release" --target wasm-taskwrap -j"$(nproc)" >/dev/null
tw=$build/release/wasm-taskwrap
cc -O2 -o "$build/timeit" "$here/timeit.c"

# --- npm packages, pinned by package-lock.json ------------------------------------
npmdir=$build/npm
if ! { cmp -s "$here/package.json" "$npmdir/package.json" &&
       cmp -s "$here/package-lock.json" "$npmdir/node_modules/.bench-lock"; }; then
  log "npm ci in $npmdir"
  mkdir -p "$npmdir"
  cp "$here/package.json" "$here/package-lock.json" "$npmdir/"
  (cd "$npmdir" && npm ci --no-audit --no-fund --ignore-scripts >/dev/null)
  cp "$here/package-lock.json" "$npmdir/node_modules/.bench-lock"
fi

# --- modules -------------------------------------------------------------------------
# list: NAME FILE [WIT]
modules=()
for mb in $sizes; do
  f=$work/gen-${mb}MB.wasm
  [ -f "$f" ] || { log "generating $mb MB"; node "$here/gen.mjs" "$mb" "$f" "${f%.wasm}.wit"; }
  modules+=("gen-${mb}MB|$f|${f%.wasm}.wit")
done
if [ "$ruby" = 1 ]; then
  for r in ruby ruby+stdlib ruby.debug+stdlib; do
    f=$work/$r.wasm
    [ -f "$f" ] || node "$here/addhook.mjs" "$npmdir/node_modules/@ruby/3.4-wasm-wasi/dist/$r.wasm" "$f"
    modules+=("npm:$r|$f|")
  done
fi
if [ "$wasi" -gt 0 ]; then
  # the largest programs; each also gets its _start exported as wasi:cli/run's
  # run (a lifted export, so a wrapper is emitted, not just the hook removed)
  while read -r _ src; do
    n=$(basename "$src" .wasm)
    f=$work/wasi-$n.wasm
    [ -f "$f" ] || node "$here/addhook.mjs" "$src" "$f" "_start=wasi:cli/run@0.2.0#run"
    modules+=("wasi:$n|$f|")
  done < <(find "$shared/wasi-testsuite" -name '*.wasm' -printf '%s %p\n' | sort -rn | head -n "$wasi")
fi

# --- measurements ----------------------------------------------------------------------
# raw.tsv: module bytes tool run wall_s rss_kb
raw=$work/raw.tsv
: > "$raw"
# wasm-taskwrap's own footprint: the default rewrite of a 75 KB module (of the
# same world as the generated ones: it also warms up componentNew)
[ -f "$work/tiny.wit" ] || node "$here/gen.mjs" 0.01 "$work/tiny.wasm" "$work/tiny.wit"
for ((i = 1; i <= 5; i++)); do
  read -r wall rss code < <("$build/timeit" "$work/out-tiny.wasm" "$tw" "$work/tiny.wasm" -o "$work/out-tiny.wasm")
  [ "$code" = 0 ] || { log "wasm-taskwrap failed on $work/tiny.wasm"; exit 1; }
  printf 'baseline\t%s\tfast\t%s\t%s\t%s\n' "$(stat -c %s "$work/tiny.wasm")" "$i" "$wall" "$rss" >> "$raw"
done
: > "$work/witc.jsonl"
machine_load_start=$(cut -d' ' -f1-3 /proc/loadavg)
t_start=$(date +%s)
for m in "${modules[@]}"; do
  IFS='|' read -r name file wit <<<"$m"
  bytes=$(stat -c %s "$file")
  r=$runs sr=$slow_runs
  [ -n "$r" ] || { [ "$bytes" -lt 10000000 ] && r=5 || r=3; }
  [ -n "$sr" ] || { [ "$bytes" -lt 32000000 ] && sr=3 || sr=1; }
  log "$name ($bytes bytes): $r runs, $sr slow runs"
  for ((i = 1; i <= (r > sr ? r : sr); i++)); do
    # the tools take turns in every round, so a burst of other load on the
    # machine hits all of them alike
    tools=()
    [ "$i" -le "$r" ] && tools+=(cp dd none fast)
    [ "$i" -le "$sr" ] && tools+=(full wasm-opt)
    for t in "${tools[@]}"; do
      o=$work/out-$t.wasm
      case $t in
        cp) cmd=(cp "$file" "$o") ;;
        # reference: read the whole file into memory, write it, fsync (the
        # I/O that wasm-taskwrap does, without parsing or building anything)
        dd) cmd=(dd "if=$file" "of=$o" bs=256M conv=fsync status=none) ;;
        none|fast|full) cmd=("$tw" --verify "$t" "$file" -o "$o") ;;
        wasm-opt) cmd=(wasm-opt "$file" -o "$o") ;;
      esac
      read -r wall rss code < <("$build/timeit" "$o" "${cmd[@]}" 2>>"$work/stderr.log")
      [ "$code" = 0 ] || { log "$t failed on $file (exit $code), see $work/stderr.log"; exit 1; }
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$bytes" "$t" "$i" "$wall" "$rss" >> "$raw"
    done
  done
  # the three verification levels must write the same bytes
  cmp -s "$work/out-none.wasm" "$work/out-fast.wasm" || { log "none and fast outputs differ on $name"; exit 1; }
  [ "$sr" -lt 1 ] || cmp -s "$work/out-fast.wasm" "$work/out-full.wasm" ||
    { log "fast and full outputs differ on $name"; exit 1; }
  if [ -n "$wit" ] && [ "$sr" -ge 1 ]; then
    j=$(node "$here/witc.mjs" "$npmdir" "$file" "$wit" "$sr" "$work/out-fast.wasm" "$work/tiny.wasm")
    echo "{\"module\":\"$name\",\"bytes\":$bytes,\"rewritten\":$(stat -c %s "$work/out-fast.wasm"),${j#\{}" >> "$work/witc.jsonl"
  fi
done
log "microbenchmark ($calls calls per path)"
node "$here/micro.mjs" "$npmdir" "$tw" "$(command -v wat2wasm)" "$work/micro" "$calls" > "$work/micro.json"
t_end=$(date +%s)

# --- report ------------------------------------------------------------------------------
{
  echo "machine=$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
  echo "kernel=$(uname -sr)"
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "load=$machine_load_start at start, $(cut -d' ' -f1-3 /proc/loadavg) at end (1/5/15 min)"
  echo "duration=$((t_end - t_start)) s"
  echo "taskwrap=$("$tw" --version) ($(git -C "$root" describe --always --dirty 2>/dev/null || echo unknown))"
  echo "cp=$(cp --version | head -1)"
  echo "wasm-opt=$(wasm-opt --version)"
  echo "node=$(node --version)"
  echo "fs=$(df -T "$work" | awk 'NR==2 {print $2}')"
} > "$work/machine.txt"
node "$here/report.mjs" "$work" > "$out"
cat "$out"
log "written to $out"
