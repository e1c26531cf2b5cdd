#!/usr/bin/env bash
# Build one of the libFuzzer targets of tests/fuzz with clang and run it for a
# bounded time. See tests/fuzz/README.md.
#
#   run.sh [--target NAME] [--time SECONDS] [--runs N] [--full] [--build DIR]
#          [--shared DIR] [--e2e DIR] [--clang PATH] [--wabt-lib PATH]
#          [--max-len N] [-- LIBFUZZER-ARGS...]
#
# --target  rewrite (default), rewrite-full, world, check, instr or options
# --full    the same as --target rewrite-full (libwabt and verify full)
# --time    stop after this many seconds (default 60)
# --runs    stop after N inputs instead; --runs 0 only replays the corpus
# --build   where the binaries, seeds, corpus and crash artifacts go
#           (default build-fuzz/ beside this script's repository)
# --e2e     the e2e directory of a build (tests/e2e/tests.cmake, TW_E2E_DIR):
#           StarlingMonkey's embedding there gives the world target a real
#           section as a seed, when it has been installed
# --max-len the longest input (default: per target, see max_len below)
# The corpus in BUILD/corpus-<target> is kept between runs, so a long run
# continues where the last one stopped; delete it to start over.
# env WAT2WASM, XXD: the tools that make the seeds (default: from PATH).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
secs=60 runs='' target=rewrite build=$repo/build-fuzz shared=$repo/../shared e2e=''
clang=clang wabt_lib=/usr/lib/x86_64-linux-gnu/libwabt.a max_len=''
while [ $# -gt 0 ]; do
  case "$1" in
    --target) target=$2; shift 2 ;;
    --time) secs=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --full) target=rewrite-full; shift ;;
    --build) build=$2; shift 2 ;;
    --shared) shared=$2; shift 2 ;;
    --e2e) e2e=$2; shift 2 ;;
    --clang) clang=$2; shift 2 ;;
    --wabt-lib) wabt_lib=$2; shift 2 ;;
    --max-len) max_len=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
# Per target: the binary's name, the longest input (the world target's seeds
# include StarlingMonkey's 15,937-byte section), the dictionary, and how many
# seeds there are at the least when nothing is broken.
case "$target" in
  rewrite) bin=fuzz_rewrite len=4096 dict=wasm.dict min_seeds=100 ;;
  rewrite-full) bin=fuzz_rewrite_full len=4096 dict=wasm.dict min_seeds=100 ;;
  world) bin=fuzz_world len=20000 dict=world.dict min_seeds=10 ;;
  check) bin=fuzz_check len=16384 dict=wasm.dict min_seeds=100 ;;
  instr) bin=fuzz_instr len=4096 dict=wasm.dict min_seeds=50 ;;
  options) bin=fuzz_options len=512 dict=options.dict min_seeds=8 ;;
  *) echo "run.sh: unknown target $target" >&2; exit 2 ;;
esac
max_len=${max_len:-$len}
mkdir -p "$build"
build=$(cd "$build" && pwd)
clangxx=${clang/%clang/clang++}

# ---- build -------------------------------------------------------------------
# The library's C sources (not the CLI) are compiled into the fuzzers, instrumented
# for coverage and sanitized. The pure-C targets share one set of objects with
# src/wabt_none.c, so they need no C++ and spend no time in libwabt; the full
# target takes src/wabt_bridge.cc and links Debian's libwabt.a with clang++
# (libwabt itself is then neither instrumented nor sanitized, only the calls
# into it and the memory it allocates through malloc). Tests run at the same
# time share the objects: one builds them at a time (flock), and an object is
# only rebuilt when its source or a header is newer.
# shellcheck disable=SC2054  # commas inside one flag
flags=(-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
       -fno-omit-frame-pointer -I"$repo/include" -I"$repo/src")
lib_c=()
for f in "$repo"/src/*.c; do
  # not the programs, nor another system's platform files (src/platform.h)
  case "$(basename "$f")" in cli.c | ld.c | wabt_none.c | *_win32.c) ;; *) lib_c+=("$f") ;; esac
done
exec 9> "$build/build.lock"
flock 9
# compile OBJDIR SOURCE EXTRA-FLAGS...: OBJDIR/SOURCE.o, when out of date.
compile() {
  local o=$1/$(basename "$2").o
  mkdir -p "$1"
  if [ ! -f "$o" ] || [ "$2" -nt "$o" ] ||
    [ -n "$(find "$repo/src" "$repo/include" "$here" -name '*.h' -newer "$o" | head -n 1)" ]; then
    "$clang" -std=c11 "${flags[@]}" "${@:3}" -c "$2" -o "$o"
  fi
  echo "$o"
}
objs=()
if [ "$target" = rewrite-full ]; then
  for f in "${lib_c[@]}" "$here/fuzz_rewrite.c"; do objs+=("$(compile "$build/obj-full" "$f" -DTW_FUZZ_FULL)"); done
  "$clangxx" -std=c++17 "${flags[@]}" -c "$repo/src/wabt_bridge.cc" -o "$build/obj-full/wabt_bridge.o"
  "$clangxx" "${flags[@]}" "${objs[@]}" "$build/obj-full/wabt_bridge.o" "$wabt_lib" -o "$build/$bin"
else
  for f in "${lib_c[@]}" "$repo/src/wabt_none.c" "$here/${bin}.c"; do objs+=("$(compile "$build/obj" "$f")"); done
  "$clang" "${flags[@]}" "${objs[@]}" -o "$build/$bin"
fi
# The seed maker (seeds.c), with the library, plain.
case "$target" in
  world | check | instr)
    if [ ! -f "$build/seeds" ] ||
      [ -n "$(find "$repo/src" "$repo/include" "$here" -newer "$build/seeds" | head -n 1)" ]; then
      "$clang" -std=c11 -O1 -g -I"$repo/include" -I"$repo/src" "${lib_c[@]}" "$repo/src/wabt_none.c" \
        "$here/seeds.c" -o "$build/seeds"
    fi ;;
esac
flock -u 9
exec 9>&-

# ---- seeds -----------------------------------------------------------------
# Every module of the fixtures, the shared wit-component material and
# bench/scale/gen.c is a seed, in the form each target takes:
#   rewrite: an options byte and the module (see select.h): the options a
#     fixture is tested with, the same with keep_hook_export flipped, and the
#     same with the host stage (init_once | stub_wasi: 0x30) added
#   world: the payloads of its component-type sections (seeds.c world)
#   check: each rewrite seed with its rewrite (seeds.c pair)
#   instr: its function bodies (seeds.c bodies)
# options takes words, not modules: a few command lines.
# Per target: the targets may run at the same time.
seeds=$build/seeds-$bin scratch=$build/tmp-$bin
rm -rf "$seeds"
mkdir -p "$seeds" "$scratch"
nseeds=0
count_seeds() { nseeds=$(find "$seeds" -type f | wc -l); }
add_seed() { # add_seed MODULE-FILE NAME ARGS
  local sel=0 s
  case " $3 " in *" --abi task-hook "*) sel=1 ;; *" --abi init-task "*) sel=2 ;; esac
  case " $3 " in *" --keep-hook-export "*) sel=$((sel | 4)) ;; esac
  case " $3 " in *" --init-once "*) sel=$((sel | 16)) ;; esac
  case " $3 " in *" --stub-wasi "*) sel=$((sel | 32)) ;; esac
  case "$target" in
    world) "$build/seeds" world "$1" "$seeds/$2" || [ $? = 3 ] ;;
    instr) "$build/seeds" bodies "$1" "$seeds/$2" || [ $? = 3 ] ;;
    *)
      for s in $sel $((sel ^ 4)) $((sel | 48)); do
        { printf '%b' "\\x$(printf %02x "$s")"; cat "$1"; } > "$seeds/$2.$s"
        if [ "$target" = check ]; then
          "$build/seeds" pair "$seeds/$2.$s" "$seeds/$2.$s.pair" || [ $? = 3 ]
          rm "$seeds/$2.$s"
        fi
      done ;;
  esac
}
tmp=$scratch/m.wasm
if [ "$target" = options ]; then
  i=0
  for line in "--abi task-hook --keep-hook-export" "--abi=init-task --verify full" \
              "--stub-wasi --stub-wasi-output wasi:cli/stdout:write" "--only fixture:* --exclude *#put" \
              "--init-once --strip-debug --fsync" "--verify=none --abi auto" \
              "--stub-wasi-output=host:write --stub-wasi" "--exclude=cabi_post_* --only [async-lift]*" \
              "--keep-hook-export=1" "--abi" "--bogus"; do
    printf '%s' "$line" > "$seeds/line-$i"
    i=$((i + 1))
  done
else
  # The fixtures with their WIT worlds embedded (EMBED lines), when the pinned
  # wasm-tools is there: seeds that reach the component-type decoder.
  wasm_tools=$repo/.tools/bin/wasm-tools
  for f in "$repo"/fixtures/*.wat "$shared"/wit-component/*/module.wat; do
    case $f in *.out.wat) continue ;; esac
    [ -f "$f" ] || continue # (no shared material: the pattern itself)
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
               "--abi none exports 3" "--names funcs 40" "shared 5 3" "wasi 4"; do
    # shellcheck disable=SC2086
    "$gen" $shape "$tmp" && add_seed "$tmp" "gen-$i" ""
    i=$((i + 1))
  done
  # A real world: StarlingMonkey's (componentize-js, installed by e2e-setup).
  starling=$e2e/node_modules/@bytecodealliance/componentize-js/lib/starlingmonkey_embedding.wasm
  if [ "$target" = world ]; then
    if [ -n "$e2e" ] && [ -f "$starling" ]; then
      "$build/seeds" world "$starling" "$seeds/starlingmonkey"
    else
      echo "run.sh: no StarlingMonkey embedding (--e2e, after e2e-setup): its world is not a seed"
    fi
  fi
fi
count_seeds
# Far fewer than usual means something is broken.
[ "$nseeds" -ge "$min_seeds" ] || { echo "run.sh: only $nseeds seeds" >&2; exit 1; }

# ---- run ---------------------------------------------------------------------
corpus=$build/corpus-$bin artifacts=$build/artifacts-$bin
mkdir -p "$corpus" "$artifacts"
limit=(-max_total_time="$secs")
[ -n "$runs" ] && limit=(-runs="$runs")
log=$build/$bin.log
what="$secs s"
[ -z "$runs" ] || what="$runs runs"
echo "run.sh: $bin, $nseeds seeds, $what; log in $log"
export UBSAN_OPTIONS=print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}
extra=()
sanlogs=$build/sanitizer-logs-$bin
rm -rf "$sanlogs"
if [ "$target" = rewrite-full ]; then
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
"$build/$bin" "${limit[@]}" -max_len="$max_len" -timeout=10 -dict="$here/$dict" \
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
  echo "run.sh: $bin FAILED (exit $status); the input is in $artifacts/" >&2
  ls -l "$artifacts" >&2
  exit 1
fi
echo "run.sh: $bin ok"
