# hosts: programs rewritten with --stub-wasi (and --init-once) run in
# Node.js with no WASI at all: wasi-testsuite programs against
# their JSON expectations (wasi-testsuite-scope.txt says which and why),
# clang-built C programs (c/), and a reactor whose host never calls
# _initialize. Every output is checked with wasm-validate. The
# wasi-testsuite programs, rewritten with their arguments, environment and
# root baked in, run again in the wasmtime CLI with no WASI and in wazero
# with no WASI module (wazero-run, built from wazero/ by hosts-wazero-build).
# Tools (TW_BASH, TW_NODE, TW_CLANG, TW_WASM_VALIDATE, TW_WASMTIME,
# TW_WAT2WASM, TW_GO, and TW_WASM_LD for clang's wasm32 links):
# tests/tools.cmake.

set(TW_HOSTS_SRC "${CMAKE_CURRENT_LIST_DIR}")
set(TW_HOSTS_WORK "${CMAKE_CURRENT_BINARY_DIR}/hosts")

add_test(NAME hosts-wasi-testsuite-rewrite
  COMMAND ${TW_BASH} ${TW_HOSTS_SRC}/wasi-testsuite.sh ${TW_CLI}
          ${TW_NODE} ${TW_WASM_VALIDATE} ${TW_SHARED} ${TW_HOSTS_SRC}
          ${TW_HOSTS_WORK}/wasi-testsuite)
add_test(NAME hosts-wasi-testsuite
  COMMAND ${TW_BASH} ${TW_HOSTS_SRC}/suite-hosts.sh node
          ${TW_HOSTS_WORK}/wasi-testsuite ${TW_HOSTS_SRC} ${TW_SHARED} ${TW_NODE})
foreach(t clang reactor)
  add_test(NAME hosts-${t}
    COMMAND ${TW_BASH} ${TW_HOSTS_SRC}/${t}.sh ${TW_CLI} ${TW_CLANG}
            ${TW_NODE} ${TW_WASM_VALIDATE} ${TW_HOSTS_SRC}
            ${TW_HOSTS_WORK}/${t})
endforeach()
set_tests_properties(hosts-wasi-testsuite-rewrite hosts-wasi-testsuite hosts-clang
  hosts-reactor PROPERTIES TIMEOUT 300 LABELS hosts)
set_tests_properties(hosts-wasi-testsuite-rewrite PROPERTIES FIXTURES_SETUP tw_hosts_suite)
set_tests_properties(hosts-wasi-testsuite PROPERTIES FIXTURES_REQUIRED tw_hosts_suite)

# wazero-run shares go-build's build cache (Go's cache is safe to share).
set(TW_HOSTS_WAZERO "${TW_HOSTS_WORK}/wazero-run")
add_test(NAME hosts-wazero-build
  COMMAND ${TW_BASH} ${TW_HOSTS_SRC}/wazero-build.sh ${TW_GO} ${TW_HOSTS_SRC}
          ${TW_HOSTS_WAZERO} ${CMAKE_CURRENT_BINARY_DIR}/go/go-cache)
set_tests_properties(hosts-wazero-build PROPERTIES
  FIXTURES_SETUP tw_hosts_wazero TIMEOUT 300 LABELS hosts)

add_test(NAME hosts-wasi-testsuite-wasmtime
  COMMAND ${TW_BASH} ${TW_HOSTS_SRC}/suite-hosts.sh wasmtime
          ${TW_HOSTS_WORK}/wasi-testsuite ${TW_HOSTS_SRC} ${TW_SHARED}
          ${TW_WASMTIME} ${TW_NODE} ${TW_WAT2WASM})
set_tests_properties(hosts-wasi-testsuite-wasmtime PROPERTIES
  FIXTURES_REQUIRED tw_hosts_suite TIMEOUT 300 LABELS hosts)
add_test(NAME hosts-wasi-testsuite-wazero
  COMMAND ${TW_BASH} ${TW_HOSTS_SRC}/suite-hosts.sh wazero
          ${TW_HOSTS_WORK}/wasi-testsuite ${TW_HOSTS_SRC} ${TW_SHARED}
          ${TW_HOSTS_WAZERO})
set_tests_properties(hosts-wasi-testsuite-wazero PROPERTIES
  FIXTURES_REQUIRED "tw_hosts_suite;tw_hosts_wazero" TIMEOUT 300 LABELS hosts)

# A C program and a Go program (command and reactor) reading baked-in
# arguments, environment and files (tree/), with their sabotages.
add_test(NAME hosts-c-files
  COMMAND ${TW_BASH} ${TW_HOSTS_SRC}/c-files.sh ${TW_CLI} ${TW_CLANG} ${TW_NODE}
          ${TW_WASM_VALIDATE} ${TW_WASMTIME} ${TW_WAT2WASM} ${TW_HOSTS_WAZERO}
          ${TW_HOSTS_SRC} ${TW_HOSTS_WORK}/c-files)
add_test(NAME hosts-go-files
  COMMAND ${TW_BASH} ${TW_HOSTS_SRC}/gofiles.sh ${TW_GO} ${TW_CLI} ${TW_NODE}
          ${TW_WASM_VALIDATE} ${TW_HOSTS_WAZERO} ${TW_HOSTS_SRC}
          ${TW_HOSTS_WORK}/go-files ${CMAKE_CURRENT_BINARY_DIR}/go/go-cache
          ${TW_WASMTIME})
set_tests_properties(hosts-c-files hosts-go-files PROPERTIES
  FIXTURES_REQUIRED tw_hosts_wazero TIMEOUT 300 LABELS hosts)
