#!/usr/bin/env bash
# shellcheck disable=SC2015  # COND && ok || fail: ok returns 0
# win-nowabt: the Windows build has no libwabt (no MinGW package of it), and
# what needs it says so and writes nothing: text output (-t), text input (a
# .wat file) and --verify=full each exit 2 (a usage error: the command asks
# for what this build lacks) with the exact message below, and leave no
# output file and no .tw* temporary. What needs no libwabt still
# works alongside (--verify=fast, the default).
#   nowabt.sh FIXTURES_DIR WORKDIR
# env: TW_WIN_CLI, TW_REF, WAT2WASM, and wine.sh's.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../lib.sh"
. "$here/wine.sh"
fixtures=$(cd "$1" && pwd) work=$2
: "${TW_WIN_CLI:?}" "${TW_REF:?}" "${WAT2WASM:?}"
rm -rf "$work"
mkdir -p "$work"
cd "$work"
"$WAT2WASM" --debug-names "$fixtures/example.wat" -o example.wasm
cp "$fixtures/example.wat" example.wat
"$TW_REF" example.wasm -o expected.wasm

# case WHAT STATUS MESSAGE ARGS...: the run's status, its whole standard
# error, and nothing written (out.*, .tw*).
case_() {
  local what=$1 want_rc=$2 want_err=$3 rc=0; shift 3
  rm -f out.* && wrun "$TW_WIN_CLI" "$@" > stdout 2> stderr || rc=$?
  local left
  # shellcheck disable=SC2010  # our own names
  left=$(ls -A | grep -E '^(out\.|\.tw)' || true)
  if [ "$rc" = "$want_rc" ] && [ "$(cat stderr)" = "$want_err" ] && [ ! -s stdout ] && [ -z "$left" ]; then
    ok "$what: exit $rc, $want_err"
  else
    fail "$what: exit $rc (wanted $want_rc), left '$left', stderr:"
    diff <(echo "$want_err") stderr | cat -A || true
  fi
}
p='wasm-taskwrap' try=$'\nTry \'wasm-taskwrap --help\'.'
t_msg="$p: this build has no libwabt: -t (--wat) writes text with libwabt's writer; write the binary and use wasm2wat$try"
full_msg="$p: this build has no libwabt: --verify=full validates with libwabt; --verify=fast checks what wasm-taskwrap wrote$try"
case_ "-t" 2 "$t_msg" example.wasm -t -o out.wat
case_ "--wat -o -" 2 "$t_msg" --wat example.wasm -o -
case_ "text input" 2 \
  "$p: example.wat:0x0: error: this build has no libwabt: text input is assembled with libwabt; give the binary module (wat2wasm makes it)" \
  example.wat -o out.wasm
case_ "--verify=full" 2 "$full_msg" example.wasm --verify=full -o out.wasm

# Sabotage: a message that is not the one wanted is caught.
( TW_FAILED=0
  case_ "sabotage" 2 "$p: this build has no libwabt: --verify=full" example.wasm --verify=full -o out.wasm \
    > /dev/null
  [ "$TW_FAILED" = 1 ] ) && ok "sabotage: another message is caught" || fail "sabotage: another message passes"

# Without those, the same module is written (the cases above are not
# refusing everything).
rc=0; wrun "$TW_WIN_CLI" example.wasm --verify=fast -o out.wasm 2> stderr || rc=$?
[ "$rc" = 0 ] && cmp -s expected.wasm out.wasm && ok "--verify=fast: written as on Linux" ||
  fail "--verify=fast: exit $rc: $(cat stderr)"
summary
