# Cross-building for 64-bit Windows with mingw-w64 (Debian's
# gcc-mingw-w64-x86-64):
#   cmake -S . -B build-win -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-mingw-w64.cmake \
#         -DTW_WITH_WABT=OFF
# No libwabt is packaged for mingw: -t, text input and --verify=full are then
# refused (exit 2). The programs are statically linked (CMakeLists.txt): they
# need only Windows' own DLLs (KERNEL32, msvcrt, SHELL32), and run under wine.
# No CMAKE_CROSSCOMPILING_EMULATOR: the tests (tests/windows) run wine
# themselves, with their own prefix, and configuring needs no wine.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(TW_MINGW_TRIPLET x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${TW_MINGW_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${TW_MINGW_TRIPLET}-g++)
set(CMAKE_RC_COMPILER ${TW_MINGW_TRIPLET}-windres)
set(CMAKE_FIND_ROOT_PATH /usr/${TW_MINGW_TRIPLET})
# Programs are the build machine's; libraries and headers only the target's.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
