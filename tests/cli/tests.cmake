# Tools: tests/tools.cmake.
add_test(NAME cli-contract
         COMMAND ${CMAKE_COMMAND} -E env NODE=${TW_NODE} WAT2WASM=${TW_WAT2WASM}
                 ${TW_BASH} ${CMAKE_CURRENT_LIST_DIR}/cli-test.sh ${TW_CLI} ${PROJECT_SOURCE_DIR}/fixtures
                 ${CMAKE_CURRENT_BINARY_DIR}/cli-work)
add_test(NAME cli-help COMMAND ${TW_BASH} ${CMAKE_CURRENT_LIST_DIR}/help-golden.sh ${TW_CLI})
add_test(NAME cli-files
         COMMAND ${CMAKE_COMMAND} -E env CC=${CMAKE_C_COMPILER}
                 ${TW_BASH} ${CMAKE_CURRENT_LIST_DIR}/files.sh ${TW_CLI}
                 ${CMAKE_CURRENT_BINARY_DIR}/files-work)
set_tests_properties(cli-files PROPERTIES TIMEOUT 300)
add_test(NAME cli-input-race
         COMMAND ${TW_BASH} ${CMAKE_CURRENT_LIST_DIR}/input-race.sh ${TW_CLI}
                 ${CMAKE_CURRENT_BINARY_DIR}/input-race-work)
set_tests_properties(cli-input-race PROPERTIES TIMEOUT 300)
add_test(NAME cli-descriptors
         COMMAND ${CMAKE_COMMAND} -E env CC=${CMAKE_C_COMPILER}
                 ${TW_BASH} ${CMAKE_CURRENT_LIST_DIR}/descriptors.sh ${TW_CLI}
                 ${CMAKE_CURRENT_BINARY_DIR}/descriptors-work)
add_test(NAME cli-stub-wasi-data
         COMMAND ${CMAKE_COMMAND} -E env NODE=${TW_NODE} WAT2WASM=${TW_WAT2WASM} CC=${CMAKE_C_COMPILER}
                 ${TW_BASH} ${CMAKE_CURRENT_LIST_DIR}/stub-wasi-data.sh ${TW_CLI}
                 ${CMAKE_CURRENT_BINARY_DIR}/stub-wasi-data-work)
add_test(NAME cli-stub-wasi-files
         COMMAND ${CMAKE_COMMAND} -E env NODE=${TW_NODE} CLANG=${TW_CLANG} WAT2WASM=${TW_WAT2WASM}
                 ${TW_BASH} ${CMAKE_CURRENT_LIST_DIR}/stub-wasi-files.sh ${TW_CLI}
                 ${CMAKE_CURRENT_BINARY_DIR}/stub-wasi-files-work)
add_test(NAME cli-stub-wasi-guest
         COMMAND ${CMAKE_COMMAND} -E env NODE=${TW_NODE} WAT2WASM=${TW_WAT2WASM}
                 ${TW_BASH} ${CMAKE_CURRENT_LIST_DIR}/stub-wasi-guest.sh ${TW_CLI}
                 ${CMAKE_CURRENT_BINARY_DIR}/stub-wasi-guest-work)
