# engine: run every fixture that imports "trace" "enter" in Node.js before and
# after wasm-taskwrap, call every export, and compare the traced hook codes and
# function entries with docs/abi.md's wrapper tables (see run.mjs).
# Tools (TW_NODE, TW_WAT2WASM): tests/tools.cmake.

set(TW_ENGINE_RUN ${TW_NODE} ${CMAKE_CURRENT_LIST_DIR}/run.mjs
    --cli ${TW_CLI} --wat2wasm ${TW_WAT2WASM} --fixtures ${PROJECT_SOURCE_DIR}/fixtures)

add_test(NAME engine-fixtures COMMAND ${TW_ENGINE_RUN} --work ${CMAKE_CURRENT_BINARY_DIR}/engine-work)

# Self-tests: corrupt the output on purpose (swap the hook codes / init calls
# inside every wrapper; take the original module as the output). Each passes
# only if every corrupted export is reported as failing.
foreach(mutation swap original)
  add_test(NAME engine-selftest-${mutation}
           COMMAND ${TW_ENGINE_RUN} --mutate ${mutation}
                   --work ${CMAKE_CURRENT_BINARY_DIR}/engine-selftest-${mutation})
endforeach()
