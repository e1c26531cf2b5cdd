# CPack pre-build script (CPACK_PRE_BUILD_SCRIPTS, cmake/TaskwrapPackaging.cmake):
# for the DEB generator only, turn the staged install tree into what Debian
# policy asks of a binary package, which `cmake --install` should not do:
#   usr/share/doc/wasm-taskwrap/copyright          (cmake/debian/copyright,
#                                                   instead of LICENSE)
#   usr/share/doc/wasm-taskwrap/changelog.Debian.gz
#   usr/share/man/man1/*.1.gz                      (gzip -9n, no time stamp)
# Every other generator gets the install tree as it is.
if(NOT CPACK_GENERATOR STREQUAL "DEB")
  return()
endif()
set(root "${CPACK_TEMPORARY_INSTALL_DIRECTORY}${CPACK_PACKAGING_INSTALL_PREFIX}")
set(doc "${root}/${CPACK_TW_DOCDIR}")
if(NOT EXISTS "${doc}/LICENSE")
  message(FATAL_ERROR "TaskwrapDebian.cmake: no ${doc}/LICENSE in the staged tree")
endif()
find_program(gzip gzip REQUIRED)
# gzip -9n: what dh_compress does; -n keeps the name and time out, so the
# same tree gives the same bytes.
function(tw_gzip file)
  execute_process(COMMAND "${gzip}" -9nf "${file}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "TaskwrapDebian.cmake: gzip ${file} failed")
  endif()
endfunction()

file(REMOVE "${doc}/LICENSE")
configure_file("${CPACK_TW_SOURCE_DIR}/cmake/debian/copyright" "${doc}/copyright" COPYONLY)

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

file(GLOB pages "${root}/${CPACK_TW_MANDIR}/man*/*")
foreach(page IN LISTS pages)
  if(NOT page MATCHES "\\.gz$")
    tw_gzip("${page}")
  endif()
endforeach()
