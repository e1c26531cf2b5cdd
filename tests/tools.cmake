# The external tools the tests run, found once for every area. The top-level
# CMakeLists.txt includes this file before tests/CMakeLists.txt reads any
# tests/<area>/tests.cmake, and decides from TW_TEST_TOOLS_MISSING (the names
# of the tools not found): no tests (TW_BUILD_TESTS=AUTO) or an error (ON).
# Each tool is needed by some area whatever the options, so the areas can
# rely on all of them. Point one at another binary with -DTW_<TOOL>=PATH.
set(TW_TEST_TOOLS_MISSING)
# tw_test_tool(VAR NAME find_program-arguments...): find_program, and NAME
# noted when it is not found (tools/install-deps.sh --tests provides all but
# go and cargo, which the top-level CMakeLists.txt names apart).
macro(tw_test_tool var name)
  find_program(${var} ${ARGN})
  if(NOT ${var})
    list(APPEND TW_TEST_TOOLS_MISSING ${name})
  endif()
endmacro()

tw_test_tool(TW_BASH bash bash)
tw_test_tool(TW_NODE node node)
tw_test_tool(TW_NPM npm npm)
# The shell tests run python3 scripts (tests/common/wasmbin.py).
tw_test_tool(TW_PYTHON3 python3 python3)
# wabt
tw_test_tool(TW_WAT2WASM wat2wasm wat2wasm)
tw_test_tool(TW_WASM2WAT wasm2wat wasm2wat)
tw_test_tool(TW_WAST2JSON wast2json wast2json)
tw_test_tool(TW_WASM_VALIDATE wasm-validate wasm-validate)
tw_test_tool(TW_WASM_OBJDUMP wasm-objdump wasm-objdump)
# binaryen
tw_test_tool(TW_WASM_OPT wasm-opt wasm-opt)
# clang for wasm32-wasi (and libFuzzer); it links wasm32 through wasm-ld
# (lld): say so here rather than at link time.
tw_test_tool(TW_CLANG clang NAMES clang clang-14)
tw_test_tool(TW_WASM_LD wasm-ld NAMES wasm-ld wasm-ld-14)
tw_test_tool(TW_XXD xxd xxd)
tw_test_tool(TW_PKG_CONFIG pkg-config NAMES pkg-config pkgconf)
# The unit tests (tests/unit, tests/instr) link cmocka, found by pkg-config.
find_package(PkgConfig QUIET)
if(PKG_CONFIG_FOUND)
  pkg_check_modules(TW_CMOCKA QUIET cmocka)
endif()
if(NOT TW_CMOCKA_FOUND)
  list(APPEND TW_TEST_TOOLS_MISSING "cmocka (pkg-config)")
endif()
# The package tests (tests/package): the .deb is built with dpkg-shlibdeps
# and checked with lintian, dpkg-deb, dpkg -S, dpkg-query and ldd.
tw_test_tool(TW_LINTIAN lintian lintian)
tw_test_tool(TW_DPKG dpkg dpkg)
tw_test_tool(TW_DPKG_DEB dpkg-deb dpkg-deb)
tw_test_tool(TW_DPKG_QUERY dpkg-query dpkg-query)
tw_test_tool(TW_DPKG_SHLIBDEPS dpkg-shlibdeps dpkg-shlibdeps)
tw_test_tool(TW_LDD ldd ldd)
# Optional: install-post-link-failure-ninja runs only where Ninja is found.
find_program(TW_NINJA ninja)
# Pinned test tools in .tools/bin, installed by `tools/install-deps.sh --tests`
# (which tools/test.sh runs): wasm-tools 1.262 (wit-component 0.262), the
# wasmtime 49 CLI, wasm-component-ld 0.5.30. Only that directory is searched:
# another version on PATH would not be the pinned one. Go builds the Go
# guests and hosts.
set(TW_DOT_TOOLS "${PROJECT_SOURCE_DIR}/.tools/bin" CACHE PATH
    "Where tools/install-deps.sh --tests puts the pinned test tools")
tw_test_tool(TW_WASM_TOOLS wasm-tools wasm-tools PATHS ${TW_DOT_TOOLS} NO_DEFAULT_PATH)
tw_test_tool(TW_WASMTIME wasmtime wasmtime PATHS ${TW_DOT_TOOLS} NO_DEFAULT_PATH)
tw_test_tool(TW_WASM_COMPONENT_LD wasm-component-ld wasm-component-ld PATHS ${TW_DOT_TOOLS} NO_DEFAULT_PATH)
tw_test_tool(TW_GO go go)
# cargo (rustup's, which install-deps.sh --tests also needs to build
# wasm-component-ld): ld-rust links a wasm32-wasip3 crate through it.
tw_test_tool(TW_CARGO cargo cargo)
