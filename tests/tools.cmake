# The external tools the tests run, found once for every area (included by
# tests/CMakeLists.txt before the tests/<area>/tests.cmake files). Each is
# REQUIRED: some area needs it whatever the options. Point one at another
# binary with -DTW_<TOOL>=PATH.
find_program(TW_BASH bash REQUIRED)
find_program(TW_NODE node REQUIRED)
find_program(TW_NPM npm REQUIRED)
# wabt
find_program(TW_WAT2WASM wat2wasm REQUIRED)
find_program(TW_WASM2WAT wasm2wat REQUIRED)
find_program(TW_WAST2JSON wast2json REQUIRED)
find_program(TW_WASM_VALIDATE wasm-validate REQUIRED)
find_program(TW_WASM_OBJDUMP wasm-objdump REQUIRED)
# binaryen
find_program(TW_WASM_OPT wasm-opt REQUIRED)
# clang for wasm32-wasi (and libFuzzer); it links wasm32 through wasm-ld
# (lld): say so here rather than at link time.
find_program(TW_CLANG NAMES clang clang-14 REQUIRED)
find_program(TW_WASM_LD NAMES wasm-ld wasm-ld-14 REQUIRED)
find_program(TW_XXD xxd REQUIRED)
find_program(TW_PKG_CONFIG NAMES pkg-config pkgconf REQUIRED)
# Optional: install-post-link-failure-ninja runs only where Ninja is found.
find_program(TW_NINJA ninja)
# Pinned test tools in .tools/bin, installed by `tools/install-deps.sh --tests`
# (which tools/test.sh runs): wasm-tools 1.262 (wit-component 0.262), the
# wasmtime 49 CLI, wasm-component-ld 0.5.30. Go builds the Go guests and hosts.
set(TW_DOT_TOOLS "${PROJECT_SOURCE_DIR}/.tools/bin")
find_program(TW_WASM_TOOLS wasm-tools PATHS ${TW_DOT_TOOLS} NO_DEFAULT_PATH REQUIRED)
find_program(TW_WASMTIME wasmtime PATHS ${TW_DOT_TOOLS} NO_DEFAULT_PATH REQUIRED)
find_program(TW_WASM_COMPONENT_LD wasm-component-ld PATHS ${TW_DOT_TOOLS} NO_DEFAULT_PATH REQUIRED)
find_program(TW_GO go REQUIRED)
# cargo (rustup's, which install-deps.sh --tests also needs to build
# wasm-component-ld): ld-rust links a wasm32-wasip3 crate through it.
find_program(TW_CARGO cargo REQUIRED)
