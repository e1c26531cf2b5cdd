# benchcheck-runtime: the self-check of the runtime benchmark
# (bench/runtime, README.md there) with no measurement: the three variants
# are built, composed with the driver and run once in wasmtime 49 for each
# flag set, and must return the expected values and hook traces; each
# sabotaged variant b (f returns x + 2, a wrapper's finish code changed, no
# wrapper for f) must make the self-check fail. Tools: tests/tools.cmake.
add_test(NAME benchcheck-runtime
  COMMAND ${TW_BASH} ${CMAKE_CURRENT_LIST_DIR}/run.sh ${TW_NODE} ${TW_CLI} ${TW_WASM_TOOLS}
          ${TW_WASMTIME} ${PROJECT_SOURCE_DIR}/bench/runtime ${CMAKE_CURRENT_BINARY_DIR}/benchcheck)
set_tests_properties(benchcheck-runtime PROPERTIES TIMEOUT 300 LABELS benchcheck)
