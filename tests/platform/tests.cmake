# Which platform layer the commands were built with (src/platform.h): the
# default Linux build takes Linux's fast paths, -DTW_PORTABLE_POSIX=ON the
# generic POSIX ones that macOS and the BSDs get. Each build checks its own
# binaries, and the checker is run once against a binary of the other kind
# (compiled on the spot), which must fail it.
if(TW_PORTABLE_POSIX)
  set(tw_platform_kind posix)
elseif(CMAKE_SYSTEM_NAME STREQUAL "Linux")
  set(tw_platform_kind linux)
endif()
if(DEFINED tw_platform_kind)
  add_test(NAME platform-${tw_platform_kind}-path
           COMMAND ${CMAKE_COMMAND} -E env CC=${CMAKE_C_COMPILER} NM=${CMAKE_NM}
                   ${TW_BASH} ${CMAKE_CURRENT_LIST_DIR}/path.sh ${tw_platform_kind}
                   $<TARGET_FILE:wasm-taskwrap> $<TARGET_FILE:wasm-taskwrap-ld>
                   ${CMAKE_CURRENT_BINARY_DIR}/platform-work)
endif()
