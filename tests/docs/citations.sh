#!/usr/bin/env bash
# docs-citations: every doc section cited from src/, include/, tests/,
# bench/, tools/, examples/, cmake/, docs/, man/, fixtures/, README.md and
# CMakeLists.txt names a heading that exists, nothing names the
# specification we started from without its ../shared/ directory, and every
# #anchor of a relative Markdown link is a heading's anchor as GitHub makes
# it (tests/docs/citations.py says which forms are read).
# Self-check: a scratch tree with wrong citations (split over two comment
# lines, in a Markdown link's backticked text, in a C string, in a fixture
# and in CMakeLists.txt), a bare specification name and broken anchors
# must give each, with its file:line, while the correct citations and
# anchors beside them (code spans, duplicate headings) give nothing.
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
printf '# Top\n\n## Real heading\n\n### With `code` in it\n\n## Real heading\n\n## Options: `--x` & more\n' > "$tree/$doc"
mkdir -p "$tree/fixtures"
# The README: links whose anchors resolve (a duplicate heading's -1, code
# and punctuation dropped), then two that do not; links in code are not read.
cat > "$tree/$readme.md" <<MD
# Project

## Usage

See [\`$doc\`, "Real heading"]($doc#real-heading), [again]($doc#real-heading-1),
[code]($doc#with-code-in-it), [options]($doc#options---x--more), [up](#usage).
Not a link: \`[x](#nowhere-in-code)\`.

\`\`\`
[fenced]($doc#nowhere-fenced)
\`\`\`

Wrong: [\`$doc\`, "No such heading"]($doc#real-heading).
Broken: [gone]($doc#unreal-anchor) and [here](#no-such-section).
MD
cat > "$tree/src/a.c" <<C
/* Correct: $doc, "Real heading"; split: ($doc, "With
 * code in it"); $readme, "Usage"; ../shared/$spec; shared/$spec. */
int a;
/* Wrong, split over two lines: see $doc, "Unreal
 * heading". */
int b;
// bare: the $spec tables
static const char *help = "see ($doc, \\"Real\\n"
                          "heading\\"), or ($doc, \\"Unreal string\\")";
C
printf ';; ARGS: --x\n;; Wrong: %s, "Fixture heading".\n(module)\n' "$doc" > "$tree/fixtures/f.wat"
printf '# Wrong: %s, "CMake heading"\n' "$doc" > "$tree/CMakeLists.txt"
out=$("$py" "$check" "$tree") && rc=0 || rc=$?
expect() {
  if grep -qF -e "$1" <<< "$out"; then ok "self-check: $2 reported"
  else fail "self-check: $2 not reported (exit $rc): $out"; fi
}
expect "src/a.c:4: error: cites $doc, \"Unreal heading\": no such heading" "the wrong citation at its line"
expect "src/a.c:7: error: bare '$spec'" "the bare name at its line"
expect "src/a.c:9: error: cites $doc, \"Unreal string\": no such heading" "the wrong citation in a C string"
expect "$readme.md:13: error: cites $doc, \"No such heading\": no such heading" "the wrong citation in a link's backticked text"
expect "fixtures/f.wat:2: error: cites $doc, \"Fixture heading\"" "the wrong citation in a fixture"
expect "CMakeLists.txt:1: error: cites $doc, \"CMake heading\"" "the wrong citation in CMakeLists.txt"
expect "$readme.md:14: error: links to $doc#unreal-anchor: no heading with that anchor" "the broken anchor in another file"
expect "$readme.md:14: error: links to #no-such-section: no heading with that anchor" "the broken anchor in the same file"
[ "$rc" = 1 ] && ok "self-check: exit 1" || fail "self-check: exit $rc, want 1"
n=$(grep -c ': error: ' <<< "$out" || true)
[ "$n" = 8 ] && ok "self-check: the correct citations and anchors give nothing" ||
  fail "self-check: $n reports, want 8: $out"
summary
