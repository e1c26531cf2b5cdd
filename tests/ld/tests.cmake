# ld-wrapper: wasm-taskwrap-ld run by clang as its linker.
# ld-component: wasm-taskwrap-ld as the --wasm-ld-path of wasm-component-ld
# 0.5.30 (run by clang 14 with -fuse-ld); its components run in jco (the
# node_modules of e2e-setup) and wasmtime.
# ld-rust: the same through cargo for wasm32-wasip3 (config.toml rustflags,
# RUSTFLAGS). Tools: tests/tools.cmake.
add_test(NAME ld-wrapper
  COMMAND ${CMAKE_COMMAND} -E env CC=${CMAKE_C_COMPILER}
          ${TW_BASH} ${CMAKE_CURRENT_LIST_DIR}/ld.sh $<TARGET_FILE:wasm-taskwrap-ld> ${TW_CLI}
          ${TW_CLANG} ${TW_WASM_LD} ${CMAKE_CURRENT_LIST_DIR} ${CMAKE_CURRENT_BINARY_DIR}/ld)
set_tests_properties(ld-wrapper PROPERTIES TIMEOUT 300 LABELS ld)

if(NOT DEFINED TW_E2E_DIR)
  message(FATAL_ERROR "tests/ld: TW_E2E_DIR (tests/e2e/tests.cmake) is not set")
endif()
add_test(NAME ld-component
  COMMAND ${CMAKE_COMMAND} -E env
          LDW=$<TARGET_FILE:wasm-taskwrap-ld> TW=${TW_CLI} CLANG=${TW_CLANG} WASM_LD=${TW_WASM_LD}
          CLD=${TW_WASM_COMPONENT_LD} WASM_TOOLS=${TW_WASM_TOOLS} WASMTIME=${TW_WASMTIME}
          NODE=${TW_NODE} JCO_DIR=${TW_E2E_DIR} SRC=${CMAKE_CURRENT_LIST_DIR}
          WORK=${CMAKE_CURRENT_BINARY_DIR}/ld-component
          ${TW_BASH} ${CMAKE_CURRENT_LIST_DIR}/component.sh)
set_tests_properties(ld-component PROPERTIES
  FIXTURES_REQUIRED tw_e2e_npm TIMEOUT 300 LABELS ld)

add_test(NAME ld-rust
  COMMAND ${CMAKE_COMMAND} -E env
          LDW=$<TARGET_FILE:wasm-taskwrap-ld> CARGO=${TW_CARGO} CLD=${TW_WASM_COMPONENT_LD}
          WASM_TOOLS=${TW_WASM_TOOLS} WASMTIME=${TW_WASMTIME} SRC=${CMAKE_CURRENT_LIST_DIR}
          WORK=${CMAKE_CURRENT_BINARY_DIR}/ld-rust
          ${TW_BASH} ${CMAKE_CURRENT_LIST_DIR}/rust.sh)
set_tests_properties(ld-rust PROPERTIES TIMEOUT 300 LABELS ld)
