#!/usr/bin/env bash
# Runtime cost of the task-hook wrappers in wasmtime and V8 (see README.md).
#
#   bash bench/runtime/run.sh [--rounds N] [--target-ms MS] [--selfcheck-only]
#                             [--no-v8] [--out FILE]
#
# Builds wasm-taskwrap in Release, installs jco 1.35.0 as pinned by
# tests/e2e/package-lock.json (for the V8 figures), builds the three variants
# of the subject component and the driver, checks them (the self-check: any
# wrong value or hook trace stops the run with exit 1), measures, and writes
# Markdown tables to bench/runtime/results.md (or --out FILE).
#   --rounds          interleaved rounds (a b c a b c ...; default 9)
#   --target-ms       wall time of one run of variant a, from which the calls
#                     per run are chosen (default 400)
#   --selfcheck-only  build and self-check only, then stop (a few seconds)
#   --no-v8           wasmtime only (no npm, no Node.js figures)
# Environment: TW_RT_BUILD (default bench/runtime/build) holds the build, the
# npm packages and the work files; TW_RT_TW a wasm-taskwrap binary to use
# instead of building one; TW_WASM_TOOLS and TW_WASMTIME the tools (default:
# .tools/bin, as tools/test.sh installs them, then PATH).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${TW_RT_BUILD:-$here/build}
export PATH=$root/.tools/bin:$PATH

args=() v8=1 out=$here/results.md selfcheck=0
while [ $# -gt 0 ]; do
  case $1 in
    --rounds|--target-ms) [ $# -ge 2 ] || { echo "run.sh: $1 needs a value" >&2; exit 2; }
                          args+=("$1" "$2"); shift ;;
    --selfcheck-only) args+=("$1"); selfcheck=1 ;;
    --no-v8) v8=0 ;;
    --out) [ $# -ge 2 ] || { echo "run.sh: --out needs a value" >&2; exit 2; }
           out=$2; shift ;;
    *) echo "run.sh: unknown option $1 (see the head of this file)" >&2; exit 2 ;;
  esac
  shift
done
log() { echo "runtime-bench: $*" >&2; }
mkdir -p "$build"

wasm_tools=${TW_WASM_TOOLS:-$(command -v wasm-tools)} || { log "wasm-tools not found (bash tools/test.sh installs it into .tools/bin)"; exit 2; }
wasmtime=${TW_WASMTIME:-$(command -v wasmtime)} || { log "wasmtime not found (bash tools/test.sh installs it into .tools/bin)"; exit 2; }

if [ -n "${TW_RT_TW:-}" ]; then
  tw=$TW_RT_TW
else
  log "building wasm-taskwrap (Release) in $build/release"
  cmake -S "$root" -B "$build/release" -DCMAKE_BUILD_TYPE=Release -DTW_BUILD_TESTS=OFF >/dev/null
  cmake --build "$build/release" --target wasm-taskwrap -j"$(nproc)" >/dev/null
  tw=$build/release/wasm-taskwrap
fi

if [ "$v8" = 1 ] && [ "$selfcheck" = 0 ]; then
  # jco 1.35.0 exactly as the end-to-end tests pin it
  npmdir=$build/npm
  if ! { cmp -s "$root/tests/e2e/package.json" "$npmdir/package.json" &&
         cmp -s "$root/tests/e2e/package-lock.json" "$npmdir/node_modules/.rt-lock"; }; then
    log "npm ci in $npmdir (tests/e2e/package-lock.json)"
    mkdir -p "$npmdir"
    cp "$root/tests/e2e/package.json" "$root/tests/e2e/package-lock.json" "$npmdir/"
    (cd "$npmdir" && npm ci --no-audit --no-fund --ignore-scripts >/dev/null)
    cp "$root/tests/e2e/package-lock.json" "$npmdir/node_modules/.rt-lock"
  fi
  args+=(--jco-dir "$npmdir" --out "$out")
else
  args+=(--no-v8)
  [ "$selfcheck" = 1 ] || args+=(--out "$out")
fi

exec node "$here/bench.mjs" --taskwrap "$tw" --wasm-tools "$wasm_tools" --wasmtime "$wasmtime" \
  --work "$build/work" "${args[@]}"
