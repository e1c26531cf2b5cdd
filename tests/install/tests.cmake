# install-*: `cmake --install` of this build into a scratch prefix, then the
# installed package used as a project would (see install-test.sh):
#   install-package            file list; C consumer via find_package(taskwrap)
#   install-pkgconfig          the same consumer via pkg-config
#   install-example            examples/wasi-sdk (wasm32-wasi, toolchain file,
#                              taskwrap_post_link) run in Node.js
#   install-post-link-failure  a module the post-link step must refuse
#   install-linker-wrapper     tests/install/linker-wrapper: taskwrap_use_linker_wrapper
#                              with wasm-component-ld (a component, a core module)
#   (-ninja)                   the last two with the Ninja generator
# install-package installs the prefix the others use (fixture tw_install).
# Tools (TW_BASH, TW_NODE, TW_CLANG, TW_WASM_LD, TW_PKG_CONFIG,
# TW_WASM_COMPONENT_LD, TW_WASM_TOOLS, TW_WASMTIME, optional TW_NINJA):
# tests/tools.cmake.

# Only with the install rules (TW_INSTALL: by default on at the top level).
if(NOT TW_INSTALL)
  return()
endif()
set(TW_INSTALL_ENV
  CMAKE=${CMAKE_COMMAND} BUILD=${CMAKE_BINARY_DIR} CONFIG=$<CONFIG>
  SRC=${PROJECT_SOURCE_DIR} WORK=${CMAKE_CURRENT_BINARY_DIR}/install-work
  SANITIZE=$<BOOL:${TW_SANITIZE}> CC=${CMAKE_C_COMPILER}
  NODE=${TW_NODE} CLANG=${TW_CLANG} WASM_LD=${TW_WASM_LD}
  PKG_CONFIG=${TW_PKG_CONFIG} CLD=${TW_WASM_COMPONENT_LD} WASM_TOOLS=${TW_WASM_TOOLS}
  WASMTIME=${TW_WASMTIME})
set(TW_INSTALL_SCRIPT ${TW_BASH} ${CMAKE_CURRENT_LIST_DIR}/install-test.sh)

add_test(NAME install-package
  COMMAND ${CMAKE_COMMAND} -E env ${TW_INSTALL_ENV} ${TW_INSTALL_SCRIPT} package)
# RESOURCE_LOCK: package-deb and package-tgz (tests/package) read the same
# install rules, through cpack, which also runs the build's preinstall target.
set_tests_properties(install-package PROPERTIES FIXTURES_SETUP tw_install
  RESOURCE_LOCK tw_build_install)
add_test(NAME install-pkgconfig
  COMMAND ${CMAKE_COMMAND} -E env ${TW_INSTALL_ENV} ${TW_INSTALL_SCRIPT} pkgconfig)
add_test(NAME install-example
  COMMAND ${CMAKE_COMMAND} -E env ${TW_INSTALL_ENV} ${TW_INSTALL_SCRIPT} example)
add_test(NAME install-post-link-failure
  COMMAND ${CMAKE_COMMAND} -E env ${TW_INSTALL_ENV} "GENERATOR=Unix Makefiles"
          ${TW_INSTALL_SCRIPT} post-link-failure)
add_test(NAME install-linker-wrapper
  COMMAND ${CMAKE_COMMAND} -E env ${TW_INSTALL_ENV} "GENERATOR=Unix Makefiles"
          ${TW_INSTALL_SCRIPT} linker-wrapper)
set(TW_INSTALL_USERS install-pkgconfig install-example install-post-link-failure install-linker-wrapper)
if(TW_NINJA)
  foreach(step post-link-failure linker-wrapper)
    add_test(NAME install-${step}-ninja
      COMMAND ${CMAKE_COMMAND} -E env ${TW_INSTALL_ENV} GENERATOR=Ninja
              NINJA=${TW_NINJA} ${TW_INSTALL_SCRIPT} ${step})
    list(APPEND TW_INSTALL_USERS install-${step}-ninja)
  endforeach()
endif()
set_tests_properties(${TW_INSTALL_USERS} PROPERTIES FIXTURES_REQUIRED tw_install)
