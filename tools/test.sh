#!/usr/bin/env bash
# Build wasm-taskwrap and run every test: once in a normal build, once more
# under AddressSanitizer and UndefinedBehaviorSanitizer; then the command
# line's tests in a third build with the generic POSIX platform layer
# (-DTW_PORTABLE_POSIX=ON: what macOS and the BSDs get, src/platform.h);
# last the Windows build (cross-built with MinGW-w64, without libwabt), whose
# tests run its programs under wine64 against build/'s (tests/windows).
#   bash tools/test.sh          build and run everything
#   bash tools/test.sh --list   configure the four builds and list their tests
#                               (fails when a build has none)
set -euo pipefail
cd "$(dirname "$0")/.."
list=0
[ "${1:-}" = --list ] && list=1
bash tools/install-deps.sh --tests
jobs=$(nproc)
for variant in build:OFF build-asan:ON; do
  dir=${variant%%:*} sanitize=${variant##*:}
  echo "== $dir (sanitizers $sanitize)"
  # Every option said explicitly: build/ may have been configured before by
  # tools/example.sh, which leaves the tests out. TW_BUILD_TESTS=ON (not the
  # default AUTO) also makes a missing test tool fail the configure, naming
  # it, instead of leaving the tests out.
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Debug -DTW_SANITIZE="$sanitize" -DTW_BUILD_TESTS=ON \
    >/dev/null
  if [ "$list" = 1 ]; then
    ctest --test-dir "$dir" -N --no-tests=error | tail -n 1
    continue
  fi
  cmake --build "$dir" -j"$jobs"
  # halt_on_error: a sanitizer report is a failure, never just output.
  ASAN_OPTIONS=detect_leaks=1:halt_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    ctest --test-dir "$dir" --output-on-failure --no-tests=error -j"$jobs"
done
# The generic POSIX platform layer on Linux: the tests of the files and
# descriptors it handles (cli-input-race's copy-time races hook Linux's
# copy_file_range, so it is not among them), and the check that this build
# really takes the generic path (platform-posix-path).
posix_tests='^(golden-|cli-contract$|cli-files$|cli-descriptors$|platform-posix-path$)'
echo "== build-posix (TW_PORTABLE_POSIX=ON)"
cmake -S . -B build-posix -DCMAKE_BUILD_TYPE=Debug -DTW_SANITIZE=OFF -DTW_PORTABLE_POSIX=ON \
  -DTW_BUILD_TESTS=ON >/dev/null
if [ "$list" = 1 ]; then
  ctest --test-dir build-posix -N --no-tests=error -R "$posix_tests" | tail -n 1
else
  cmake --build build-posix -j"$jobs" --target wasm-taskwrap wasm-taskwrap-ld
  ctest --test-dir build-posix --output-on-failure --no-tests=error -j"$jobs" -R "$posix_tests"
fi
# Windows: the programs cross-built with MinGW-w64 (no libwabt there), run
# under wine64 in a prefix of their own (build-win/wineprefix) and compared
# with build/'s wasm-taskwrap, built above (tests/windows).
echo "== build-win (MinGW-w64, under wine64)"
cmake -S . -B build-win -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-mingw-w64.cmake -DTW_WITH_WABT=OFF \
  -DCMAKE_BUILD_TYPE=Debug -DTW_BUILD_TESTS=ON -DTW_REFERENCE_TOOL="$PWD/build/wasm-taskwrap" >/dev/null
if [ "$list" = 1 ]; then
  ctest --test-dir build-win -N --no-tests=error | tail -n 1
  exit 0
fi
cmake --build build-win -j"$jobs"
ctest --test-dir build-win --output-on-failure --no-tests=error -j"$jobs"
