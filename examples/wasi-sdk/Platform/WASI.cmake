# Platform file for CMAKE_SYSTEM_NAME WASI, as wasi-sdk ships it (CMake has
# none of its own yet): a WASI flag for projects and .wasm executables.
set(WASI 1)
set(CMAKE_EXECUTABLE_SUFFIX ".wasm")
