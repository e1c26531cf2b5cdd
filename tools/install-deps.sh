#!/usr/bin/env bash
# Install the Debian packages that building and testing wasm-taskwrap need,
# when they are missing. Debian bookworm, as root (or with sudo available).
set -euo pipefail

packages=(
  cmake make gcc pkg-config          # build
  libcmocka-dev                      # unit tests
  wabt binaryen xxd                  # wat2wasm/wasm2wat/wast2json/wasm-validate, wasm-opt, hex fixtures
  clang lld wasi-libc libclang-rt-14-dev-wasm32   # C programs for wasm32-wasi
  libclang-rt-14-dev                 # libFuzzer and the sanitizer runtimes for clang
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# Node.js may come from Debian (nodejs + npm) or from a vendor package that
# bundles npm: ask for the commands, not for the package names.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
