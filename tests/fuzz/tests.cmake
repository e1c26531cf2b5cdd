# Fuzzing. tests/fuzz/run.sh builds the libFuzzer targets of tests/fuzz with
# clang straight from src/ (instrumented for coverage, with ASan and UBSan),
# whatever compiler this build uses, then fuzzes for a bounded time. Needs
# clang with libFuzzer (Debian: clang-14 and libclang-rt-14-dev), wat2wasm
# and xxd for the seeds. See README.md there.
# Tools (TW_CLANG, TW_WAT2WASM, TW_XXD, TW_BASH): tests/tools.cmake;
# TW_E2E_DIR (StarlingMonkey's world, a seed when e2e-setup has run): tests/e2e.
set(TW_FUZZ_RUN ${CMAKE_COMMAND} -E env WAT2WASM=${TW_WAT2WASM} XXD=${TW_XXD}
                ${TW_BASH} ${CMAKE_CURRENT_LIST_DIR}/run.sh --build ${CMAKE_CURRENT_BINARY_DIR}/fuzz
                --shared ${TW_SHARED} --clang ${TW_CLANG} --e2e "${TW_E2E_DIR}")
# The targets besides fuzz-rewrite, and their seconds in the plain build:
# the world decoder, the verifier on (input, output) pairs, the instruction
# decoder and the option parser of TASKWRAP_FLAGS.
set(TW_FUZZ_TARGETS world:30 check:30 instr:15 options:15)
if(TW_SANITIZE)
  # This build already runs everything under ASan and UBSan, and a fuzz run
  # is sanitized whatever the build: fuzz once, in the plain build. Here only
  # replay the seeds (every fixture, the bad-* regressions among them) and
  # the kept corpus through the invariants, once each.
  add_test(NAME fuzz-rewrite-replay COMMAND ${TW_FUZZ_RUN} --runs 0)
  set(TW_FUZZ_TESTS fuzz-rewrite-replay)
else()
  add_test(NAME fuzz-rewrite COMMAND ${TW_FUZZ_RUN} --time 60)
  set(TW_FUZZ_TESTS fuzz-rewrite)
  if(TW_WITH_WABT)
    # verify full through libwabt: slower per input, so a shorter run.
    get_target_property(TW_FUZZ_WABT_LIB wabt::wabt LOCATION)
    add_test(NAME fuzz-rewrite-full
             COMMAND ${TW_FUZZ_RUN} --full --time 30 --wabt-lib ${TW_FUZZ_WABT_LIB})
    list(APPEND TW_FUZZ_TESTS fuzz-rewrite-full)
  endif()
endif()
foreach(tw_fuzz ${TW_FUZZ_TARGETS})
  string(REPLACE ":" ";" tw_fuzz "${tw_fuzz}")
  list(GET tw_fuzz 0 tw_fuzz_target)
  list(GET tw_fuzz 1 tw_fuzz_seconds)
  if(TW_SANITIZE)
    add_test(NAME fuzz-${tw_fuzz_target}-replay COMMAND ${TW_FUZZ_RUN} --target ${tw_fuzz_target} --runs 0)
    list(APPEND TW_FUZZ_TESTS fuzz-${tw_fuzz_target}-replay)
  else()
    add_test(NAME fuzz-${tw_fuzz_target}
             COMMAND ${TW_FUZZ_RUN} --target ${tw_fuzz_target} --time ${tw_fuzz_seconds})
    list(APPEND TW_FUZZ_TESTS fuzz-${tw_fuzz_target})
  endif()
endforeach()
set_tests_properties(${TW_FUZZ_TESTS} PROPERTIES TIMEOUT 600 LABELS fuzz)
