# link-*: shared libraries (docs/abi.md, "Shared libraries") rewritten one
# by one and linked by `wasm-tools component link`; --check-link over sets
# of them. Tools: tests/tools.cmake.
add_test(NAME link-component
  COMMAND ${CMAKE_COMMAND} -E env WASM_TOOLS=${TW_WASM_TOOLS}
          ${TW_BASH} ${CMAKE_CURRENT_LIST_DIR}/link.sh ${TW_CLI} ${TW_SHARED}
          ${CMAKE_CURRENT_BINARY_DIR}/link)
set_tests_properties(link-component PROPERTIES TIMEOUT 120 LABELS link)
