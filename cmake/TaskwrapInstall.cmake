# The install rules (included by the top-level CMakeLists.txt when TW_INSTALL
# is on: by default only when wasm-taskwrap is the top-level project):
#   bin/       wasm-taskwrap, wasm-taskwrap-ld
#   lib/       libtaskwrap.a, cmake/taskwrap/ (find_package(taskwrap)),
#              pkgconfig/taskwrap.pc
#   include/   taskwrap.h
#   share/man/man1/  wasm-taskwrap.1, wasm-taskwrap-ld.1
#   share/doc/wasm-taskwrap/  LICENSE and the documents the manual pages name
#              (docs/usage.md, docs/abi.md, docs/output-layout.md)
# Windows (the mingw cross build) installs the same tree, .exe programs in
# bin/: the CMake package and the .pc file serve MinGW and MSYS2 builds that
# link libtaskwrap.a, and the manual pages go along as the documents do.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)
set_target_properties(taskwrap PROPERTIES PUBLIC_HEADER include/taskwrap.h)
install(TARGETS taskwrap wasm-taskwrap wasm-taskwrap-ld EXPORT taskwrapTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        PUBLIC_HEADER DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
set(TW_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/taskwrap)
install(EXPORT taskwrapTargets NAMESPACE taskwrap:: DESTINATION ${TW_CMAKE_DIR})
configure_package_config_file(cmake/taskwrapConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/taskwrapConfig.cmake INSTALL_DESTINATION ${TW_CMAKE_DIR})
# ARCH_INDEPENDENT: the package is used from wasm32 cross builds (to run the
# host tool after wasm-ld), whose pointer size is not the host's.
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/taskwrapConfigVersion.cmake
  COMPATIBILITY SameMinorVersion ARCH_INDEPENDENT)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/taskwrapConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/taskwrapConfigVersion.cmake
              cmake/TaskwrapPostLink.cmake
        DESTINATION ${TW_CMAKE_DIR})
if(TW_WITH_WABT)
  get_target_property(TW_WABT_ARCHIVE wabt::wabt LOCATION)
  set(TW_PC_LIBS "${TW_WABT_ARCHIVE} -lstdc++")
  # In a directory the linker searches anyway (Debian's
  # /usr/lib/<multiarch triplet>) the archive is named without its directory:
  # the .pc file then holds no architecture-specific path, as Debian asks of
  # one in /usr/lib/pkgconfig.
  get_filename_component(tw_wabt_dir "${TW_WABT_ARCHIVE}" DIRECTORY)
  get_filename_component(tw_wabt_name "${TW_WABT_ARCHIVE}" NAME)
  if(tw_wabt_dir IN_LIST CMAKE_C_IMPLICIT_LINK_DIRECTORIES AND NOT APPLE
     AND CMAKE_C_COMPILER_ID MATCHES "GNU|Clang")
    set(TW_PC_LIBS "-l:${tw_wabt_name} -lstdc++")
  endif()
endif()
# A relocatable .pc file: the prefix is found from the file's own place, so
# `cmake --install --prefix` anywhere gives correct paths.
file(RELATIVE_PATH TW_PC_PREFIX_FROM_PCDIR "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
string(REGEX REPLACE "/$" "" TW_PC_PREFIX_FROM_PCDIR "${TW_PC_PREFIX_FROM_PCDIR}")
configure_file(cmake/taskwrap.pc.in ${CMAKE_CURRENT_BINARY_DIR}/taskwrap.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/taskwrap.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
install(FILES man/wasm-taskwrap.1 man/wasm-taskwrap-ld.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
# CMAKE_INSTALL_DOCDIR is share/doc/<the first project that included
# GNUInstallDirs>: a parent's, when this is a subproject, and our LICENSE
# must not land on the parent's.
if(PROJECT_IS_TOP_LEVEL)
  set(TW_INSTALL_DOCDIR "${CMAKE_INSTALL_DOCDIR}")
else()
  set(TW_INSTALL_DOCDIR "${CMAKE_INSTALL_DATAROOTDIR}/doc/${PROJECT_NAME}")
endif()
install(FILES LICENSE docs/usage.md docs/abi.md docs/output-layout.md
        DESTINATION ${TW_INSTALL_DOCDIR})
