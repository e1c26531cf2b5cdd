#!/usr/bin/env bash
# Golden test of one fixture (wasm-tools' tests/cli style).
#
#   run-golden.sh CLI FIXTURE WORKDIR
#
# FIXTURE is fixtures/NAME.wat (assembled with wat2wasm) or fixtures/NAME.hex
# (hex bytes, for modules wat2wasm cannot write: malformed ones, GC types).
# It carries its own command line in a comment:
#   ;; ARGS: --keep-hook-export        (.wat; "# ARGS:" in .hex files)
#   ;; WAT2WASM: --debug-names         (extra wat2wasm flags)
#   ;; OUTPUT: hex                     (pin the output's bytes, not its text)
# Beside it sit the expected results:
#   NAME.plan     what `wasm-taskwrap ARGS NAME.wasm -o NAME.out.wasm --plan` printed
#   NAME.stderr   its standard error, then "exit: N"
#   NAME.out.wat  the output as `wasm-taskwrap -t` writes it (libwabt's text
#                 writer); NAME.out.hex where libwabt cannot read the module
# and the test also checks, for every fixture: a failed run leaves no output
# file; where libwabt can read the module, the output passes --verify=full
# and the external wasm-validate; a
# second run on the output is a byte-identical no-op; a module whose plan
# says "abi none" comes out byte-identical.
#
# BLESS=1 rewrites the expected files instead of comparing (review the diff).
set -euo pipefail

cli=$(realpath "$1") fixture=$2 work=$3
src_dir=$(cd "$(dirname "$fixture")" && pwd)
file=$(basename "$fixture")
name=${file%.*}
ext=${file##*.}
mkdir -p "$work"
cd "$work"
rm -f "$name".*

fail() { echo "FAIL $name: $*" >&2; exit 1; }

# The fixture's own settings.
comment=';;'
[ "$ext" = hex ] && comment='#'
args=$(sed -n "s/^$comment ARGS: //p" "$src_dir/$file" | head -n 1)
watflags=$(sed -n "s/^$comment WAT2WASM: //p" "$src_dir/$file" | head -n 1)
outfmt=$(sed -n "s/^$comment OUTPUT: //p" "$src_dir/$file" | head -n 1)

case "$ext" in
  wat) wat2wasm --enable-all $watflags "$src_dir/$file" -o "$name.wasm" ;;
  hex) sed -e 's/#.*//' "$src_dir/$file" | xxd -r -p > "$name.wasm" ;;
  *) fail "unknown fixture type .$ext" ;;
esac


status=0
# shellcheck disable=SC2086  # ARGS is a word list by design
"$cli" $args "$name.wasm" -o "$name.out.wasm" --plan > "$name.plan.actual" 2> "$name.stderr.actual" ||
  status=$?
echo "exit: $status" >> "$name.stderr.actual"

if [ "$status" -ne 0 ]; then
  [ ! -e "$name.out.wasm" ] || fail "exit $status but an output file was written"
  [ -z "$(ls -A . | grep -F "$name.out.wasm.tmp-" || true)" ] || fail "temporary file left behind"
else
  # libwabt validates the whole output in-process (--verify=full), unless the
  # module uses what wabt 1.0.32 cannot read, which must then be said.
  wabt_reads=1
  if ! "$cli" $args --verify=full "$name.wasm" --dry-run > /dev/null 2> "$name.full.stderr"; then
    grep -q 'cannot verify fully: ' "$name.full.stderr" ||
      fail "--verify=full rejects the output: $(cat "$name.full.stderr")"
    wabt_reads=0
  fi
  if [ "$wabt_reads" = 1 ]; then
    "$cli" $args "$name.wasm" -t -o "$name.out.actual" || fail "-t failed"
    wasm-validate --enable-all "$name.out.wasm" || fail "the output does not validate"
    out_ext=out.wat
  fi
  if [ "$wabt_reads" = 0 ] || [ "$outfmt" = hex ]; then
    xxd -p "$name.out.wasm" > "$name.out.actual"
    out_ext=out.hex
  fi
  # Idempotence: the tool's output is a fixed point.
  "$cli" $args "$name.out.wasm" -o "$name.again.wasm" 2> "$name.again.stderr" ||
    fail "second run failed: $(cat "$name.again.stderr")"
  cmp -s "$name.out.wasm" "$name.again.wasm" || fail "second run changed the output"
  # (--init-once and --stub-wasi change a module without a hook: their plan
  # lines say so.)
  if head -n 1 "$name.plan.actual" | grep -q '^abi none' &&
    ! grep -q -E '^(init-once|stub-wasi) ' "$name.plan.actual"; then
    cmp -s "$name.wasm" "$name.out.wasm" || fail "nothing to rewrite, yet the output differs"
  fi
fi

check() { # check ACTUAL EXPECTED-FILE
  local actual=$1 expected=$src_dir/$2
  if [ "${BLESS:-0}" = 1 ]; then
    cp "$actual" "$expected"
    echo "blessed $2"
  elif [ ! -f "$expected" ]; then
    fail "missing expected file $2 (run with BLESS=1 and review)"
  elif ! diff -u "$expected" "$actual"; then
    fail "$2 differs"
  fi
}

check "$name.plan.actual" "$name.plan"
check "$name.stderr.actual" "$name.stderr"
if [ "$status" -eq 0 ]; then
  check "$name.out.actual" "$name.$out_ext"
  # A stale expectation of the other format would go unnoticed: refuse it.
  stale=out.wat; [ "$out_ext" = out.wat ] && stale=out.hex
else
  stale="out.wat out.hex"
fi
for s in $stale; do
  if [ -e "$src_dir/$name.$s" ]; then
    [ "${BLESS:-0}" = 1 ] && rm "$src_dir/$name.$s" && echo "removed stale $name.$s" && continue
    fail "stale expected file $name.$s"
  fi
done
echo "ok $name (exit $status)"
