# One golden test per fixture: fixtures/*.wat and fixtures/*.hex.
find_program(TW_WAT2WASM wat2wasm REQUIRED)
find_program(TW_WASM_VALIDATE wasm-validate REQUIRED)
find_program(TW_XXD xxd REQUIRED)
file(GLOB TW_GOLDEN_FIXTURES "${PROJECT_SOURCE_DIR}/fixtures/*.wat" "${PROJECT_SOURCE_DIR}/fixtures/*.hex")
list(FILTER TW_GOLDEN_FIXTURES EXCLUDE REGEX "\\.out\\.(wat|hex)$") # expected outputs
foreach(fixture ${TW_GOLDEN_FIXTURES})
  get_filename_component(name "${fixture}" NAME_WE)
  add_test(NAME golden-${name}
           COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/run-golden.sh ${TW_CLI} ${fixture}
                   ${CMAKE_CURRENT_BINARY_DIR}/golden/${name})
endforeach()
