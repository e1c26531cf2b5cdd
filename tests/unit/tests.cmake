# cmocka unit tests of the library internals (src/tw_internal.h) and of the
# public API. Needs Debian's libcmocka-dev (found through pkg-config).
find_package(PkgConfig REQUIRED)
pkg_check_modules(CMOCKA REQUIRED IMPORTED_TARGET cmocka)

set(TW_UNITS leb reader classify encode rewrite world)
if(TW_WITH_WABT)
  list(APPEND TW_UNITS wabt host) # --verify=full, text in and out; host stage
endif()
foreach(tw_unit ${TW_UNITS})
  add_executable(unit-${tw_unit} ${CMAKE_CURRENT_LIST_DIR}/test_${tw_unit}.c)
  target_include_directories(unit-${tw_unit} PRIVATE ${PROJECT_SOURCE_DIR}/src
                                                     ${CMAKE_CURRENT_LIST_DIR})
  target_link_libraries(unit-${tw_unit} PRIVATE taskwrap PkgConfig::CMOCKA)
  add_test(NAME unit-${tw_unit} COMMAND unit-${tw_unit})
endforeach()
