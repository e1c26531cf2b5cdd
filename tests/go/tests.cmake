# Go's wasip1 reactors on hosts that never call _initialize. A Go 1.26
# program (guest/, -buildmode=c-shared, //go:wasmexport functions using
# strings through linear memory, a map, fmt, time.Now and math/rand) is
# rewritten with --init-once --stub-wasi --stub-wasi-output env:log and run
# with only env.log provided in three hosts: wazero v1.12.0 (host/, no start
# functions, no WASI), Node.js, and the wasmtime CLI (wasmtime/: env.log
# through a preloaded trampoline and a driver module). go-build builds both
# Go programs (build cache in the build tree; modules from the default module
# cache, which tools/install-deps.sh fills from host/go.sum), rewrites the
# guest and makes the sabotaged variants that run.sh expects each host to
# reject. Tools (TW_GO, TW_NODE, TW_WASMTIME, TW_WAT2WASM, TW_WASM_VALIDATE,
# TW_WASM_OBJDUMP, TW_BASH): tests/tools.cmake.

set(TW_GO_SRC "${CMAKE_CURRENT_LIST_DIR}")
set(TW_GO_WORK "${CMAKE_CURRENT_BINARY_DIR}/go")

add_test(NAME go-build
  COMMAND ${TW_BASH} ${TW_GO_SRC}/build.sh ${TW_GO} ${TW_CLI} ${TW_NODE}
          ${TW_WAT2WASM} ${TW_WASM_VALIDATE} ${TW_WASM_OBJDUMP} ${TW_GO_SRC}
          ${TW_GO_WORK}/work ${TW_GO_WORK}/go-cache)
set_tests_properties(go-build PROPERTIES
  FIXTURES_SETUP tw_go TIMEOUT 300 LABELS go)

add_test(NAME go-wazero
  COMMAND ${TW_BASH} ${TW_GO_SRC}/run.sh wazero ${TW_GO_WORK}/work ${TW_GO_SRC})
add_test(NAME go-node
  COMMAND ${TW_BASH} ${TW_GO_SRC}/run.sh node ${TW_GO_WORK}/work ${TW_GO_SRC} ${TW_NODE})
add_test(NAME go-wasmtime
  COMMAND ${TW_BASH} ${TW_GO_SRC}/run.sh wasmtime ${TW_GO_WORK}/work ${TW_GO_SRC} ${TW_WASMTIME})
set_tests_properties(go-wazero go-node go-wasmtime PROPERTIES
  FIXTURES_REQUIRED tw_go TIMEOUT 120 LABELS go)
