# docs-man-options: the manual pages in man/ list exactly the options of
# `wasm-taskwrap --help` (and the --verify and --abi values) and the
# TASKWRAP_* variables of src/ld.c; README.md and docs/usage.md show no
# option --help lacks.
# docs-citations: every `docs/<name>.md, "Heading"` (and README) citation in
# the sources names a heading that exists, and every #anchor of a relative
# Markdown link resolves.
# Both run python3 scripts (TW_PYTHON3, tests/tools.cmake) and carry
# self-checks on broken copies.
add_test(NAME docs-man-options
         COMMAND ${CMAKE_COMMAND} -E env PYTHON3=${TW_PYTHON3}
                 ${TW_BASH} ${CMAKE_CURRENT_LIST_DIR}/man-options.sh ${TW_CLI} ${PROJECT_SOURCE_DIR}
                 ${CMAKE_CURRENT_BINARY_DIR}/docs-man-options)
add_test(NAME docs-citations
         COMMAND ${CMAKE_COMMAND} -E env PYTHON3=${TW_PYTHON3}
                 ${TW_BASH} ${CMAKE_CURRENT_LIST_DIR}/citations.sh ${PROJECT_SOURCE_DIR}
                 ${CMAKE_CURRENT_BINARY_DIR}/docs-citations)
set_tests_properties(docs-man-options docs-citations PROPERTIES LABELS docs)
