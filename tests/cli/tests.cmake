find_program(TW_CLI_NODE node REQUIRED)
add_test(NAME cli-contract
         COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/cli-test.sh ${TW_CLI} ${PROJECT_SOURCE_DIR}/fixtures
                 ${CMAKE_CURRENT_BINARY_DIR}/cli-work)
add_test(NAME cli-help COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/help-golden.sh ${TW_CLI})
