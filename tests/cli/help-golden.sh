#!/usr/bin/env bash
# `wasm-taskwrap --help` is the interface's contract: it is kept as a golden
# file (help.txt) so that every change to it is deliberate and reviewed.
# BLESS=1 rewrites help.txt.
#   help-golden.sh CLI
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
expected=$(dirname "$0")/help.txt
actual=$(mktemp)
trap 'rm -f "$actual"' EXIT
"$1" --help > "$actual"
check_golden "$actual" "$expected" || exit 1
blessing || echo "--help matches tests/cli/help.txt"
