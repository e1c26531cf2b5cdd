#!/usr/bin/env bash
# win-stdio: a binary module through standard input and output on Windows
# (`- -o -`), where a stream in text mode would turn LF into CR LF, drop the
# CR of CR LF on reading, and end the input at the first 0x1a (Ctrl-Z).
# The modules carry those bytes (a data segment: 0a 0d 0a 1a 0d 1a 0a), one
# small, one of 459 KB (many pipe reads and writes); each goes through
# wasm-taskwrap.exe under wine from a file redirect, from a pipe, into a file
# and into a pipe, and must come out byte-identical to the Linux tool's
# output of the same module from a file.
#   stdio.sh FIXTURES_DIR WORKDIR
# env: TW_WIN_CLI, TW_REF, WAT2WASM, XXD, and wine.sh's.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../lib.sh"
. "$here/wine.sh"
work=$2
: "${TW_WIN_CLI:?}" "${TW_REF:?}" "${WAT2WASM:?}" "${XXD:?}"
rm -rf "$work"
mkdir -p "$work"
cd "$work"

bytes='\0a\0d\0a\1a\0d\1a\0a'
module() { # NAME DATA-STRING
  cat > "$1.wat" << EOF
(module
  (import "trace" "hook" (func \$trace_hook (param i32)))
  (memory (export "memory") 8)
  (func \$__wasm_task_hook (export "__wasm_task_hook") (param \$code i32)
    (call \$trace_hook (local.get \$code)))
  (func \$add (export "add") (param \$a i32) (param \$b i32) (result i32)
    (i32.add (local.get \$a) (local.get \$b)))
  (data (i32.const 16) "$2"))
EOF
  "$WAT2WASM" "$1.wat" -o "$1.wasm"
}
module small "$bytes"
big=$bytes
while [ ${#big} -lt 1000000 ]; do big+=$big; done # 2^16 times: 459 KB
module big "$big"

# check WAY: the run that ended with status $rc wrote $m.WAY.wasm, the Linux
# output, and nothing on standard error ($m.WAY.err).
check() {
  if [ "$rc" != 0 ]; then
    fail "$m $1: exit $rc: $(cat "$m.$1.err")"
  elif [ -s "$m.$1.err" ]; then
    fail "$m $1: standard error: $(cat "$m.$1.err")"
  elif ! cmp "$m.lin.wasm" "$m.$1.wasm"; then
    fail "$m $1: the output differs from the Linux tool's ($(stat -c %s "$m.$1.wasm") bytes, not $(stat -c %s "$m.lin.wasm"))"
  else
    ok "$m $1: byte-identical"
  fi
}
hex() { "$XXD" -p "$1" | tr -d '\n'; }
for m in small big; do
  "$TW_REF" "$m.wasm" -o "$m.lin.wasm" || die "$m: the Linux tool failed"
  # Not vacuous: the module and its rewrite hold the bytes a text-mode
  # stream would change, and the rewrite differs from the input.
  for f in "$m.wasm" "$m.lin.wasm"; do
    [[ $(hex "$f") == *0a0d0a1a0d1a0a* ]] || die "$f lacks the bytes 0a 0d 0a 1a"
  done
  ! cmp -s "$m.wasm" "$m.lin.wasm" || die "$m: the rewrite changed nothing"

  rc=0; wrun "$TW_WIN_CLI" - -o - < "$m.wasm" > "$m.redirect.wasm" 2> "$m.redirect.err" || rc=$?
  check redirect
  rc=0; { wrun "$TW_WIN_CLI" - -o - 2> "$m.pipe.err" || echo $? > rc; } < <(cat "$m.wasm") | cat > "$m.pipe.wasm"
  [ ! -e rc ] || { rc=$(cat rc); rm rc; }
  check pipe
  rc=0; wrun "$TW_WIN_CLI" "$m.wasm" -o - > "$m.file-in.wasm" 2> "$m.file-in.err" || rc=$?
  check file-in
  rc=0; wrun "$TW_WIN_CLI" - -o "$m.file-out.wasm" < "$m.wasm" 2> "$m.file-out.err" || rc=$?
  check file-out
done

# With the module on standard output, the plan goes to standard error: the
# same text as the Linux tool's.
rc=0; wrun "$TW_WIN_CLI" - -o - --plan < small.wasm > small.plan.wasm 2> small.plan.win || rc=$?
"$TW_REF" - -o - --plan < small.wasm > /dev/null 2> small.plan.lin
if [ "$rc" = 0 ] && cmp small.plan.lin small.plan.win && cmp small.lin.wasm small.plan.wasm; then
  ok "small --plan: the plan on standard error as on Linux, the module intact"
else
  fail "small --plan: exit $rc; plan:"; diff small.plan.lin small.plan.win | cat -A || true
fi

# Sabotage: what a text-mode standard output would have written (LF as
# CR LF) is not taken for the Linux output.
sed 's/$/\r/' small.lin.wasm > small.crlf.wasm
if cmp -s small.lin.wasm small.crlf.wasm; then
  fail "sabotage: a text-mode translation of the output goes unnoticed"
else
  ok "sabotage: a text-mode translation of the output is caught"
fi
summary
