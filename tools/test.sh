#!/usr/bin/env bash
# Build wasm-taskwrap and run every test: once in a normal build, once more
# under AddressSanitizer and UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh
jobs=$(nproc)
for variant in build:OFF build-asan:ON; do
  dir=${variant%%:*} sanitize=${variant##*:}
  echo "== $dir (sanitizers $sanitize)"
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Debug -DTW_SANITIZE="$sanitize" >/dev/null
  cmake --build "$dir" -j"$jobs"
  # halt_on_error: a sanitizer report is a failure, never just output.
  ASAN_OPTIONS=detect_leaks=1:halt_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    ctest --test-dir "$dir" --output-on-failure -j"$jobs"
done
