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
#   ;; EMBED: NAME.wit --world W        (embed a WIT world first, with
#                                       `wasm-tools component embed`; each
#                                       EMBED line adds one component-type
#                                       section, in order; the .wit sits
#                                       beside the fixture)
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
# env WAT2WASM, WASM_VALIDATE, XXD, WASM_TOOLS: the tools (default: from PATH).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/fixture.sh"
WAT2WASM=${WAT2WASM:-wat2wasm} WASM_VALIDATE=${WASM_VALIDATE:-wasm-validate} XXD=${XXD:-xxd}
WASM_TOOLS=${WASM_TOOLS:-wasm-tools}

cli=$(realpath "$1") fixture=$2 work=$3
src_dir=$(cd "$(dirname "$fixture")" && pwd)
file=$(basename "$fixture")
name=${file%.*}
ext=${file##*.}
mkdir -p "$work"
cd "$work"
rm -f "$name".*

# The fixture's own settings, and its module.
args=$(fixture_setting "$src_dir/$file" ARGS)
outfmt=$(fixture_setting "$src_dir/$file" OUTPUT)
fixture_module "$src_dir/$file" "$name" || die "$name: cannot make its module"


status=0
# shellcheck disable=SC2086  # ARGS is a word list by design
"$cli" $args "$name.wasm" -o "$name.out.wasm" --plan > "$name.plan.actual" 2> "$name.stderr.actual" ||
  status=$?
echo "exit: $status" >> "$name.stderr.actual"

if [ "$status" -ne 0 ]; then
  [ ! -e "$name.out.wasm" ] || die "$name: exit $status but an output file was written"
  [ -z "$(ls -A . | grep -E '^\.tw' || true)" ] || die "$name: temporary file left behind"
else
  # libwabt validates the whole output in-process (--verify=full), unless the
  # module uses what wabt 1.0.32 cannot read, which must then be said.
  wabt_reads=1
  if ! "$cli" $args --verify=full "$name.wasm" --dry-run > /dev/null 2> "$name.full.stderr"; then
    grep -q 'cannot verify fully: ' "$name.full.stderr" ||
      die "$name: --verify=full rejects the output: $(cat "$name.full.stderr")"
    wabt_reads=0
  fi
  if [ "$wabt_reads" = 1 ]; then
    "$cli" $args "$name.wasm" -t -o "$name.out.actual" || die "$name: -t failed"
    "$WASM_VALIDATE" --enable-all "$name.out.wasm" || die "$name: the output does not validate"
    out_ext=out.wat
  fi
  if [ "$wabt_reads" = 0 ] || [ "$outfmt" = hex ]; then
    "$XXD" -p "$name.out.wasm" > "$name.out.actual"
    out_ext=out.hex
  fi
  # Idempotence: the tool's output is a fixed point.
  "$cli" $args "$name.out.wasm" -o "$name.again.wasm" 2> "$name.again.stderr" ||
    die "$name: second run failed: $(cat "$name.again.stderr")"
  cmp -s "$name.out.wasm" "$name.again.wasm" || die "$name: second run changed the output"
  # (--init-once and --stub-wasi change a module without a hook: their plan
  # lines say so.)
  if head -n 1 "$name.plan.actual" | grep -q '^abi none' &&
    ! grep -q -E '^(init-once|stub-wasi) ' "$name.plan.actual"; then
    cmp -s "$name.wasm" "$name.out.wasm" || die "$name: nothing to rewrite, yet the output differs"
  fi
fi

check_golden "$name.plan.actual" "$src_dir/$name.plan" || exit 1
check_golden "$name.stderr.actual" "$src_dir/$name.stderr" || exit 1
if [ "$status" -eq 0 ]; then
  check_golden "$name.out.actual" "$src_dir/$name.$out_ext" || exit 1
  # A stale expectation of the other format would go unnoticed: refuse it.
  stale=out.wat; [ "$out_ext" = out.wat ] && stale=out.hex
else
  stale="out.wat out.hex"
fi
for s in $stale; do
  if [ -e "$src_dir/$name.$s" ]; then
    blessing && rm "$src_dir/$name.$s" && echo "removed stale $name.$s" && continue
    die "$name: stale expected file $name.$s"
  fi
done
echo "ok $name (exit $status)"
