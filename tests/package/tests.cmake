# package-* and friends: the packages cpack makes of the build under test,
# and the sources as a user or a parent project builds them:
#   package-deb     cpack -G DEB: lintian finds no error; unpacked, the tool
#                   rewrites the example as the build's own does; manual
#                   pages, CMake package and pkg-config file are in it; its
#                   Depends covers every library ldd shows (package.sh)
#   package-tgz     cpack -G TGZ: the .deb's files, bar the Debian documents
#   plain-build     `cmake -S . -B build` with no test tools: configure, build
#                   and install work and say which tools are missing; with
#                   -DTW_BUILD_TESTS=ON the configure fails (standalone.sh)
#   subproject-add-subdirectory, subproject-fetchcontent
#                   tests/package/subproject pulls the sources in: no tests,
#                   the targets and taskwrap_post_link work from the parent
# The last three build the sources anew, and the sanitizer build's package
# would only repeat the normal one: registered in the normal build only. The
# packages (and the source package subproject-fetchcontent uses) are there
# only with the install rules (TW_INSTALL).
# cpack runs the build's preinstall target: the tests that read the build
# tree's install rules take turns (RESOURCE_LOCK, also in tests/install).
if(NOT TW_SANITIZE)
  set(TW_PACKAGE_ENV
    CMAKE=${CMAKE_COMMAND} CPACK=${CMAKE_CPACK_COMMAND} CTEST=${CMAKE_CTEST_COMMAND}
    BUILD=${CMAKE_BINARY_DIR} CONFIG=$<CONFIG> SRC=${PROJECT_SOURCE_DIR}
    WORK=${CMAKE_CURRENT_BINARY_DIR}/package-work CLI=$<TARGET_FILE:wasm-taskwrap>
    CC=${CMAKE_C_COMPILER} WAT2WASM=${TW_WAT2WASM} WASM_VALIDATE=${TW_WASM_VALIDATE}
    LINTIAN=${TW_LINTIAN} DPKG=${TW_DPKG} DPKG_DEB=${TW_DPKG_DEB} DPKG_QUERY=${TW_DPKG_QUERY} LDD=${TW_LDD}
    PKG_CONFIG=${TW_PKG_CONFIG} WABT_ARCHIVE=${TW_WABT_ARCHIVE} DOT_TOOLS=${TW_DOT_TOOLS})
  set(tw_standalone_tests plain-build subproject-add-subdirectory)
  if(TW_INSTALL)
    foreach(step deb tgz)
      add_test(NAME package-${step}
        COMMAND ${CMAKE_COMMAND} -E env ${TW_PACKAGE_ENV}
                ${TW_BASH} ${CMAKE_CURRENT_LIST_DIR}/package.sh ${step})
      set_tests_properties(package-${step} PROPERTIES
        TIMEOUT 300 LABELS package RESOURCE_LOCK tw_build_install)
    endforeach()
    set_tests_properties(package-deb PROPERTIES FIXTURES_SETUP tw_package_deb)
    set_tests_properties(package-tgz PROPERTIES FIXTURES_REQUIRED tw_package_deb)
    list(APPEND tw_standalone_tests subproject-fetchcontent)
  endif()
  foreach(step ${tw_standalone_tests})
    add_test(NAME ${step}
      COMMAND ${CMAKE_COMMAND} -E env ${TW_PACKAGE_ENV}
              ${TW_BASH} ${CMAKE_CURRENT_LIST_DIR}/standalone.sh ${step})
    set_tests_properties(${step} PROPERTIES TIMEOUT 300 LABELS package)
  endforeach()
endif()
