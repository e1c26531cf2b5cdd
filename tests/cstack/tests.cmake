# cstack: a real C program (clang, wasm32-wasi reactor) that implements the
# legacy init-task ABI with its own task stack; run in Node.js before and
# after wasm-taskwrap. See run.sh and run.mjs.
# Tools (TW_BASH, TW_CLANG, TW_WASM_LD, TW_NODE, TW_WASM_VALIDATE): tests/tools.cmake.

add_test(NAME cstack-init-task
  COMMAND ${TW_BASH} ${CMAKE_CURRENT_LIST_DIR}/run.sh
          ${TW_CLI} ${TW_CLANG} ${TW_WASM_LD} ${TW_NODE}
          ${TW_WASM_VALIDATE} ${CMAKE_CURRENT_LIST_DIR}
          ${CMAKE_CURRENT_BINARY_DIR}/cstack-work)
