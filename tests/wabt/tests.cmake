# libwabt behind the library: --verify=full, text input and output (issue 4).
if(TW_WITH_WABT)
  find_package(cmocka CONFIG REQUIRED)
  add_executable(test_wabt ${CMAKE_CURRENT_LIST_DIR}/test_wabt.c)
  target_include_directories(test_wabt PRIVATE ${CMOCKA_INCLUDE_DIR} ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(test_wabt PRIVATE taskwrap ${CMOCKA_LIBRARIES})
  add_test(NAME unit-wabt COMMAND test_wabt)
endif()
