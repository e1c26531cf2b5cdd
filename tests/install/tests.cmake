# install-*: `cmake --install` of this build into a scratch prefix, then the
# installed package used as a project would (see install-test.sh):
#   install-package            file list; C consumer via find_package(taskwrap)
#   install-pkgconfig          the same consumer via pkg-config
#   install-example            examples/wasi-sdk (wasm32-wasi, toolchain file,
#                              taskwrap_post_link) run in Node.js
#   install-post-link-failure  a module the post-link step must refuse
#   (-ninja)                   the same with the Ninja generator
# install-package installs the prefix the others use (fixture tw_install).
# Tools (TW_BASH, TW_NODE, TW_CLANG, TW_WASM_LD, TW_PKG_CONFIG, optional
# TW_NINJA): tests/tools.cmake.

set(TW_INSTALL_ENV
  CMAKE=${CMAKE_COMMAND} BUILD=${CMAKE_BINARY_DIR} CONFIG=$<CONFIG>
  SRC=${PROJECT_SOURCE_DIR} WORK=${CMAKE_CURRENT_BINARY_DIR}/install-work
  SANITIZE=$<BOOL:${TW_SANITIZE}> CC=${CMAKE_C_COMPILER}
  NODE=${TW_NODE} CLANG=${TW_CLANG} WASM_LD=${TW_WASM_LD}
  PKG_CONFIG=${TW_PKG_CONFIG})
set(TW_INSTALL_SCRIPT ${TW_BASH} ${CMAKE_CURRENT_LIST_DIR}/install-test.sh)

add_test(NAME install-package
  COMMAND ${CMAKE_COMMAND} -E env ${TW_INSTALL_ENV} ${TW_INSTALL_SCRIPT} package)
set_tests_properties(install-package PROPERTIES FIXTURES_SETUP tw_install)
add_test(NAME install-pkgconfig
  COMMAND ${CMAKE_COMMAND} -E env ${TW_INSTALL_ENV} ${TW_INSTALL_SCRIPT} pkgconfig)
add_test(NAME install-example
  COMMAND ${CMAKE_COMMAND} -E env ${TW_INSTALL_ENV} ${TW_INSTALL_SCRIPT} example)
add_test(NAME install-post-link-failure
  COMMAND ${CMAKE_COMMAND} -E env ${TW_INSTALL_ENV} "GENERATOR=Unix Makefiles"
          ${TW_INSTALL_SCRIPT} post-link-failure)
set(TW_INSTALL_USERS install-pkgconfig install-example install-post-link-failure)
if(TW_NINJA)
  add_test(NAME install-post-link-failure-ninja
    COMMAND ${CMAKE_COMMAND} -E env ${TW_INSTALL_ENV} GENERATOR=Ninja
            NINJA=${TW_NINJA} ${TW_INSTALL_SCRIPT} post-link-failure)
  list(APPEND TW_INSTALL_USERS install-post-link-failure-ninja)
endif()
set_tests_properties(${TW_INSTALL_USERS} PROPERTIES FIXTURES_REQUIRED tw_install)
