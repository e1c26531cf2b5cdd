# Packages of the install tree with CPack (included by the top-level
# CMakeLists.txt when this is the top-level project):
#   cpack -G DEB   wasm-taskwrap_<version>-1_<arch>.deb (Debian and derivatives)
#   cpack -G TGZ   wasm-taskwrap-<version>-<system>.tar.gz
#   cpack -G ZIP   the same as a .zip (the default on Windows)
# `cpack` alone makes the platform's defaults below. Every package holds what
# `cmake --install` installs; the .deb adds the Debian documents and
# compresses the manual pages (cmake/TaskwrapDebian.cmake).
set(TW_PACKAGE_MAINTAINER "wasm-taskwrap maintainers <maintainers@wasm-taskwrap.invalid>"
    CACHE STRING "The Maintainer of the packages: Name <address>")

set(CPACK_PACKAGE_NAME wasm-taskwrap)
set(CPACK_PACKAGE_VENDOR "wasm-taskwrap")
set(CPACK_PACKAGE_CONTACT "${TW_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_PACKAGE_CHECKSUM SHA256)
# Executables stripped in the packages (the static library keeps its symbols).
set(CPACK_STRIP_FILES ON)
# Modes fixed rather than taken from the umask of whoever runs cpack.
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
# The .deb where it can get its Depends right (dpkg-shlibdeps, below).
if(WIN32)
  set(CPACK_GENERATOR ZIP)
else()
  set(CPACK_GENERATOR TGZ)
  find_program(TW_DPKG_SHLIBDEPS dpkg-shlibdeps)
  if(TW_DPKG_SHLIBDEPS)
    list(APPEND CPACK_GENERATOR DEB)
  endif()
endif()
# The source package (cpack --config CPackSourceConfig.cmake): the sources
# without build trees, the pinned test tools or installed npm modules.
set(CPACK_SOURCE_GENERATOR TGZ)
# tw_regex_quote(VAR STRING): STRING as a regular expression matching itself.
function(tw_regex_quote var string)
  string(REGEX REPLACE "([][+.*()^$?|\\])" "\\\\\\1" quoted "${string}")
  set(${var} "${quoted}" PARENT_SCOPE)
endfunction()
tw_regex_quote(tw_src_re "${PROJECT_SOURCE_DIR}")
set(CPACK_SOURCE_IGNORE_FILES "^${tw_src_re}/(build[^/]*|\\.tools)(/|$)"
    "/\\.git/" "/node_modules/" "\\.swp$")
# This build's own tree, when it is inside the sources under another name
# than build*.
cmake_path(IS_PREFIX PROJECT_SOURCE_DIR "${CMAKE_BINARY_DIR}" NORMALIZE tw_bin_inside)
if(tw_bin_inside AND NOT CMAKE_BINARY_DIR STREQUAL PROJECT_SOURCE_DIR)
  tw_regex_quote(tw_bin_re "${CMAKE_BINARY_DIR}")
  list(APPEND CPACK_SOURCE_IGNORE_FILES "^${tw_bin_re}(/|$)")
endif()
# Every CPACK_ variable reaches cpack as set here: the regular expressions
# keep their backslashes.
set(CPACK_VERBATIM_VARIABLES ON)

# ---- Debian -----------------------------------------------------------------
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${TW_PACKAGE_MAINTAINER}")
# The extended description: CPack puts CPACK_PACKAGE_DESCRIPTION_SUMMARY
# before it as the synopsis, and indents it.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "wasm-taskwrap is a post-link rewriter for WASI preview 3 modules: run right
after wasm-ld, it emits the task-init wrappers that wit-component would
otherwise put in an auxiliary core module inside the module itself, and
removes the hook export.
.
This package holds the wasm-taskwrap and wasm-taskwrap-ld commands, the
static C library with its header, a CMake package (find_package(taskwrap))
and a pkg-config file.")
# Depends: the shared libraries the executables link, as dpkg-shlibdeps
# finds them (libc6: the commands carry the C++ runtime inside).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# libtaskwrap.a and taskwrap.pc name libwabt's static archive by its path:
# linking the library needs the package that has it; the commands do not.
# Built-Using (Debian policy, "Additional source packages used to build the
# binary"): the commands and the library hold libwabt's code, so the package
# names the source package of that archive, at the version built with.
if(TW_WITH_WABT AND TW_WABT_ARCHIVE)
  find_program(TW_DPKG_QUERY dpkg-query)
  mark_as_advanced(TW_DPKG_QUERY)
  if(TW_DPKG_QUERY)
    execute_process(COMMAND ${TW_DPKG_QUERY} -S "${TW_WABT_ARCHIVE}"
                    OUTPUT_VARIABLE tw_wabt_owner ERROR_QUIET RESULT_VARIABLE tw_rc)
    if(tw_rc EQUAL 0 AND tw_wabt_owner MATCHES "^([^:,]+)")
      set(tw_wabt_pkg "${CMAKE_MATCH_1}")
      set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "${tw_wabt_pkg}")
      execute_process(COMMAND ${TW_DPKG_QUERY} -W "-f=\${source:Package} (= \${source:Version})"
                              "${tw_wabt_pkg}"
                      OUTPUT_VARIABLE tw_built_using ERROR_QUIET RESULT_VARIABLE tw_rc)
      if(tw_rc EQUAL 0 AND tw_built_using MATCHES "^[a-z0-9][a-z0-9.+-]* \\(= [^)]+\\)$")
        set(TW_DEBIAN_BUILT_USING "${tw_built_using}")
      endif()
    endif()
  endif()
endif()
# CPack has no variable for Built-Using; its control file writes each field
# as "Name: value" and a line of its own after the Recommends value is a
# field of its own. Recommends is always there when Built-Using is.
if(TW_DEBIAN_BUILT_USING)
  string(APPEND CPACK_DEBIAN_PACKAGE_RECOMMENDS "\nBuilt-Using: ${TW_DEBIAN_BUILT_USING}")
endif()
# The Debian documents and the compressed manual pages, after the install
# into the staging directory (the script sees only CPACK_ variables).
set(CPACK_TW_SOURCE_DIR "${PROJECT_SOURCE_DIR}")
set(CPACK_TW_DOCDIR "${TW_INSTALL_DOCDIR}")
set(CPACK_TW_WITH_WABT "${TW_WITH_WABT}")
set(CPACK_TW_MANDIR "${CMAKE_INSTALL_MANDIR}")
set(CPACK_PRE_BUILD_SCRIPTS "${PROJECT_SOURCE_DIR}/cmake/TaskwrapDebian.cmake")

include(CPack)
