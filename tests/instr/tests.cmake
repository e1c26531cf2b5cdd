# The instruction decoder (src/instr.c).
#   instr-opcodes:    cmocka test of every opcode against a table derived from
#                     the spec (and wabt's opcode.def, when installed).
#   instr-boundaries: the decoder's instruction offsets in every function body
#                     of the corpus built by corpus-build, compared with the
#                     offsets `wasm-objdump -d` prints.
find_package(PkgConfig REQUIRED)
pkg_check_modules(CMOCKA REQUIRED IMPORTED_TARGET cmocka)
# Tools (TW_WASM_OBJDUMP): tests/tools.cmake.

add_executable(instr-opcodes ${CMAKE_CURRENT_LIST_DIR}/test_instr.c)
target_include_directories(instr-opcodes PRIVATE ${PROJECT_SOURCE_DIR}/src
                                                 ${PROJECT_SOURCE_DIR}/tests/unit)
# unit.h declares the unit tests' module builder: link its home.
target_link_libraries(instr-opcodes PRIVATE tw-unit-support)
add_test(NAME instr-opcodes COMMAND instr-opcodes)

add_executable(instr-boundaries ${CMAKE_CURRENT_LIST_DIR}/boundaries.c)
target_include_directories(instr-boundaries PRIVATE ${PROJECT_SOURCE_DIR}/src)
target_link_libraries(instr-boundaries PRIVATE taskwrap)
# tests/corpus/tests.cmake (included before this file) sets TW_CORPUS_DIR.
if(NOT TW_CORPUS_DIR)
  set(TW_CORPUS_DIR ${CMAKE_CURRENT_BINARY_DIR}/corpus)
endif()
add_test(NAME instr-boundaries
  COMMAND instr-boundaries ${TW_WASM_OBJDUMP} ${TW_CORPUS_DIR}/corpus.list)
set_tests_properties(instr-boundaries PROPERTIES FIXTURES_REQUIRED tw_corpus)
