#!/usr/bin/env bash
# Performance benchmark of wasm-taskwrap (see bench/README.md).
#
#   bash bench/run.sh [--quick | --only-ruby] [--sizes "1 4 16 64 200"] [--runs N]
#                     [--slow-runs N] [--wasi N] [--no-ruby] [--calls N] [--no-micro]
#                     [--out FILE]
#
# Builds wasm-taskwrap in Release, installs the pinned npm packages
# (bench/package-lock.json: jco 1.35.0, @ruby/3.4-wasm-wasi 2.10.1), prepares
# the modules (each gets a __wasm_task_hook first), times every tool on each
# as a whole process, always onto an existing output (a copy of the input
# before the first round, then the tool's own previous output), and prints
# Markdown tables (also written to bench/results.md, or --out FILE).
#   --sizes      generated module sizes in MB (default "1 4 16 64 200"; "" for none)
#   --runs       runs of cp, floor, dd and wasm-taskwrap none/fast/--stub-wasi/
#                --init-once/--check per module (default: 5 below 10 MB, 3 above)
#   --slow-runs  runs of --verify=full, wasm-opt and componentNew (default 3
#                below 32 MB, 1 above: there one run takes 10 s to minutes;
#                0 skips them)
#   --wasi       how many of the largest wasi-testsuite programs (default 2)
#   --no-ruby    skip the three ruby.wasm modules (17, 31, 50 MB)
#   --calls      calls per path in the microbenchmark (default 20000000)
#   --no-micro   skip the microbenchmark
#   --quick      sizes "1 4", runs 3, slow-runs 1, wasi 1, no ruby, 2M calls,
#                out bench/build/results-quick.md: a sanity check of the whole
#                pipeline in well under a minute
#   --only-ruby  the three ruby.wasm modules only: sizes "", wasi 0, no
#                microbenchmark, out bench/build/results-ruby.md (later options
#                still apply: --only-ruby --runs 5 --slow-runs 0 takes about
#                half a minute)
# Environment: TW_BENCH_BUILD (default bench/build) holds the build, the npm
# packages and the modules; TW_SHARED (default ../shared) the shared data;
# TW_BENCH_SRC (default: this checkout) the wasm-taskwrap sources to build,
# e.g. a clean clone while the working tree is mid-change (built into
# $TW_BENCH_BUILD/release-src instead of release); TW_BENCH_TW a wasm-taskwrap
# binary to measure instead of building one.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${TW_BENCH_BUILD:-$here/build}
shared=${TW_SHARED:-$root/../shared}

tw_src=${TW_BENCH_SRC:-$root}
tw_src=$(cd "$tw_src" && pwd)

sizes="1 4 16 64 200" runs="" slow_runs="" wasi=2 ruby=1 calls=20000000 micro=1 out=$here/results.md
while [ $# -gt 0 ]; do
  case $1 in
    --quick) sizes="1 4" runs=3 slow_runs=1 wasi=1 ruby=0 calls=2000000 out=$build/results-quick.md ;;
    --only-ruby) sizes="" wasi=0 ruby=1 micro=0 out=$build/results-ruby.md ;;
    --no-micro) micro=0 ;;
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

# --- build (Release, no tests), the timer and the floor ----------------------------
rel=$build/release
[ "$tw_src" = "$root" ] || rel=$build/release-src
# a build directory configured for other sources is started afresh
if [ -f "$rel/CMakeCache.txt" ] &&
   ! grep -qxF "CMAKE_HOME_DIRECTORY:INTERNAL=$tw_src" "$rel/CMakeCache.txt"; then
  rm -rf "$rel"
fi
if [ -n "${TW_BENCH_TW:-}" ]; then
  tw=$(command -v "$TW_BENCH_TW") || { log "TW_BENCH_TW=$TW_BENCH_TW: not found"; exit 2; }
  log "using $tw (TW_BENCH_TW), nothing built"
else
  log "building wasm-taskwrap (Release) from $tw_src in $rel"
  cmake -S "$tw_src" -B "$rel" -DCMAKE_BUILD_TYPE=Release -DTW_BUILD_TESTS=OFF >/dev/null
  cmake --build "$rel" --target wasm-taskwrap -j"$(nproc)" >/dev/null
  tw=$rel/wasm-taskwrap
fi
cc -O2 -o "$build/timeit" "$here/timeit.c"
cc -O2 -o "$build/floor" "$here/floor.c"
# --check (verify that OUT is the rewrite of IN) is measured when this build has it
if grep -qE -- '(^|[^[:alnum:]-])--check([^[:alnum:]-]|$)' <<< "$("$tw" --help 2>&1)"; then
  has_check=1
else
  has_check=0
  log "this wasm-taskwrap's --help does not mention --check: the --check columns are skipped"
fi

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
[ -n "${sizes// /}" ] || [ "$ruby" = 1 ] || [ "$wasi" -gt 0 ] || { log "no modules selected"; exit 2; }
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
# modules.tsv: module bytes exports_initialize(0/1) wasi_snapshot_preview1_function_imports
# failures.tsv: module tool exit message (--check runs that did not exit 0; not fatal)
raw=$work/raw.tsv
: > "$raw"
: > "$work/modules.tsv"
: > "$work/failures.tsv"
# Every timed run writes onto an existing output, as a rebuild does: before a
# module's first round each output is a copy of the input, later it is the
# tool's own output of the round before. timeit -e refuses to run if the
# output is missing; timeit -s syncs first (untimed), so the existing output
# is on disk and no earlier run's dirty pages are written back during this one.
timeit() { "$build/timeit" -s -e "$1" - "${@:2}"; }
seed() { rm -f "$2"; cp "$1" "$2"; }
# wasm-taskwrap's own footprint: the default rewrite of a 75 KB module (of the
# same world as the generated ones: it also warms up componentNew)
[ -f "$work/tiny.wit" ] || node "$here/gen.mjs" 0.01 "$work/tiny.wasm" "$work/tiny.wit"
seed "$work/tiny.wasm" "$work/out-tiny.wasm"
for ((i = 1; i <= 11; i++)); do
  read -r wall rss code < <(timeit "$work/out-tiny.wasm" "$tw" "$work/tiny.wasm" -o "$work/out-tiny.wasm")
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
  # --init-once needs an _initialize export (gen-* and ruby have one, the
  # wasi-testsuite commands do not); --stub-wasi does its work on the
  # wasi_snapshot_preview1 imports (gen-* has none)
  init=0
  grep -qF -- '-> "_initialize"' <<< "$(wasm-objdump -x -j Export "$file" 2>/dev/null)" && init=1
  nwasi=$(wasm-objdump -x -j Import "$file" 2>/dev/null | grep -c -- '<- wasi_snapshot_preview1\.' || true)
  printf '%s\t%s\t%s\t%s\n' "$name" "$bytes" "$init" "$nwasi" >> "$work/modules.tsv"
  log "$name ($bytes bytes, _initialize: $init, WASI imports: $nwasi): $r runs, $sr slow runs"
  fast_tools=(cp floor dd none fast stub)
  [ "$init" = 1 ] && fast_tools+=(init)
  # the checks come after fast and stub in each round: they check those outputs
  [ "$has_check" = 1 ] && fast_tools+=(check check-stub)
  for t in "${fast_tools[@]}" full wasm-opt; do
    case $t in check*) ;; *) seed "$file" "$work/out-$t.wasm" ;; esac
  done
  for ((i = 1; i <= (r > sr ? r : sr); i++)); do
    # the tools take turns in every round, so a burst of other load on the
    # machine hits all of them alike
    tools=()
    [ "$i" -le "$r" ] && tools+=("${fast_tools[@]}")
    [ "$i" -le "$sr" ] && tools+=(full wasm-opt)
    for t in "${tools[@]}"; do
      o=$work/out-$t.wasm
      case $t in
        cp) cmd=(cp "$file" "$o") ;;
        # what a safe rewriter minimally costs: in-kernel copy to a temporary
        # file beside the output, rename over it (no fsync)
        floor) cmd=("$build/floor" "$file" "$o") ;;
        # reference: read the whole file into memory, write it, fsync (the
        # I/O that wasm-taskwrap does, without parsing or building anything)
        dd) cmd=(dd "if=$file" "of=$o" bs=256M conv=fsync status=none) ;;
        none|fast|full) cmd=("$tw" --verify "$t" "$file" -o "$o") ;;
        stub) cmd=("$tw" --stub-wasi "$file" -o "$o") ;;
        init) cmd=("$tw" --init-once "$file" -o "$o") ;;
        # OUT is the default rewrite (resp. the --stub-wasi one) of this round
        check) o=$work/out-fast.wasm cmd=("$tw" --check "$file" "$o") ;;
        check-stub) o=$work/out-stub.wasm cmd=("$tw" --check --stub-wasi "$file" "$o") ;;
        wasm-opt) cmd=(wasm-opt "$file" -o "$o") ;;
      esac
      read -r wall rss code < <(timeit "$o" "${cmd[@]}" 2>"$work/stderr.last") ||
        { cat "$work/stderr.last" >&2; log "could not time $t on $name"; exit 1; }
      cat "$work/stderr.last" >> "$work/stderr.log"
      if [ "$code" != 0 ]; then
        case $t in
          check*)
            # the verifier is new: a failure is reported, not fatal
            [ "$i" -gt 1 ] || { log "$t failed on $name (exit $code)";
              printf '%s\t%s\t%s\t%s\n' "$name" "$t" "$code" "$(grep -m1 . "$work/stderr.last" | tr '\t|' '  ')" >> "$work/failures.tsv"; }
            continue ;;
          *) log "$t failed on $file (exit $code), see $work/stderr.log"; exit 1 ;;
        esac
      fi
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$bytes" "$t" "$i" "$wall" "$rss" >> "$raw"
    done
  done
  # cp and floor copy; the three verification levels must write the same bytes
  cmp -s "$file" "$work/out-cp.wasm" || { log "cp's output differs from $name"; exit 1; }
  cmp -s "$file" "$work/out-floor.wasm" || { log "floor's output differs from $name"; exit 1; }
  cmp -s "$work/out-none.wasm" "$work/out-fast.wasm" || { log "none and fast outputs differ on $name"; exit 1; }
  [ "$sr" -lt 1 ] || cmp -s "$work/out-fast.wasm" "$work/out-full.wasm" ||
    { log "fast and full outputs differ on $name"; exit 1; }
  # a --check that accepts anything would be cheap: it must refuse the
  # unmodified input (a copy of it) as the rewrite of the input (untimed, once)
  if [ "$has_check" = 1 ] && "$tw" --check "$file" "$work/out-cp.wasm" >/dev/null 2>&1; then
    log "--check accepted the unmodified $name as its own rewrite"
    printf '%s\t%s\t%s\t%s\n' "$name" "check-negative" 0 "--check IN COPY-OF-IN exited 0 (it must refuse it)" >> "$work/failures.tsv"
  fi
  if [ -n "$wit" ] && [ "$sr" -ge 1 ]; then
    j=$(node "$here/witc.mjs" "$npmdir" "$file" "$wit" "$sr" "$work/out-fast.wasm" "$work/tiny.wasm")
    echo "{\"module\":\"$name\",\"bytes\":$bytes,\"rewritten\":$(stat -c %s "$work/out-fast.wasm"),${j#\{}" >> "$work/witc.jsonl"
  fi
done
rm -f "$work/micro.json"
if [ "$micro" = 1 ]; then
  log "microbenchmark ($calls calls per path)"
  node "$here/micro.mjs" "$npmdir" "$tw" "$(command -v wat2wasm)" "$work/micro" "$calls" > "$work/micro.json"
fi
t_end=$(date +%s)

# --- report ------------------------------------------------------------------------------
{
  echo "machine=$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
  echo "kernel=$(uname -sr)"
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "load=$machine_load_start at start, $(cut -d' ' -f1-3 /proc/loadavg) at end (1/5/15 min)"
  echo "duration=$((t_end - t_start)) s"
  if [ -n "${TW_BENCH_TW:-}" ]; then
    echo "taskwrap=$("$tw" --version) ($tw)"
  else
    echo "taskwrap=$("$tw" --version) ($(git -C "$tw_src" describe --always --dirty 2>/dev/null || echo unknown)$([ "$tw_src" = "$root" ] || echo ", built from $tw_src"))"
  fi
  echo "check=$has_check"
  echo "cp=$(cp --version | head -1)"
  echo "wasm-opt=$(wasm-opt --version)"
  echo "node=$(node --version)"
  echo "fs=$(df -T "$work" | awk 'NR==2 {print $2}')"
} > "$work/machine.txt"
node "$here/report.mjs" "$work" > "$out"
cat "$out"
log "written to $out"
