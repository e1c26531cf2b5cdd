# CMake toolchain file for wasm32-wasi with Debian's clang, lld and wasi-libc,
# written like wasi-sdk's wasi-sdk-p3.cmake. Differences from that file:
#  * wasi-sdk's p3 file targets wasm32-wasip3 and links with
#    wasm-component-ld, which makes a component unless given
#    -Wl,--skip-wit-component; a post-link step must see the core module, so
#    with wasi-sdk add that flag (and run `wasm-tools component new` after
#    wasm-taskwrap). Debian's clang 14 knows only wasm32-wasi and links core
#    modules with wasm-ld directly, so nothing is needed here.
#  * wasi-sdk uses the clang, llvm-ar and sysroot of its own prefix; Debian's
#    clang finds wasi-libc (/usr/include/wasm32-wasi, /usr/lib/wasm32-wasi)
#    without --sysroot, so the compiler is just `clang` (-DWASI_CLANG=...).
#  * the -O0 among the link flags, see below.
#
#   cmake -S . -B build -DCMAKE_TOOLCHAIN_FILE=wasi-p3.cmake \
#         -DCMAKE_PREFIX_PATH=<wasm-taskwrap install prefix>

# Until Platform/WASI.cmake is upstream, find it beside this file.
list(APPEND CMAKE_MODULE_PATH "${CMAKE_CURRENT_LIST_DIR}")

set(CMAKE_SYSTEM_NAME WASI)
set(CMAKE_SYSTEM_VERSION 1)
set(CMAKE_SYSTEM_PROCESSOR wasm32)
set(triple wasm32-wasi)

set(WASI_CLANG clang CACHE STRING "clang that targets wasm32-wasi")
set(CMAKE_C_COMPILER ${WASI_CLANG})
set(CMAKE_ASM_COMPILER ${WASI_CLANG})
set(CMAKE_C_COMPILER_TARGET ${triple})
set(CMAKE_ASM_COMPILER_TARGET ${triple})
# llvm-ar, where installed (Debian package llvm): GNU ar cannot index wasm
# objects for static libraries. This example links none.
find_program(WASI_LLVM_AR NAMES llvm-ar llvm-ar-14)
find_program(WASI_LLVM_RANLIB NAMES llvm-ranlib llvm-ranlib-14)
if(WASI_LLVM_AR AND WASI_LLVM_RANLIB)
  set(CMAKE_AR ${WASI_LLVM_AR})
  set(CMAKE_RANLIB ${WASI_LLVM_RANLIB})
endif()

# CMake's link rule repeats the compile flags, including the build type's
# -O2/-O3; clang 14 then runs wasm-opt (if on PATH) over the linked module,
# which drops names and means the post-link step no longer sees what wasm-ld
# wrote. Clang reads the last -O on the link line and the linker flags come
# after the compile flags, so -O0 here turns only that off (the objects are
# optimised already; without LTO nothing else at link time reads it).
set(CMAKE_EXE_LINKER_FLAGS_INIT "-O0")

# Optional: the wasm-ld to link with (clang's default is wasm-ld-14).
set(WASI_WASM_LD "" CACHE FILEPATH "wasm-ld for clang's -fuse-ld (empty: clang's choice)")
if(WASI_WASM_LD)
  string(APPEND CMAKE_EXE_LINKER_FLAGS_INIT " -fuse-ld=${WASI_WASM_LD}")
endif()

# Don't look in the sysroot for executables to run during the build
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
# Only look in the sysroot (not in the host paths) for the rest. There is no
# sysroot here: set CMAKE_FIND_ROOT_PATH to a tree of wasm32 libraries if the
# project needs any. Host tools' packages, such as wasm-taskwrap's, are found
# with NO_CMAKE_FIND_ROOT_PATH (see CMakeLists.txt), which also works with
# wasi-sdk's own toolchain files.
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
