# layout-includes: the units of src/ (a name's .c, .h and .cc) include each
# other without a circle; layout-includes-selfcheck: a circle planted in a
# scratch tree is found. (tests/layout/includes.py)
add_test(NAME layout-includes
         COMMAND ${TW_PYTHON3} ${CMAKE_CURRENT_LIST_DIR}/includes.py ${PROJECT_SOURCE_DIR}/src)
add_test(NAME layout-includes-selfcheck
         COMMAND ${TW_PYTHON3} ${CMAKE_CURRENT_LIST_DIR}/includes.py --self-check)
