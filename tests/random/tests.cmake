# Semantic preservation on a few hundred random modules made by binaryen's
# wasm-opt -ttf at test time (preservation.sh), and proof that this check
# catches a wrong rewrite (selfcheck.sh).
# Tools (TW_BASH, TW_WASM_OPT, TW_WASM_VALIDATE, TW_WASM2WAT, TW_WAT2WASM):
# tests/tools.cmake.
if(TW_WITH_WABT)
  set(TW_RANDOM_VERIFY full)
else()
  set(TW_RANDOM_VERIFY fast)
endif()
set(TW_RANDOM_MODULES 300 CACHE STRING "How many random modules random-preservation checks")
set(TW_RANDOM_ENV WASM_OPT=${TW_WASM_OPT} WASM_VALIDATE=${TW_WASM_VALIDATE}
    WASM2WAT=${TW_WASM2WAT} WAT2WASM=${TW_WAT2WASM} VERIFY=${TW_RANDOM_VERIFY})

# Seeds 1..TW_RANDOM_MODULES (300): every output validates, and each
# export's trace under wasm-opt --fuzz-exec-before is the input's plus
# exactly the hook calls.
add_test(NAME random-preservation
  COMMAND ${CMAKE_COMMAND} -E env ${TW_RANDOM_ENV}
          ${TW_BASH} ${CMAKE_CURRENT_LIST_DIR}/preservation.sh ${TW_CLI}
          ${CMAKE_CURRENT_BINARY_DIR}/random/preservation ${TW_RANDOM_MODULES} 1)
# The same check, with a sabotaged rewriter, must fail for the right reason.
add_test(NAME random-preservation-selfcheck
  COMMAND ${CMAKE_COMMAND} -E env ${TW_RANDOM_ENV}
          ${TW_BASH} ${CMAKE_CURRENT_LIST_DIR}/selfcheck.sh ${TW_CLI}
          ${CMAKE_CURRENT_BINARY_DIR}/random/selfcheck)
