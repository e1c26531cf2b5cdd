# tools-two-commands: the README's two commands in order on a clean clone
# (tools/example.sh, then tools/test.sh finds tests in both builds). One
# Release build of its own: registered in the normal build only.
if(NOT TW_SANITIZE)
  add_test(NAME tools-two-commands
    COMMAND ${TW_BASH} ${CMAKE_CURRENT_LIST_DIR}/two-commands.sh ${PROJECT_SOURCE_DIR}
            ${TW_SHARED} ${CMAKE_CURRENT_BINARY_DIR}/two-commands)
  set_tests_properties(tools-two-commands PROPERTIES TIMEOUT 900 LABELS tools)
endif()

# tools-wasifs-stubs: src/wasifs_stubs.inc is what tools/gen-wasifs-stubs.py
# makes of src/wasifs-stubs.wat (the file stubs' one source).
add_test(NAME tools-wasifs-stubs
  COMMAND ${CMAKE_COMMAND} -E env WAT2WASM=${TW_WAT2WASM}
          ${TW_PYTHON3} ${PROJECT_SOURCE_DIR}/tools/gen-wasifs-stubs.py --check)
