# cmocka unit tests of the library internals (src/) and of the public API.
# Needs Debian's libcmocka-dev (found through pkg-config).
find_package(PkgConfig REQUIRED)
pkg_check_modules(CMOCKA REQUIRED IMPORTED_TARGET cmocka)

# What the units share: the module builder (builder.c) and the public-API
# tests' modules and checks (fixture.c).
add_library(tw-unit-support STATIC ${CMAKE_CURRENT_LIST_DIR}/builder.c
                                   ${CMAKE_CURRENT_LIST_DIR}/fixture.c)
target_include_directories(tw-unit-support PUBLIC ${PROJECT_SOURCE_DIR}/src
                                                  ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(tw-unit-support PUBLIC taskwrap PkgConfig::CMOCKA)

set(TW_UNITS leb reader classify encode rewrite verify guards abi world independence glob dylink wasifs)
if(TW_WITH_WABT)
  list(APPEND TW_UNITS wabt host) # --verify=full, text in and out; host stage
endif()
foreach(tw_unit ${TW_UNITS})
  add_executable(unit-${tw_unit} ${CMAKE_CURRENT_LIST_DIR}/test_${tw_unit}.c)
  target_link_libraries(unit-${tw_unit} PRIVATE tw-unit-support)
  add_test(NAME unit-${tw_unit} COMMAND unit-${tw_unit})
endforeach()
