#!/usr/bin/env bash
# shellcheck disable=SC2015  # COND && ok || fail: ok returns 0
# win-golden: every golden fixture (fixtures/*.wat, *.hex, with its ARGS,
# WAT2WASM and EMBED lines, as tests/golden/run-golden.sh reads them) is
# built into a module on Linux, then run as the golden runner runs it,
#   TOOL ARGS NAME.wasm -o NAME.out.wasm --plan
# once by the Linux reference build and once by wasm-taskwrap.exe under
# wine, each in its own directory with the same relative names: the exit
# status, standard output (the plan), standard error and output file must be
# byte-identical, and a failed run must leave neither output nor temporary.
# The reference is first checked against the golden files, so that a stale
# reference build cannot agree with a wrong Windows build.
# Fixtures whose ARGS need libwabt (-t, --verify=full) run differently: the
# Windows build has none, and must say so (exit 2, "this build has no
# libwabt") and write nothing; they are listed and counted apart.
# A sabotage check ends it: one flipped byte of a Windows output, one
# changed byte of its plan and of its standard error, must each be caught.
#   golden.sh FIXTURES_DIR WORKDIR
# env: TW_WIN_CLI (wasm-taskwrap.exe), TW_REF (the Linux wasm-taskwrap),
#      WAT2WASM, XXD, WASM_TOOLS, and wine.sh's.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../lib.sh"
. "$here/wine.sh"
. "$here/../golden/fixture.sh"
fixtures=$(cd "$1" && pwd) work=$2
: "${TW_WIN_CLI:?}" "${TW_REF:?}" "${WAT2WASM:?}" "${XXD:?}" "${WASM_TOOLS:?}"
[ -x "$TW_REF" ] || die "no Linux reference tool at $TW_REF (build it first: TW_REFERENCE_TOOL)"
rm -rf "$work"
mkdir -p "$work"
cd "$work"

# run DIR TOOL... : the golden runner's command in DIR, on DIR/NAME.wasm;
# DIR/status, DIR/plan, DIR/stderr.
run_in() {
  local dir=$1; shift
  local rc=0
  # shellcheck disable=SC2086  # ARGS is a word list by design
  (cd "$dir" && "$@" $args "$name.wasm" -o "$name.out.wasm" --plan > plan 2> stderr) || rc=$?
  echo "$rc" > "$dir/status"
}

# same LIN WIN: the two runs agree; each difference is said.
same() {
  local lin=$1 win=$2 what same=1
  for what in status plan stderr; do
    cmp -s "$lin/$what" "$win/$what" ||
      { echo "  $name: $what differs:"; diff "$lin/$what" "$win/$what" | cat -A | head -n 8; same=0; }
  done
  if [ -e "$lin/$name.out.wasm" ] || [ -e "$win/$name.out.wasm" ]; then
    cmp "$lin/$name.out.wasm" "$win/$name.out.wasm" || { echo "  $name: output differs"; same=0; }
  fi
  [ "$same" = 1 ]
}

# leftovers DIR: a failed run's output or temporary files.
# shellcheck disable=SC2010  # our own names
leftovers() {
  ls -A "$1" | grep -E "^(\.tw|$name\.out\.wasm$)" || true
}

# What the Windows build says of what needs libwabt (win-nowabt has the
# whole messages).
nowabt="wasm-taskwrap: this build has no libwabt: "
compared=0 identical=0 differently=() sample_out="" sample_err=""
for file in "$fixtures"/*.wat "$fixtures"/*.hex; do
  case "$file" in *.out.wat | *.out.hex) continue ;; esac
  name=$(basename "${file%.*}")
  args=$(fixture_setting "$file" ARGS)
  mkdir -p "lin/$name" "win/$name"
  fixture_module "$file" "lin/$name/$name" || { fail "$name: cannot build the module"; continue; }
  cp "lin/$name/$name.wasm" "win/$name/"

  run_in "lin/$name" "$TW_REF"
  # The reference agrees with the golden files (as run-golden.sh writes them).
  { cat "lin/$name/stderr"; echo "exit: $(cat "lin/$name/status")"; } > "lin/$name/stderr.golden"
  if ! cmp -s "lin/$name/plan" "$fixtures/$name.plan" ||
    ! cmp -s "lin/$name/stderr.golden" "$fixtures/$name.stderr"; then
    fail "$name: the reference $TW_REF disagrees with fixtures/$name.plan or .stderr (a stale build?)"
  fi

  run_in "win/$name" wrun "$TW_WIN_CLI"
  if [[ " $args " =~ \ (-t|--wat|--verify=full)\  ]]; then
    differently+=("$name")
    if [ "$(cat "win/$name/status")" = 2 ] && grep -q -F "$nowabt" "win/$name/stderr" &&
      [ ! -s "win/$name/plan" ] && [ -z "$(leftovers "win/$name")" ]; then
      ok "$name ($args): exit 2, no libwabt said, nothing written"
    else
      fail "$name ($args): exit $(cat "win/$name/status"), stderr: $(cat "win/$name/stderr"); wanted exit 2 and: $nowabt"
    fi
    continue
  fi
  compared=$((compared + 1))
  if [ "$(cat "win/$name/status")" != 0 ] && [ -n "$(leftovers "win/$name")" ]; then
    fail "$name: exit $(cat "win/$name/status") but left $(leftovers "win/$name")"
  elif same "lin/$name" "win/$name"; then
    identical=$((identical + 1))
    ok
    [ -n "$sample_out" ] || [ ! -s "win/$name/$name.out.wasm" ] || [ ! -s "win/$name/plan" ] ||
      sample_out=$name
    [ -n "$sample_err" ] || [ ! -s "win/$name/stderr" ] || sample_err=$name
  else
    fail "$name: the Windows run differs from the Linux one"
  fi
done
echo "win-golden: $compared compared, $identical identical;" \
  "${#differently[@]} run without libwabt (${differently[*]})"
[ "$compared" -ge 60 ] || fail "only $compared fixtures compared: fixtures not found?"

# Sabotage: copies of identical runs, broken three ways, must differ.
[ -n "$sample_out" ] && [ -n "$sample_err" ] || die "no fixture runs to sabotage"
for what in out plan stderr; do
  name=$sample_out
  [ "$what" = stderr ] && name=$sample_err
  rm -rf sabotage && cp -r "win/$name" sabotage
  case $what in
    out) flip_byte "sabotage/$name.out.wasm" 8 ;;
    *) flip_byte "sabotage/$what" 0 ;;
  esac
  if same "lin/$name" sabotage > /dev/null; then
    fail "sabotage: a changed $what of $name went unnoticed"
  else
    ok "sabotage: a changed $what of $name is caught"
  fi
done
summary
