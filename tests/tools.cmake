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
