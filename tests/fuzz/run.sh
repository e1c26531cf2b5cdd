#!/usr/bin/env bash
# Build the libFuzzer targets of tests/fuzz/fuzz_rewrite.c with clang and run
# one for a bounded time. See tests/fuzz/README.md.
#
#   run.sh [--time SECONDS] [--runs N] [--full] [--build DIR] [--shared DIR]
#          [--clang PATH] [--wabt-lib PATH] [--max-len N] [-- LIBFUZZER-ARGS...]
#
# --time   stop after this many seconds (default 60)
# --runs   stop after N inputs instead; --runs 0 only replays the corpus
# --full   the target with libwabt and verify full (default: the pure-C one)
# --build  where the binary, seeds, corpus and crash artifacts go
#          (default build-fuzz/ beside this script's repository)
# The corpus in BUILD/corpus-<target> is kept between runs, so a long run
# continues where the last one stopped; delete it to start over.
# env WAT2WASM, XXD: the tools that make the seeds (default: from PATH).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
secs=60 runs='' full=0 build=$repo/build-fuzz shared=$repo/../shared
clang=clang wabt_lib=/usr/lib/x86_64-linux-gnu/libwabt.a max_len=4096
while [ $# -gt 0 ]; do
  case "$1" in
    --time) secs=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --full) full=1; shift ;;
    --build) build=$2; shift 2 ;;
    --shared) shared=$2; shift 2 ;;
    --clang) clang=$2; shift 2 ;;
    --wabt-lib) wabt_lib=$2; shift 2 ;;
    --max-len) max_len=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$build"
build=$(cd "$build" && pwd)
clangxx=${clang/%clang/clang++}

# ---- build -------------------------------------------------------------------
# The library's C sources (not the CLI) are compiled into the fuzzer itself,
# instrumented for coverage and sanitized. The fast target takes
# src/wabt_none.c, so it needs no C++ and spends no time in libwabt; the full
# target takes src/wabt_bridge.cc and links Debian's libwabt.a with clang++
# (libwabt itself is then neither instrumented nor sanitized, only the calls
# into it and the memory it allocates through malloc).
# shellcheck disable=SC2054  # commas inside one flag
flags=(-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
       -fno-omit-frame-pointer -I"$repo/include" -I"$repo/src")
lib_c=()
for f in "$repo"/src/*.c; do
  case "$(basename "$f")" in cli.c | ld.c | wabt_none.c) ;; *) lib_c+=("$f") ;; esac # not the programs
done
if [ "$full" = 1 ]; then
  target=fuzz_rewrite_full
  objs=()
  for f in "${lib_c[@]}" "$here/fuzz_rewrite.c"; do
    o=$build/obj-full/$(basename "$f").o
    mkdir -p "$build/obj-full"
    "$clang" -std=c11 -DTW_FUZZ_FULL "${flags[@]}" -c "$f" -o "$o"
    objs+=("$o")
  done
  "$clangxx" -std=c++17 "${flags[@]}" -c "$repo/src/wabt_bridge.cc" -o "$build/obj-full/wabt_bridge.o"
  "$clangxx" "${flags[@]}" "${objs[@]}" "$build/obj-full/wabt_bridge.o" "$wabt_lib" \
    -o "$build/$target"
else
  target=fuzz_rewrite
  "$clang" -std=c11 "${flags[@]}" "${lib_c[@]}" "$repo/src/wabt_none.c" "$here/fuzz_rewrite.c" \
    -o "$build/$target"
fi

# ---- seeds -----------------------------------------------------------------
# Every seed is an options byte followed by a module (see fuzz_rewrite.c): the
# options a fixture is tested with, the same with keep_hook_export flipped,
# and the same with the host stage (init_once | stub_wasi: 0x30) added.
# Per target: fuzz-rewrite and fuzz-rewrite-full run at the same time.
seeds=$build/seeds-$target scratch=$build/tmp-$target
rm -rf "$seeds"
mkdir -p "$seeds" "$scratch"
nseeds=0
add_seed() { # add_seed MODULE-FILE NAME ARGS
  local sel=0
  case " $3 " in *" --abi task-hook "*) sel=1 ;; *" --abi init-task "*) sel=2 ;; esac
  case " $3 " in *" --keep-hook-export "*) sel=$((sel | 4)) ;; esac
  case " $3 " in *" --init-once "*) sel=$((sel | 16)) ;; esac
  case " $3 " in *" --stub-wasi "*) sel=$((sel | 32)) ;; esac
  for s in $sel $((sel ^ 4)) $((sel | 48)); do
    { printf '%b' "\\x$(printf %02x "$s")"; cat "$1"; } > "$seeds/$2.$s"
    nseeds=$((nseeds + 1))
  done
}
tmp=$scratch/m.wasm
# The fixtures with their WIT worlds embedded (EMBED lines), when the pinned
# wasm-tools is there: seeds that reach the component-type decoder.
wasm_tools=$repo/.tools/bin/wasm-tools
for f in "$repo"/fixtures/*.wat "$shared"/wit-component/*/module.wat; do
  case $f in *.out.wat) continue ;; esac
  args=$(sed -n 's/^;; ARGS: //p' "$f" | head -n 1)
  flags_w=$(sed -n 's/^;; WAT2WASM: //p' "$f" | head -n 1)
  name=$(basename "$(dirname "$f")")-$(basename "$f" .wat)
  # shellcheck disable=SC2086  # a word list by design
  "${WAT2WASM:-wat2wasm}" --enable-all $flags_w "$f" -o "$tmp" || continue
  while read -r wit rest; do
    [ -x "$wasm_tools" ] || break
    # shellcheck disable=SC2086
    "$wasm_tools" component embed "$(dirname "$f")/$wit" $rest "$tmp" -o "$tmp.e" && mv "$tmp.e" "$tmp"
  done < <(sed -n 's/^;; EMBED: //p' "$f")
  add_seed "$tmp" "$name" "$args"
done
for f in "$repo"/fixtures/*.hex; do
  sed 's/#.*//' "$f" | "${XXD:-xxd}" -r -p > "$tmp"
  add_seed "$tmp" "fixtures-$(basename "$f" .hex)" "$(sed -n 's/^# ARGS: //p' "$f" | head -n 1)"
done
# Small generated modules: both ABIs, names, many functions, shared targets.
gen=$scratch/gen
"$clang" -O2 -o "$gen" "$repo/bench/scale/gen.c"
i=0
for shape in "exports 4" "--names exports 6" "--abi init-task --names exports 3" \
             "--abi none exports 3" "--names funcs 40" "shared 5 3"; do
  # shellcheck disable=SC2086
  "$gen" $shape "$tmp" && add_seed "$tmp" "gen-$i" ""
  i=$((i + 1))
done
# The fixtures alone are over a hundred: far fewer means something is broken.
[ "$nseeds" -ge 100 ] || { echo "run.sh: only $nseeds seeds" >&2; exit 1; }

# ---- run ---------------------------------------------------------------------
corpus=$build/corpus-$target artifacts=$build/artifacts-$target
mkdir -p "$corpus" "$artifacts"
limit=(-max_total_time="$secs")
[ -n "$runs" ] && limit=(-runs="$runs")
log=$build/$target.log
echo "run.sh: $target, $nseeds seeds, ${runs:+$runs runs}${runs:-$secs s}; log in $log"
export UBSAN_OPTIONS=print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}
extra=()
sanlogs=$build/sanitizer-logs-$target
rm -rf "$sanlogs"
if [ "$full" = 1 ]; then
  # The library runs libwabt in a forked worker whose stderr is /dev/null, and
  # reports a worker killed by a signal as "libwabt aborted" (libwabt 1.0.32
  # has assertions that fire). So: no libFuzzer handler for SIGABRT, which
  # would turn the worker's abort into a crash report and exit code 77; and
  # sanitizer reports go to files, where the worker's survive too. (The
  # harness traps instead of aborting, so its own failures are still caught.)
  mkdir -p "$sanlogs"
  export ASAN_OPTIONS=log_path=$sanlogs/asan${ASAN_OPTIONS:+:$ASAN_OPTIONS}
  export UBSAN_OPTIONS=log_path=$sanlogs/ubsan:$UBSAN_OPTIONS
  extra=(-handle_abrt=0)
fi
status=0
# -timeout: one input running 10 s is itself a finding (it is reported as a
# crash with its input saved in the artifacts directory).
"$build/$target" "${limit[@]}" -max_len="$max_len" -timeout=10 -dict="$here/wasm.dict" \
  -print_final_stats=1 -artifact_prefix="$artifacts/" "${extra[@]}" "$@" "$corpus" "$seeds" \
  > "$log" 2>&1 || status=$?
if [ -n "$(ls -A "$sanlogs" 2> /dev/null)" ]; then
  cat "$sanlogs"/* >> "$log"
  [ "$status" -ne 0 ] || status=1
fi

# The summary: libFuzzer's last status line and its final statistics.
grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)' "$log" | tail -n 2 || true
grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb|new_units_added)' "$log" || true
if [ "$status" -ne 0 ]; then
  grep -E -A 30 '^==[0-9]+==ERROR|invariant failed|runtime error|deadly signal|timeout' "$log" |
    head -n 60 >&2 || true
  echo "run.sh: $target FAILED (exit $status); the input is in $artifacts/" >&2
  ls -l "$artifacts" >&2
  exit 1
fi
echo "run.sh: $target ok"
