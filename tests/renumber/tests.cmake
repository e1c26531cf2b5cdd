# Function-index renumbering of --stub-wasi: a fake WASI import is
# put in front of every spec-testsuite module and of a hand-written fixture,
# and the output is compared with the original as text (corpus.mjs); tables
# with initialisers and name subsection 3 byte by byte (binary.mjs); DWARF
# warnings and --strip-debug (dwarf.sh); selfcheck.sh proves each check fails
# on a sabotaged rewriter.
# Tools (TW_NODE, TW_BASH, TW_WAT2WASM, TW_WASM2WAT, TW_WASM_VALIDATE,
# TW_WASM_OBJDUMP, TW_CLANG): tests/tools.cmake.
if(TW_WITH_WABT)
  set(TW_RENUMBER_VERIFY full)
else()
  set(TW_RENUMBER_VERIFY fast)
endif()
# tests/corpus/tests.cmake (included before this file) sets TW_CORPUS_DIR.
if(NOT DEFINED TW_CORPUS_DIR)
  set(TW_CORPUS_DIR ${CMAKE_CURRENT_BINARY_DIR}/corpus)
endif()
set(TW_RENUMBER_DIR ${CMAKE_CURRENT_BINARY_DIR}/renumber)
set(TW_RENUMBER_ENV WAT2WASM=${TW_WAT2WASM} WASM2WAT=${TW_WASM2WAT}
    WASM_VALIDATE=${TW_WASM_VALIDATE} WASM_OBJDUMP=${TW_WASM_OBJDUMP}
    CLANG=${TW_CLANG} NODE=${TW_NODE})
# Which groups of corpus.list: the spec and proposal modules (2,754);
# "^(spec.*|proposal-.*)$" adds spec-leb5-names (4,466, twice the time).
set(TW_RENUMBER_GROUPS "^(spec|proposal-.*)$" CACHE STRING "corpus.list groups renumber-corpus checks")
# A sanitized wasm-taskwrap takes ~35 ms a run instead of ~6: every 4th
# module there (689), to stay within a few minutes.
if(TW_SANITIZE)
  set(TW_RENUMBER_SAMPLE 4)
  set(TW_RENUMBER_MIN 500)
else()
  set(TW_RENUMBER_SAMPLE 1)
  set(TW_RENUMBER_MIN 2000)
endif()

# Every spec and proposal module wabt can print and re-assemble.
add_test(NAME renumber-corpus
  COMMAND ${CMAKE_COMMAND} -E env ${TW_RENUMBER_ENV}
          ${TW_NODE} ${CMAKE_CURRENT_LIST_DIR}/corpus.mjs --cli ${TW_CLI}
          --verify ${TW_RENUMBER_VERIFY} --jobs 4 --groups ${TW_RENUMBER_GROUPS}
          --sample ${TW_RENUMBER_SAMPLE} --min-checked ${TW_RENUMBER_MIN}
          --work ${TW_RENUMBER_DIR}/corpus --list ${TW_CORPUS_DIR}/corpus.list)
set_tests_properties(renumber-corpus PROPERTIES FIXTURES_REQUIRED tw_corpus TIMEOUT 900)
# The hand-written fixture: the 8 element segment forms, ref.func in global
# initialisers, start, return_call, name subsections 1 and 2.
add_test(NAME renumber-fixture
  COMMAND ${CMAKE_COMMAND} -E env ${TW_RENUMBER_ENV}
          ${TW_NODE} ${CMAKE_CURRENT_LIST_DIR}/corpus.mjs --cli ${TW_CLI}
          --verify ${TW_RENUMBER_VERIFY} --work ${TW_RENUMBER_DIR}/fixture
          ${CMAKE_CURRENT_LIST_DIR}/fixture.wat)
# Table initialisers and name subsections 0-3 and 7 (libwabt cannot read
# table initialisers, so the default fast verification).
add_test(NAME renumber-binary
  COMMAND ${TW_NODE} ${CMAKE_CURRENT_LIST_DIR}/binary.mjs ${TW_CLI} ${TW_RENUMBER_DIR}/binary)
add_test(NAME renumber-dwarf
  COMMAND ${CMAKE_COMMAND} -E env ${TW_RENUMBER_ENV}
          ${TW_BASH} ${CMAKE_CURRENT_LIST_DIR}/dwarf.sh ${TW_CLI} ${TW_RENUMBER_DIR}/dwarf
          ${TW_RENUMBER_VERIFY})
add_test(NAME renumber-selfcheck
  COMMAND ${CMAKE_COMMAND} -E env ${TW_RENUMBER_ENV}
          ${TW_BASH} ${CMAKE_CURRENT_LIST_DIR}/selfcheck.sh ${TW_CLI} ${TW_RENUMBER_DIR}/selfcheck)
# WASI imports among other imports, referenced from everywhere: a
# hand-written expected output.
add_test(NAME renumber-referenced
  COMMAND ${CMAKE_COMMAND} -E env ${TW_RENUMBER_ENV}
          ${TW_BASH} ${CMAKE_CURRENT_LIST_DIR}/referenced.sh ${TW_CLI}
          ${TW_RENUMBER_DIR}/referenced ${TW_RENUMBER_VERIFY})
