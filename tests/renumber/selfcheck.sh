#!/usr/bin/env bash
# The renumber checks must catch a wrong rewrite: each case runs one of them
# with a sabotaged wasm-taskwrap (a wrapper around the real one) and expects
# it to fail with the right message.
# Usage: selfcheck.sh TASKWRAP WORKDIR   (env NODE WAT2WASM WASM2WAT
#        WASM_VALIDATE WASM_OBJDUMP CLANG, as for the checks)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
REAL=${1:?usage: selfcheck.sh TASKWRAP WORKDIR}
WORK=${2:?}
HERE=$(cd "$(dirname "$0")" && pwd)
NODE=${NODE:-node} WAT2WASM=${WAT2WASM:-wat2wasm} WASM2WAT=${WASM2WAT:-wasm2wat}
export WAT2WASM WASM2WAT
rm -rf "$WORK" && mkdir -p "$WORK"
BAD=$WORK/bad-taskwrap.sh

# The wrapper: BAD_MODE says what goes wrong. The text edits apply to the
# numeric (V1) or named (V2) wasm2wat form of tests/renumber/fixture.wat's
# output and fail loudly when their pattern is not there.
cat >"$BAD" <<'EOF'
#!/usr/bin/env bash
set -euo pipefail
args=() in= out=
while [ $# -gt 0 ]; do
  case $1 in
  -o) out=$2; shift ;;
  --strip-debug) [ "$BAD_MODE" = keep-debug ] || args+=("$1") ;;
  -*) args+=("$1") ;;
  *) in=$1 ;;
  esac
  shift
done
FEATURES="--enable-exceptions --enable-threads --enable-tail-call --enable-multi-memory"
edit() { # SED-SCRIPT PATTERN-THAT-MUST-BE-THERE [--debug-names]
  "$WASM2WAT" --enable-all --no-check "$out" >"$out.wat"
  grep -q -- "$2" "$out.wat" || { echo "bad-taskwrap: '$2' not in the output" >&2; exit 3; }
  sed -i "$1" "$out.wat"
  "$WAT2WASM" $FEATURES ${3:-} "$out.wat" -o "$out"
}
case $BAD_MODE in
identity) cp "$in" "$out"; exit 0 ;;
no-warning) "$BAD_REAL" "${args[@]}" "$in" -o "$out" 2>/dev/null; exit 0 ;;
esac
"$BAD_REAL" "${args[@]}" "$in" -o "$out"
case $BAD_MODE in
# Drop the name section (wasm-strip cannot read table initialisers).
no-names) "$NODE" -e '
  const fs = require("fs"), f = process.argv[1], b = fs.readFileSync(f), keep = [b.subarray(0, 8)];
  const leb = (p) => { let r = 0, s = 0, x; do { x = b[p.i++]; r |= (x & 127) << s; s += 7; } while (x & 128); return r; };
  for (const p = { i: 8 }; p.i < b.length;) {
    const start = p.i, id = b[p.i++], size = leb(p), end = p.i + size;
    const isName = id === 0 && leb(p) === 4 && b.subarray(p.i, p.i + 4).toString() === "name";
    if (!isName) keep.push(b.subarray(start, end));
    p.i = end;
  }
  fs.writeFileSync(f, Buffer.concat(keep));' "$out" ;;
# Function $a calls $b (3 once the import is gone): make it call $declared (5).
swap-call) if ! grep -q declared2 <("$WASM2WAT" --enable-all --no-check "$out"); then
    edit '0,/call 3$/s//call 5/' 'call 3$'; fi ;;
# The first active segment lists $a $b $imp0: swap the first two.
elem) if ! grep -q declared2 <("$WASM2WAT" --enable-all --no-check "$out"); then
    edit 's/(elem (;0;) (i32.const 0) func 2 3 0)/(elem (;0;) (i32.const 0) func 3 2 0)/' 'func 2 3 0)'; fi ;;
# A wrong function name, indices untouched (the V2 module only).
rename) if grep -q declared2 <("$WASM2WAT" --enable-all --no-check "$out"); then
    edit 's/\$declared2\b/$declaredX/g' '$declared2' --debug-names; fi ;;
keep-debug) ;;
*) echo "bad-taskwrap: unknown BAD_MODE $BAD_MODE" >&2; exit 2 ;;
esac
EOF
chmod +x "$BAD"
export BAD_REAL=$REAL NODE

# expect MODE PATTERN CHECK: the check (one of the functions below) fails, saying PATTERN.
expect() {
  local mode=$1 pattern=$2 check=$3 log=$WORK/$1.$3.log st=0
  export BAD_MODE=$mode
  "$check" >"$log" 2>&1 || st=$?
  if [ $st -ne 0 ] && grep -qF -- "$pattern" "$log"; then
    ok "$mode: $check fails with \"$pattern\""
  else
    fail "$mode: expected $check to fail with \"$pattern\" (exit $st):"
    sed 's/^/  /' "$log" | head -20
  fi
}
CORPUS() { "$NODE" "$HERE/corpus.mjs" --cli "$BAD" --work "$WORK/corpus-$BAD_MODE" "$HERE/fixture.wat"; }
BINARY() { "$NODE" "$HERE/binary.mjs" "$BAD" "$WORK/binary-$BAD_MODE"; }
DWARF() { bash "$HERE/dwarf.sh" "$BAD" "$WORK/dwarf-$BAD_MODE" fast; }
REFERENCED() { bash "$HERE/referenced.sh" "$BAD" "$WORK/referenced-$BAD_MODE" fast; }

expect identity 'expected one stub function' CORPUS
expect identity 'output differs' BINARY
expect identity 'call-grows: code offsets kept, expected moved' DWARF
expect identity 'FAIL: the output differs from referenced.expected.wat' REFERENCED
expect swap-call 'V1 (import only) differs from the original' CORPUS
expect elem 'V1 (import only) differs from the original' CORPUS
expect rename 'V2 (import called, names) differs from the expected module' CORPUS
expect no-names 'output differs' BINARY
expect no-names 'FAIL: function names differ' REFERENCED
expect no-names 'V2 (import called, names) differs' CORPUS
expect no-warning 'call-grows: offsets change but no warning' DWARF
expect keep-debug 'call-grows --strip-debug: stderr says' DWARF

summary
