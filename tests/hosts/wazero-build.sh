#!/bin/bash
# hosts-wazero-build: build wazero-run (wazero/, wazero v1.12.0), the host
# with no WASI module that hosts-wasi-testsuite-wazero, hosts-go-files and
# hosts-c-files run their modules in.
#   wazero-build.sh GO SRC OUT GOCACHE
# As go-build (tests/go/build.sh): modules from the default module cache,
# which tools/install-deps.sh fills (`go mod download` in tests/*/*/), never
# the network, go.mod never changed; the build cache in the build tree.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
go=$1 src=$2 out=$3 gocache=$4
mkdir -p "$(dirname "$out")" "$gocache"
export GOCACHE=$gocache GOFLAGS="-mod=readonly -buildvcs=false -trimpath"
export GOTOOLCHAIN=local GOPROXY=off GOWORK=off CGO_ENABLED=0
rm -f "$out"
(cd "$src/wazero" && "$go" build -o "$out" .) ||
  die "go build of wazero-run failed (module cache empty? run tools/install-deps.sh)"
ok "wazero-run built ($("$go" version | cut -d' ' -f3))"
summary
