# hosts: programs rewritten with --stub-wasi (and --init-once) run in
# Node.js with no WASI at all (issue 8): wasi-testsuite programs against
# their JSON expectations (wasi-testsuite-scope.txt says which and why),
# clang-built C programs (c/), and a reactor whose host never calls
# _initialize. Every output is checked with wasm-validate.
find_program(TW_HOSTS_BASH bash REQUIRED)
find_program(TW_HOSTS_NODE node REQUIRED)
find_program(TW_HOSTS_CLANG NAMES clang clang-14 REQUIRED)
find_program(TW_HOSTS_WASM_VALIDATE wasm-validate REQUIRED)
# clang links wasm32 through wasm-ld (lld); say so here rather than at link time.
find_program(TW_HOSTS_WASM_LD NAMES wasm-ld wasm-ld-14 REQUIRED)

set(TW_HOSTS_SRC "${CMAKE_CURRENT_LIST_DIR}")
set(TW_HOSTS_WORK "${CMAKE_CURRENT_BINARY_DIR}/hosts")

add_test(NAME hosts-wasi-testsuite
  COMMAND ${TW_HOSTS_BASH} ${TW_HOSTS_SRC}/wasi-testsuite.sh ${TW_CLI}
          ${TW_HOSTS_NODE} ${TW_HOSTS_WASM_VALIDATE} ${TW_SHARED} ${TW_HOSTS_SRC}
          ${TW_HOSTS_WORK}/wasi-testsuite)
foreach(t clang reactor)
  add_test(NAME hosts-${t}
    COMMAND ${TW_HOSTS_BASH} ${TW_HOSTS_SRC}/${t}.sh ${TW_CLI} ${TW_HOSTS_CLANG}
            ${TW_HOSTS_NODE} ${TW_HOSTS_WASM_VALIDATE} ${TW_HOSTS_SRC}
            ${TW_HOSTS_WORK}/${t})
endforeach()
set_tests_properties(hosts-wasi-testsuite hosts-clang hosts-reactor
  PROPERTIES TIMEOUT 300 LABELS hosts)
