# consumers: the real consumers of wasm-taskwrap's output. wit-component
# (wasm-tools 1.262 = wit-component 0.262, and jco 1.35.0 = 0.259) makes the
# components following the README's flow, wasmtime 49 runs them; the hook
# logs must equal those of the component wit-component hooks itself.
# See run.mjs and cstack/cstack.mjs.
# Tools (TW_NODE, TW_WASM_TOOLS, TW_WASMTIME, TW_CLANG, TW_WASM_LD):
# tests/tools.cmake. jco comes from e2e-setup's node_modules, in the
# directory tests/e2e/tests.cmake calls TW_E2E_DIR (that file is included
# after this one, so the path is spelled out here).
set(TW_CONSUMERS_WORK "${CMAKE_CURRENT_BINARY_DIR}/consumers")
set(TW_CONSUMERS_JCO_DIR "${CMAKE_CURRENT_BINARY_DIR}/e2e")

foreach(mode wasm-tools jco selfcheck)
  set(extra)
  if(mode STREQUAL "jco")
    set(extra ${TW_CONSUMERS_JCO_DIR})
  endif()
  add_test(NAME consumers-${mode}
    COMMAND ${TW_NODE} ${CMAKE_CURRENT_LIST_DIR}/run.mjs ${mode}
            ${TW_CLI} ${TW_WASM_TOOLS} ${TW_WASMTIME} ${TW_CONSUMERS_WORK}/${mode} ${extra})
  set_tests_properties(consumers-${mode} PROPERTIES TIMEOUT 300 LABELS consumers)
endforeach()
set_tests_properties(consumers-jco PROPERTIES FIXTURES_REQUIRED tw_e2e_npm)

# consumers-cstack: a clang-built reactor whose C hook manages task stacks
# as wasi-libc does, run in wasmtime before and after the rewrite.
add_test(NAME consumers-cstack
  COMMAND ${TW_NODE} ${CMAKE_CURRENT_LIST_DIR}/cstack/cstack.mjs
          ${TW_CLI} ${TW_CLANG} ${TW_WASM_LD} ${TW_WASM_TOOLS} ${TW_WASMTIME}
          ${TW_CONSUMERS_WORK}/cstack)
set_tests_properties(consumers-cstack PROPERTIES TIMEOUT 300 LABELS consumers)
