# cstack: a real C program (clang, wasm32-wasi reactor) that implements the
# legacy init-task ABI with its own task stack; run in Node.js before and
# after wasm-taskwrap. See run.sh and run.mjs.
find_program(TW_CSTACK_BASH bash REQUIRED)
find_program(TW_CSTACK_CLANG NAMES clang clang-14 REQUIRED)
find_program(TW_CSTACK_WASM_LD NAMES wasm-ld wasm-ld-14 REQUIRED)
find_program(TW_CSTACK_NODE node REQUIRED)
find_program(TW_CSTACK_WASM_VALIDATE wasm-validate REQUIRED)

add_test(NAME cstack-init-task
  COMMAND ${TW_CSTACK_BASH} ${CMAKE_CURRENT_LIST_DIR}/run.sh
          ${TW_CLI} ${TW_CSTACK_CLANG} ${TW_CSTACK_WASM_LD} ${TW_CSTACK_NODE}
          ${TW_CSTACK_WASM_VALIDATE} ${CMAKE_CURRENT_LIST_DIR}
          ${CMAKE_CURRENT_BINARY_DIR}/cstack-work)
