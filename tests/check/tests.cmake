# check-bitflip: the verifier alone (tw_check, `wasm-taskwrap --check`)
# accepts each mode's correct output and refuses every single-bit
# corruption of it. Tools: tests/tools.cmake.
add_executable(check-bitflip ${CMAKE_CURRENT_LIST_DIR}/bitflip.c)
target_link_libraries(check-bitflip PRIVATE taskwrap)
add_test(NAME check-bitflip
  COMMAND ${CMAKE_COMMAND} -E env WAT2WASM=${TW_WAT2WASM} CLANG=${TW_CLANG}
          ${TW_BASH} ${CMAKE_CURRENT_LIST_DIR}/run.sh $<TARGET_FILE:check-bitflip>
          ${CMAKE_CURRENT_LIST_DIR} ${PROJECT_SOURCE_DIR}/fixtures
          ${CMAKE_CURRENT_BINARY_DIR}/check)
set_tests_properties(check-bitflip PROPERTIES TIMEOUT 900 LABELS check)

# check-refusals: modules copied untouched and modules refused (an
# undecodable world without a hook, shared libraries, the names
# --stub-wasi-output adds), through the command line and wasm-taskwrap-ld.
add_test(NAME check-refusals
  COMMAND ${CMAKE_COMMAND} -E env WAT2WASM=${TW_WAT2WASM} WASM_TOOLS=${TW_WASM_TOOLS} XXD=${TW_XXD}
          ${TW_BASH} ${CMAKE_CURRENT_LIST_DIR}/refusals.sh ${TW_CLI} $<TARGET_FILE:wasm-taskwrap-ld>
          ${PROJECT_SOURCE_DIR}/fixtures ${TW_SHARED} ${CMAKE_CURRENT_BINARY_DIR}/refusals)
set_tests_properties(check-refusals PROPERTIES TIMEOUT 120 LABELS check)
