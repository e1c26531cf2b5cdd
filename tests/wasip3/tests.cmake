# wasip3: modules shaped as current toolchains emit them (LLVM's wasip3 ABI
# libcalls, passive TLS, extended-const, 5-byte call_indirect table indices,
# target_features, a wasi-libc-like __wasm_task_hook), rewritten, checked
# byte by byte, componentized by wasm-tools 1.262 and run in wasmtime 49
# next to wit-component's own hooking. See run.sh.
# Tools (TW_BASH, TW_WASM_TOOLS, TW_WASMTIME, TW_WAT2WASM, TW_WASM_VALIDATE,
# TW_NODE, TW_XXD, TW_CLANG, TW_WASM_LD): tests/tools.cmake.
add_test(NAME wasip3-modules
  COMMAND ${TW_BASH} ${CMAKE_CURRENT_LIST_DIR}/run.sh ${TW_CLI} ${TW_WASM_TOOLS}
          ${TW_WASMTIME} ${TW_WAT2WASM} ${TW_WASM_VALIDATE} ${TW_NODE} ${TW_XXD}
          ${TW_CLANG} ${TW_WASM_LD}
          ${CMAKE_CURRENT_LIST_DIR} ${PROJECT_SOURCE_DIR}/fixtures
          ${CMAKE_CURRENT_BINARY_DIR}/wasip3)
set_tests_properties(wasip3-modules PROPERTIES TIMEOUT 300 LABELS wasip3)
