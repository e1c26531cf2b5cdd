# hosts: programs rewritten with --stub-wasi (and --init-once) run in
# Node.js with no WASI at all: wasi-testsuite programs against
# their JSON expectations (wasi-testsuite-scope.txt says which and why),
# clang-built C programs (c/), and a reactor whose host never calls
# _initialize. Every output is checked with wasm-validate.
# Tools (TW_BASH, TW_NODE, TW_CLANG, TW_WASM_VALIDATE, and TW_WASM_LD for
# clang's wasm32 links): tests/tools.cmake.

set(TW_HOSTS_SRC "${CMAKE_CURRENT_LIST_DIR}")
set(TW_HOSTS_WORK "${CMAKE_CURRENT_BINARY_DIR}/hosts")

add_test(NAME hosts-wasi-testsuite
  COMMAND ${TW_BASH} ${TW_HOSTS_SRC}/wasi-testsuite.sh ${TW_CLI}
          ${TW_NODE} ${TW_WASM_VALIDATE} ${TW_SHARED} ${TW_HOSTS_SRC}
          ${TW_HOSTS_WORK}/wasi-testsuite)
foreach(t clang reactor)
  add_test(NAME hosts-${t}
    COMMAND ${TW_BASH} ${TW_HOSTS_SRC}/${t}.sh ${TW_CLI} ${TW_CLANG}
            ${TW_NODE} ${TW_WASM_VALIDATE} ${TW_HOSTS_SRC}
            ${TW_HOSTS_WORK}/${t})
endforeach()
set_tests_properties(hosts-wasi-testsuite hosts-clang hosts-reactor
  PROPERTIES TIMEOUT 300 LABELS hosts)
