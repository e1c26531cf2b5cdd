# Differential test of wasm-taskwrap against wit-component (jco 1.35.0 =
# wit-component 0.259.0): random worlds and core modules from seeds
# (tests/diff/diff.mjs says what is generated and checked). jco comes from
# e2e-setup's node_modules (fixture tw_e2e_npm). Tools: tests/tools.cmake.
#
# diff-seeds-*     120 seeds in four parts (run in parallel): the exports
#                  wasm-taskwrap wraps, the hook codes in the rewritten module,
#                  and the traces of both components must equal wit-component's.
#                  The first part also goes through wasm-tools 1.262 and
#                  wasmtime 49 for 3 seeds (reported, never failing).
# diff-oracle      the harness against a reference rewriter that puts
#                  wit-component's own fixup wrappers into the module: no
#                  disagreement may be reported (no false positives).
# diff-sabotage-*  sabotaged rewrites of wasm-taskwrap's output (a hook code
#                  byte changed, a wrapper dropped, an unlifted export wrapped,
#                  the module rewritten without its world) must be caught.

# set by tests/e2e/tests.cmake too, which is included after this file
set(TW_DIFF_JCO_DIR "${CMAKE_CURRENT_BINARY_DIR}/e2e")
set(TW_DIFF_ARGS ${TW_NODE} ${CMAKE_CURRENT_LIST_DIR}/diff.mjs
    --taskwrap ${TW_CLI} --wat2wasm ${TW_WAT2WASM} --jco-dir ${TW_DIFF_JCO_DIR})

set(_diff_parts "1..30" "31..60" "61..90" "91..120")
foreach(range ${_diff_parts})
  string(REPLACE ".." "-" name "${range}")
  set(native)
  if(range STREQUAL "1..30")
    set(native --wasm-tools ${TW_WASM_TOOLS} --wasmtime ${TW_WASMTIME} --native-seeds 3)
  endif()
  add_test(NAME diff-seeds-${name}
    COMMAND ${TW_DIFF_ARGS} --seeds ${range} ${native}
            --work ${CMAKE_CURRENT_BINARY_DIR}/diff/seeds-${name})
  set_tests_properties(diff-seeds-${name} PROPERTIES
    FIXTURES_REQUIRED tw_e2e_npm TIMEOUT 300 LABELS diff)
endforeach()

add_test(NAME diff-oracle
  COMMAND ${TW_DIFF_ARGS} --seeds 1..120 --rewriter oracle
          --work ${CMAKE_CURRENT_BINARY_DIR}/diff/oracle)
set_tests_properties(diff-oracle PROPERTIES FIXTURES_REQUIRED tw_e2e_npm TIMEOUT 300 LABELS diff)

foreach(kind hook-code drop-wrapper extra-wrap by-name)
  add_test(NAME diff-sabotage-${kind}
    COMMAND ${TW_DIFF_ARGS} --seeds 1..25 --sabotage ${kind}
            --work ${CMAKE_CURRENT_BINARY_DIR}/diff/sabotage-${kind})
  set_tests_properties(diff-sabotage-${kind} PROPERTIES
    FIXTURES_REQUIRED tw_e2e_npm TIMEOUT 300 LABELS diff)
endforeach()
