#!/usr/bin/env bash
# Build wasm-taskwrap and run it on the bundled example module
# (fixtures/example.wat): print the plan, write build/example.out.wasm and
# show the wrappers it now contains.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DTW_BUILD_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
wat2wasm --debug-names fixtures/example.wat -o build/example.wasm
echo "== plan"
build/wasm-taskwrap build/example.wasm -o build/example.out.wasm --plan
wasm-validate build/example.out.wasm
echo "== wrote build/example.out.wasm ($(stat -c %s build/example.out.wasm) bytes, from $(stat -c %s build/example.wasm)); its wrappers:"
# Each wrapper whole: from its `(func $taskwrap:` line to the next field of
# the module (wasm2wat indents fields by two spaces, bodies by four).
wasm2wat build/example.out.wasm | awk '/^  \(func \$taskwrap:/ { p = 1; print; next } /^  \(/ { p = 0 } p'
