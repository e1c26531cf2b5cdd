# ld-wrapper: wasm-taskwrap-ld run by clang as its linker. Tools:
# tests/tools.cmake.
add_test(NAME ld-wrapper
  COMMAND ${TW_BASH} ${CMAKE_CURRENT_LIST_DIR}/ld.sh $<TARGET_FILE:wasm-taskwrap-ld> ${TW_CLI}
          ${TW_CLANG} ${TW_WASM_LD} ${CMAKE_CURRENT_LIST_DIR} ${CMAKE_CURRENT_BINARY_DIR}/ld)
set_tests_properties(ld-wrapper PROPERTIES TIMEOUT 300 LABELS ld)
