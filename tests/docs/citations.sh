#!/usr/bin/env bash
# docs-citations: every doc section cited from src/, include/, tests/,
# bench/, tools/, examples/, cmake/, docs/, man/ and README.md names a
# heading that exists, and nothing names the specification we started from
# without its ../shared/ directory (tests/docs/citations.py says which forms
# are read).
# Self-check: a scratch tree with a wrong citation split over two comment
# lines and a bare specification name must give both, each with its
# file:line, while the correct citations beside them give nothing.
#   citations.sh REPO WORK        (PYTHON3 in the environment, if set)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
repo=$1 work=$2
py=${PYTHON3:-python3}
check="$repo/tests/docs/citations.py"
rm -rf "$work" && mkdir -p "$work"

if "$py" "$check" "$repo" > "$work/repo.out"; then
  ok "every cited heading exists, and the specification is always named with its directory"
else
  fail "$(wc -l < "$work/repo.out") stale citations:"; cat "$work/repo.out"
fi

# The self-check's scratch tree. Its citations are spelt through variables,
# so that this file cites nothing itself.
spec=ABI; spec+=.md # the specification's file name
doc=docs/guide.md readme=README
tree="$work/tree"
mkdir -p "$tree/docs" "$tree/src"
printf '# Top\n\n## Real heading\n\n### With `code` in it\n' > "$tree/$doc"
printf '# Project\n\n## Usage\n' > "$tree/$readme.md"
cat > "$tree/src/a.c" <<C
/* Correct: $doc, "Real heading"; split: ($doc, "With
 * code in it"); $readme, "Usage"; ../shared/$spec; shared/$spec. */
int a;
/* Wrong, split over two lines: see $doc, "Unreal
 * heading". */
int b;
// bare: the $spec tables
C
out=$("$py" "$check" "$tree" src) && rc=0 || rc=$?
expect() {
  if grep -qF -e "$1" <<< "$out"; then ok "self-check: $2 reported"
  else fail "self-check: $2 not reported (exit $rc): $out"; fi
}
expect "src/a.c:4: error: cites $doc, \"Unreal heading\": no such heading" "the wrong citation at its line"
expect "src/a.c:7: error: bare '$spec'" "the bare name at its line"
[ "$rc" = 1 ] && ok "self-check: exit 1" || fail "self-check: exit $rc, want 1"
n=$(grep -c ': error: ' <<< "$out" || true)
[ "$n" = 2 ] && ok "self-check: the correct citations give nothing" ||
  fail "self-check: $n reports, want 2: $out"
summary
