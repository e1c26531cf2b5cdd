#!/usr/bin/env bash
# `wasm-taskwrap --help` is the interface's contract: it is kept as a golden
# file (help.txt) so that every change to it is deliberate and reviewed.
# BLESS=1 rewrites help.txt.
#   help-golden.sh CLI
set -euo pipefail
expected=$(dirname "$0")/help.txt
actual=$(mktemp)
trap 'rm -f "$actual"' EXIT
"$1" --help > "$actual"
if [ "${BLESS:-0}" = 1 ]; then
  cp "$actual" "$expected"
  echo "blessed tests/cli/help.txt"
else
  diff -u "$expected" "$actual"
  echo "--help matches tests/cli/help.txt"
fi
