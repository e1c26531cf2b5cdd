#!/usr/bin/env bash
# Converts the spec testsuite with wast2json (as tests/corpus/build-corpus.sh
# does) and lists the modules the spec says must be refused:
#   OUT/spec-malformed.list       assert_malformed, binary modules
#   OUT/spec-invalid.list         assert_invalid, binary modules
#   OUT/spec-malformed-text.list  assert_malformed, quoted text modules (.wat)
#   OUT/spec-invalid-text.list    assert_invalid, quoted text modules (.wat)
#   OUT/proposals-*.list          the same for the proposal suites that convert
#   OUT/probes-malformed.list     the hand-made modules of probes.txt
#   OUT/wast2json-skipped.txt     proposal .wast files wast2json cannot convert
# Each list has "# source: NAME.wast" lines, then one "PATH<TAB>LINE<TAB>TEXT"
# line per module (LINE: its line in the .wast, TEXT: the expected message).
# Usage: build-lists.sh OUT   (env: TW_SHARED; optional WAST2JSON)
set -euo pipefail

OUT=${1:?usage: build-lists.sh OUT}
SHARED=${TW_SHARED:?set TW_SHARED to the shared folder}
WAST2JSON=${WAST2JSON:-wast2json}
SPEC=$SHARED/spec-testsuite

mkdir -p "$OUT"
rm -rf "${OUT:?}/spec" "$OUT/proposals" "$OUT/probes"
rm -f "$OUT"/*.list
: >"$OUT/wast2json-skipped.txt"
: >"$OUT/unparsed.txt"

# extract JSON SOURCE DEST : appends the refused modules of one converted
# .wast to DEST-{malformed,invalid}{,-text}.list. wast2json writes one command
# per line, keys in the order type, line, filename, text, module_type.
extract() {
  local json=$1 src=$2 dest=$3
  # sed turns each assert_malformed/assert_invalid line into
  # "KIND<TAB>MODULE_TYPE<TAB>FILE<TAB>LINE<TAB>TEXT" (or "BAD<TAB>line" if
  # its layout is not the expected one); awk appends each to its list (every
  # list gets the source line, so that counts stay per source).
  sed -nE -e '/^ *\{"type": "assert_(malformed|invalid)"/{' \
    -e 's/^ *\{"type": "assert_([a-z]+)", "line": ([0-9]+), "filename": "([^"]+)", "text": "(([^"\\]|\\.)*)", "module_type": "([a-z]+)".*/\1\t\6\t\3\t\2\t\4/' \
    -e 't ok' -e 's/^/BAD\t/' -e ':ok' -e 'p' -e '}' "$json" |
    awk -F'\t' -v dest="$dest" -v src="$src" -v dir="$(dirname "$json")" -v bad="$OUT/unparsed.txt" '
      BEGIN {
        split("malformed invalid malformed-text invalid-text", names, " ")
        for (i = 1; i <= 4; i++) print "# source: " src >>(dest "-" names[i] ".list")
      }
      $1 == "BAD" { print src ": " $2 >>bad; next }
      {
        list = dest "-" $1 ($2 == "text" ? "-text" : "") ".list"
        print dir "/" $3 "\t" $4 "\t" $5 >>list
      }'
}

# convert DIR NAME DEST FLAGS... : converts every .wast of DIR into
# OUT/NAME/ and extracts its modules; sets CONV and SKIP.
convert() {
  local dir=$1 name=$2 dest=$3 f base
  shift 3
  CONV=0 SKIP=0
  mkdir -p "$OUT/$name"
  for f in "$dir"/*.wast; do
    base=$(basename "$f" .wast)
    # wast2json aborts on some proposals: the outer 2>/dev/null silences the
    # shell's "Aborted" notice; wast2json's own message is in the log.
    if { "$WAST2JSON" "$@" "$f" -o "$OUT/$name/$base.json" >"$OUT/$name/$base.log" 2>&1; } 2>/dev/null; then
      CONV=$((CONV + 1))
      extract "$OUT/$name/$base.json" "$name/$base.wast" "$dest"
    else
      SKIP=$((SKIP + 1))
      echo "$name/$base.wast: $(grep -m1 . "$OUT/$name/$base.log")" >>"$OUT/wast2json-skipped.txt"
    fi
  done
}

count() { grep -vc '^#' "$1" || true; }

convert "$SPEC" spec "$OUT/spec"
echo "spec: $CONV .wast files converted, $SKIP skipped"
if [ "$SKIP" -ne 0 ] || [ "$CONV" -eq 0 ]; then
  echo "error: every top-level spec .wast must convert" >&2
  cat "$OUT/wast2json-skipped.txt" >&2
  exit 1
fi
for l in malformed invalid malformed-text invalid-text; do
  echo "spec $l: $(count "$OUT/spec-$l.list") modules"
done
# The two lists the requirement is about must not be empty.
for l in malformed invalid; do
  [ "$(count "$OUT/spec-$l.list")" -gt 0 ] || { echo "error: no module in spec-$l.list" >&2; exit 1; }
done

# The hand-made probes (probes.txt: NAME, expected message, hex bytes after
# the header), listed with their line in probes.txt.
mkdir -p "$OUT/probes"
echo "# source: robust/probes.txt" >"$OUT/probes-malformed.list"
n=0
while IFS=$'\t' read -r name text hex; do
  n=$((n + 1))
  case "$name" in "" | "#"*) continue ;; esac
  # "01 04" -> "\x01\x04" for printf (the bytes hold no %).
  printf "\\x00asm\\x01\\x00\\x00\\x00$(sed -E 's/([0-9a-f]{2}) ?/\\x\1/g' <<<"$hex")" >"$OUT/probes/$name.wasm"
  printf '%s\t%s\t%s\n' "$OUT/probes/$name.wasm" "$n" "$text" >>"$OUT/probes-malformed.list"
done <"$(dirname "$0")/probes.txt"
echo "probes: $(count "$OUT/probes-malformed.list") modules"

for dir in "$SPEC"/proposals/*/; do
  dir=${dir%/}
  p=$(basename "$dir")
  convert "$dir" "proposals/$p" "$OUT/proposals" --enable-all
  echo "proposal $p: $CONV .wast files converted, $SKIP skipped by wast2json"
done
for l in malformed invalid malformed-text invalid-text; do
  echo "proposals $l: $(count "$OUT/proposals-$l.list") modules"
done
echo "wast2json could not convert (skipped):"
cat "$OUT/wast2json-skipped.txt"
# A command line of an unexpected layout would silently drop a module.
if [ -s "$OUT/unparsed.txt" ]; then
  echo "error: JSON lines not understood:" >&2
  cat "$OUT/unparsed.txt" >&2
  exit 1
fi
