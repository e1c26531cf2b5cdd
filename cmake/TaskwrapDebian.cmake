# CPack pre-build script (CPACK_PRE_BUILD_SCRIPTS, cmake/TaskwrapPackaging.cmake):
# for the DEB generator only, turn the staged install tree into what Debian
# policy asks of a binary package, which `cmake --install` should not do:
#   usr/share/doc/wasm-taskwrap/copyright          (cmake/debian/copyright,
#                                                   instead of LICENSE)
#   usr/share/doc/wasm-taskwrap/changelog.Debian.gz
#   usr/share/doc/wasm-taskwrap/*.md.gz            (the documents over 4 kB,
#                                                   gzip -9n)
#   usr/share/man/man1/*.1.gz                      (gzip -9n, no time stamp)
# with their modes set (0644), whatever the umask and the checkout's modes.
# Every other generator gets the install tree as it is.
if(NOT CPACK_GENERATOR STREQUAL "DEB")
  return()
endif()
set(root "${CPACK_TEMPORARY_INSTALL_DIRECTORY}${CPACK_PACKAGING_INSTALL_PREFIX}")
set(doc "${root}/${CPACK_TW_DOCDIR}")
if(NOT EXISTS "${doc}/LICENSE")
  message(FATAL_ERROR "TaskwrapDebian.cmake: no ${doc}/LICENSE in the staged tree")
endif()
# Modes set here, not taken from the checkout (configure_file) or the umask
# (file(WRITE); gzip keeps its input's mode): 0644 for every file written.
set(mode_0644 OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
find_program(gzip gzip REQUIRED)
# gzip -9n: what dh_compress does; -n keeps the name and time out, so the
# same tree gives the same bytes.
function(tw_gzip file)
  execute_process(COMMAND "${gzip}" -9nf "${file}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "TaskwrapDebian.cmake: gzip ${file} failed")
  endif()
  file(CHMOD "${file}.gz" PERMISSIONS ${mode_0644})
endfunction()

file(REMOVE "${doc}/LICENSE")
# The copyright file (DEP-5, its Files: the source tree's) names libwabt only
# when the commands link it.
set(TW_COPYRIGHT_WABT "")
if(CPACK_TW_WITH_WABT)
  set(TW_COPYRIGHT_WABT "Comment: The commands, and programs linked with libtaskwrap.a,
 include libwabt of WABT (the WebAssembly Binary Toolkit), statically
 linked: Copyright 2016 WebAssembly Community Group participants, also
 under the Apache License 2.0.
")
endif()
configure_file("${CPACK_TW_SOURCE_DIR}/cmake/debian/copyright" "${doc}/copyright" @ONLY
               FILE_PERMISSIONS ${mode_0644})

# The changelog's one entry is this version; its date honours
# SOURCE_DATE_EPOCH (string(TIMESTAMP) reads it).
string(TIMESTAMP date "%a, %d %b %Y %H:%M:%S +0000" UTC)
set(version "${CPACK_PACKAGE_VERSION}-${CPACK_DEBIAN_PACKAGE_RELEASE}")
file(WRITE "${doc}/changelog.Debian"
"${CPACK_PACKAGE_NAME} (${version}) unstable; urgency=medium

  * Package built by CPack from the ${CPACK_PACKAGE_NAME} ${CPACK_PACKAGE_VERSION} sources.

 -- ${CPACK_DEBIAN_PACKAGE_MAINTAINER}  ${date}
")
tw_gzip("${doc}/changelog.Debian")

# The documents larger than 4 kB compressed, as dh_compress does (Debian
# policy, "Additional documentation").
file(GLOB docs "${doc}/*.md")
foreach(file IN LISTS docs)
  file(SIZE "${file}" size)
  if(size GREATER 4096)
    tw_gzip("${file}")
  endif()
endforeach()

file(GLOB pages "${root}/${CPACK_TW_MANDIR}/man*/*")
foreach(page IN LISTS pages)
  if(NOT page MATCHES "\\.gz$")
    tw_gzip("${page}")
  endif()
endforeach()
