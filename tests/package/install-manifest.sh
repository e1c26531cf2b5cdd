# What an install of the project holds, for the scripts that check one
# (tests/install/install-test.sh, tests/package/standalone.sh); source it:
#   . "$(dirname "${BASH_SOURCE[0]}")/../package/install-manifest.sh"
#
#   installed_files DIR      the files below DIR, relative to it, one a
#                            line, sorted bytewise
#   install_manifest CONFIG  the files `cmake --install` puts under the
#                            prefix, sorted alike; CONFIG is the lower-case
#                            build type of the targets file ("noconfig"
#                            without one)

installed_files() { (cd "$1" && find . ! -type d | sed 's|^\./||' | LC_ALL=C sort); }

install_manifest() {
  printf '%s\n' \
    bin/wasm-taskwrap \
    bin/wasm-taskwrap-ld \
    include/taskwrap.h \
    lib/cmake/taskwrap/TaskwrapPostLink.cmake \
    lib/cmake/taskwrap/taskwrapConfig.cmake \
    lib/cmake/taskwrap/taskwrapConfigVersion.cmake \
    "lib/cmake/taskwrap/taskwrapTargets-$1.cmake" \
    lib/cmake/taskwrap/taskwrapTargets.cmake \
    lib/libtaskwrap.a \
    lib/pkgconfig/taskwrap.pc \
    share/doc/wasm-taskwrap/LICENSE \
    share/doc/wasm-taskwrap/abi.md \
    share/doc/wasm-taskwrap/output-layout.md \
    share/doc/wasm-taskwrap/usage.md \
    share/man/man1/wasm-taskwrap-ld.1 \
    share/man/man1/wasm-taskwrap.1 | LC_ALL=C sort
}
