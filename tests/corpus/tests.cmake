# Byte-exact round trip over a corpus built at test time: the valid modules
# of the spec testsuite (via wast2json), the wasi-testsuite programs, and C
# programs built for wasm32-wasi with -g (see build-corpus.sh).
# Tools (TW_BASH, TW_WAST2JSON, TW_WASM_VALIDATE, TW_CLANG): tests/tools.cmake.

# The driver uses only the public header; with TW_SANITIZE it gets the
# sanitizer flags from the global compile and link options.
add_executable(tw_corpus_roundtrip ${CMAKE_CURRENT_LIST_DIR}/roundtrip.c)
target_link_libraries(tw_corpus_roundtrip PRIVATE taskwrap)
target_include_directories(tw_corpus_roundtrip PRIVATE ${PROJECT_SOURCE_DIR}/tests/common)

set(TW_CORPUS_DIR ${CMAKE_CURRENT_BINARY_DIR}/corpus)

add_test(NAME corpus-build
  COMMAND ${CMAKE_COMMAND} -E env TW_SHARED=${TW_SHARED} WAST2JSON=${TW_WAST2JSON}
          CLANG=${TW_CLANG}
          ${TW_BASH} ${CMAKE_CURRENT_LIST_DIR}/build-corpus.sh ${TW_CORPUS_DIR})
set_tests_properties(corpus-build PROPERTIES FIXTURES_SETUP tw_corpus)

# Every in-scope module: byte-identical (hooked.c: rewritten, then a no-op).
add_test(NAME corpus-roundtrip
  COMMAND tw_corpus_roundtrip ${TW_CORPUS_DIR}/corpus.list)
# The same with --verify=full: libwabt validates every output it can read.
if(TW_WITH_WABT)
  add_test(NAME corpus-verify-full
    COMMAND tw_corpus_roundtrip --verify-full ${TW_CORPUS_DIR}/corpus.list)
  set_tests_properties(corpus-verify-full PROPERTIES FIXTURES_REQUIRED tw_corpus)
endif()
# The excluded pre-standard binaries: identical, or refused cleanly.
add_test(NAME corpus-roundtrip-excluded
  COMMAND tw_corpus_roundtrip --allow-reject ${TW_CORPUS_DIR}/excluded.list)
# The CLI's outputs for the wasi-testsuite and C programs pass wasm-validate.
add_test(NAME corpus-wasm-validate
  COMMAND ${CMAKE_COMMAND} -E env WASM_VALIDATE=${TW_WASM_VALIDATE}
          ${TW_BASH} ${CMAKE_CURRENT_LIST_DIR}/validate-outputs.sh ${TW_CLI} ${TW_CORPUS_DIR})
set_tests_properties(corpus-roundtrip corpus-roundtrip-excluded corpus-wasm-validate
  PROPERTIES FIXTURES_REQUIRED tw_corpus)
