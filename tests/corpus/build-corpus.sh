#!/usr/bin/env bash
# Builds the round-trip corpus into OUT (a build-dir folder) and writes:
#   OUT/corpus.list    every in-scope module, grouped by "# corpus: NAME" lines
#   OUT/excluded.list  modules of the .wast files excluded below
#   OUT/wast2json-skipped.txt  the .wast files wast2json cannot convert
# Usage: build-corpus.sh OUT   (env: TW_SHARED; optional WAST2JSON, CLANG)
set -euo pipefail

OUT=${1:?usage: build-corpus.sh OUT}
SHARED=${TW_SHARED:?set TW_SHARED to the shared folder}
WAST2JSON=${WAST2JSON:-wast2json}
CLANG=${CLANG:-clang}
SRC=$(cd "$(dirname "$0")" && pwd)
SPEC=$SHARED/spec-testsuite

# Converted .wast files left out of the byte-exact test; their modules go to
# excluded.list, checked where a clean refusal is allowed:
#   function-references/type-equivalence: wabt 1.0.32 encodes (ref $t) and
#   (ref null $t) as 0x6b/0x6c, the pre-GC drafts' opcodes. The standard
#   (wasm 3.0) has 0x64/0x63 there and 0x6b/0x6c are the shorthands structref
#   and i31ref, so the reader rightly refuses these binaries.
EXCLUDED_FILES=" proposal-function-references/type-equivalence "

mkdir -p "$OUT"
rm -rf "${OUT:?}/spec" "$OUT/c"
mkdir -p "$OUT/spec" "$OUT/c"
: >"$OUT/wast2json-skipped.txt"

# The valid modules of one converted .wast: plain module commands and the
# binary modules of assert_unlinkable / assert_uninstantiable (those validate,
# they only fail to link or to start). assert_invalid and assert_malformed
# are left out, and so are modules kept as text.
valid_modules() { # JSON DIR
  { grep -E '^ *\{"type": "(module|assert_unlinkable|assert_uninstantiable)"' "$1" || true; } |
    { grep -v '"module_type": "text"' || true; } |
    sed -E 's/.*"filename": "([^"]+)".*/\1/' |
    while IFS= read -r f; do printf '%s/%s\n' "$2" "$f"; done
}

# convert_dir WASTDIR NAME FLAGS... : writes the valid modules to
# OUT/spec/NAME.list (excluded ones to NAME.excluded), each list opening with
# a "# corpus: NAME" line, and sets CONV and SKIP to the number of .wast
# files converted and skipped.
convert_dir() {
  local dir=$1 name=$2 f base dest
  CONV=0 SKIP=0
  shift 2
  dest=$OUT/spec/$name
  mkdir -p "$dest"
  echo "# corpus: $name" >"$dest.list"
  echo "# corpus: $name (excluded)" >"$dest.excluded"
  for f in "$dir"/*.wast; do
    base=$(basename "$f" .wast)
    # wast2json aborts on some proposals: the outer 2>/dev/null silences
    # the shell's "Aborted" notice; wast2json's own message is in the log.
    if { "$WAST2JSON" "$@" "$f" -o "$dest/$base.json" >"$dest/$base.log" 2>&1; } 2>/dev/null; then
      CONV=$((CONV + 1))
      case "$EXCLUDED_FILES" in
      *" $name/$base "*) valid_modules "$dest/$base.json" "$dest" >>"$dest.excluded" ;;
      *) valid_modules "$dest/$base.json" "$dest" >>"$dest.list" ;;
      esac
    else
      SKIP=$((SKIP + 1))
      echo "$name/$base.wast: $(grep -m1 . "$dest/$base.log")" >>"$OUT/wast2json-skipped.txt"
    fi
  done
}

: >"$OUT/corpus.list"
: >"$OUT/excluded.list"

convert_dir "$SPEC" spec
echo "spec: $CONV .wast files converted, $SKIP skipped"
if [ "$SKIP" -ne 0 ] || [ "$CONV" -eq 0 ]; then
  echo "error: every top-level spec .wast must convert" >&2
  cat "$OUT/wast2json-skipped.txt" >&2
  exit 1
fi
cat "$OUT/spec/spec.list" >>"$OUT/corpus.list"

# The same modules again with every LEB128 size padded to 5 bytes and a name
# section: byte identity must not depend on minimal encodings.
convert_dir "$SPEC" spec-leb5-names --no-canonicalize-leb128s --debug-names
[ "$SKIP" -eq 0 ] || { echo "error: wast2json --no-canonicalize-leb128s failed" >&2; exit 1; }
cat "$OUT/spec/spec-leb5-names.list" >>"$OUT/corpus.list"

for dir in "$SPEC"/proposals/*/; do
  dir=${dir%/}
  p=$(basename "$dir")
  convert_dir "$dir" "proposal-$p" --enable-all
  echo "proposal $p: $CONV .wast files converted, $SKIP skipped by wast2json"
  cat "$OUT/spec/proposal-$p.list" >>"$OUT/corpus.list"
  if grep -q '^[^#]' "$OUT/spec/proposal-$p.excluded"; then
    cat "$OUT/spec/proposal-$p.excluded" >>"$OUT/excluded.list"
  fi
done

# Every prebuilt program of the wasi-testsuite, read in place.
{
  echo "# corpus: wasi-testsuite"
  find "$SHARED/wasi-testsuite" -name '*.wasm' -type f | LC_ALL=C sort
} >>"$OUT/corpus.list"

# C programs, with -g: two plain commands, two reactors (hooked.c exports
# __wasm_task_hook, so it is rewritten), and one compiled with
# -O2 -c and linked without -O (clang runs wasm-opt when the link line has an
# -O level, which would rewrite the module and drop the names).
{
  echo "# corpus: c-programs"
  for f in "$SRC"/c/*.c; do
    base=$(basename "$f" .c)
    case "$base" in
    reactor | hooked) "$CLANG" --target=wasm32-wasi -g -mexec-model=reactor -o "$OUT/c/$base.wasm" "$f" ;;
    optimized)
      "$CLANG" --target=wasm32-wasi -g -O2 -c -o "$OUT/c/$base.o" "$f"
      "$CLANG" --target=wasm32-wasi -g -o "$OUT/c/$base.wasm" "$OUT/c/$base.o"
      ;;
    *) "$CLANG" --target=wasm32-wasi -g -o "$OUT/c/$base.wasm" "$f" ;;
    esac
    echo "$OUT/c/$base.wasm"
  done
} >>"$OUT/corpus.list"

# Some modules in each group, or the test proves nothing.
for group in spec spec-leb5-names wasi-testsuite c-programs; do
  n=$(awk -v g="# corpus: $group" '/^# corpus: /{on = ($0 == g); next} on && NF {n++} END {print n + 0}' "$OUT/corpus.list")
  echo "$group: $n modules"
  [ "$n" -gt 0 ] || { echo "error: no module in $group" >&2; exit 1; }
done
echo "in scope: $(grep -vc '^#' "$OUT/corpus.list") modules; excluded: $(grep -vc '^#' "$OUT/excluded.list" || true)"
echo "wast2json could not convert (skipped):"
cat "$OUT/wast2json-skipped.txt"
