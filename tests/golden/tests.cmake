# One golden test per fixture: fixtures/*.wat and fixtures/*.hex.
# Tools (TW_WAT2WASM, TW_WASM_VALIDATE, TW_XXD, TW_WASM_TOOLS, TW_BASH): tests/tools.cmake.
file(GLOB TW_GOLDEN_FIXTURES "${PROJECT_SOURCE_DIR}/fixtures/*.wat" "${PROJECT_SOURCE_DIR}/fixtures/*.hex")
list(FILTER TW_GOLDEN_FIXTURES EXCLUDE REGEX "\\.out\\.(wat|hex)$") # expected outputs
foreach(fixture ${TW_GOLDEN_FIXTURES})
  get_filename_component(name "${fixture}" NAME_WE)
  add_test(NAME golden-${name}
           COMMAND ${CMAKE_COMMAND} -E env WAT2WASM=${TW_WAT2WASM} WASM_VALIDATE=${TW_WASM_VALIDATE}
                   XXD=${TW_XXD} WASM_TOOLS=${TW_WASM_TOOLS} ${TW_BASH} ${CMAKE_CURRENT_LIST_DIR}/run-golden.sh ${TW_CLI} ${fixture}
                   ${CMAKE_CURRENT_BINARY_DIR}/golden/${name})
endforeach()
