#!/usr/bin/env bash
# shellcheck disable=SC2015  # COND && ok || fail: ok returns 0
# win-ld: wasm-taskwrap-ld.exe under wine finds its linker on a Windows PATH
# (;-separated; WINEPATH puts directories before the system's), runs it with
# the arguments it was given, and rewrites the module the link wrote.
# The linker is fake-wasm-ld.exe (tests/windows/fake-ld.c), copied in as
# wasm-ld.exe and as rust-lld.exe: it records the arguments it received and
# copies the example module (with its task hook) to the -o file. Checked:
#   - wasm-ld.exe found in the second directory of PATH; rust-lld.exe found
#     (and told -flavor wasm first) when no directory has wasm-ld.exe; the
#     first directory wins when both are there, as on Linux (src/ld.c);
#   - the arguments arrive unchanged: spaces, double quotes, backslashes
#     before a quote and at the end, an empty argument, @argfiles (whose -o
#     the rewrite follows, read with Windows quoting, or POSIX quoting after
#     --rsp-quoting=posix, as lld reads them);
#   - the output is the Linux tool's rewrite of the module (the hook export
#     gone); a failed link's status is passed on and nothing is rewritten;
#     no linker on PATH is said;
#   - @argfiles in UTF-16 (little- and big-endian, with their byte order
#     mark, as PowerShell 5 writes them) are read for -o;
#   - quoted PATH entries (a space, a ';' inside the quotes) are searched;
#   - a batch file (.bat, .cmd, any case, trailing dots and spaces) as the
#     linker is refused, exit 127, and never run; so is a directory ("Is a
#     directory");
#   - an output another process holds open without delete sharing, after
#     a failed rewrite: exit 1, and the wrapper says it could not remove it.
#   ld.sh FIXTURES_DIR WORKDIR
# env: TW_WIN_LD (wasm-taskwrap-ld.exe), TW_FAKE_LD, TW_REF, WAT2WASM,
#      WASM_TOOLS, and wine.sh's.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../lib.sh"
. "$here/wine.sh"
fixtures=$(cd "$1" && pwd) work=$2
: "${TW_WIN_LD:?}" "${TW_FAKE_LD:?}" "${TW_REF:?}" "${WAT2WASM:?}" "${WASM_TOOLS:?}"
rm -rf "$work"
mkdir -p "$work"/{empty,wasmld,rustlld,run}
cd "$work"
cp "$TW_FAKE_LD" wasmld/wasm-ld.exe
cp "$TW_FAKE_LD" rustlld/rust-lld.exe

"$WAT2WASM" --debug-names "$fixtures/example.wat" -o example.wasm
"$TW_REF" example.wasm -o expected.wasm
output_has -F '(export "__wasm_task_hook"' "$WASM_TOOLS" print example.wasm ||
  die "the example has no hook export: no test"
output_lacks -F '(export "__wasm_task_hook"' "$WASM_TOOLS" print expected.wasm ||
  die "the Linux rewrite keeps the hook export"

export FAKE_LD_LOG FAKE_LD_MODULE
FAKE_LD_LOG=$(winpath "$PWD/argv.log")
FAKE_LD_MODULE=$(winpath "$PWD/example.wasm")
unset FAKE_LD_EXIT TASKWRAP_WASM_LD TASKWRAP_FLAGS

# link PATH-DIRS ARGS...: wasm-taskwrap-ld.exe in run/ with PATH-DIRS (Unix
# paths, :-separated) before the system's PATH; status in $rc, standard
# error in ld.err, the linker's arguments (argv[0] dropped) in received,
# argv[0] in linker.
link() {
  local dirs=$1 d winpath_=; shift
  IFS=: read -r -a d <<< "$dirs"
  for x in "${d[@]}"; do winpath_+="${winpath_:+;}$(winpath "$PWD/$x")"; done
  link_raw "$winpath_" "$@"
}
# link_raw WINEPATH ARGS...: the same with WINEPATH as it is given.
link_raw() {
  local winpath_=$1; shift
  rm -f argv.log
  rc=0
  (cd run && WINEPATH=$winpath_ wrun "$TW_WIN_LD" "$@") > ld.out 2> ld.err || rc=$?
  if [ -e argv.log ]; then
    head -n 1 argv.log > linker
    tail -n +2 argv.log > received
  else
    : > linker; : > received
  fi
}
# lower FILE: its text in lower case (Windows' names ignore case).
lower() { local t; t=$(cat "$1"); echo "${t,,}"; }
# given ARGS...: the arguments one a line, as the linker must receive them.
given() { printf '%s\n' "$@" > given; }

# The hard arguments: spaces, quotes, backslashes before quotes and at the
# end, an empty one, a tab.
hard=('a b' 'say "hi"' 'back\slash' 'tail\' 'bq\"x' 'two\\"y' '' $'tab\there' '"' '\\')

# ---- wasm-ld.exe in the second directory of PATH
args=(-o out1.wasm "${hard[@]}" --export=x)
link empty:wasmld "${args[@]}"
given "${args[@]}"
[ "$rc" = 0 ] && ok "wasm-ld.exe on PATH: exit 0" || fail "wasm-ld.exe on PATH: exit $rc: $(cat ld.err)"
[[ $(lower linker) == *[\\/]wasmld[\\/]wasm-ld.exe ]] && ok "wasm-ld.exe found: $(cat linker)" ||
  fail "the linker run is '$(cat linker)', not wasmld\\wasm-ld.exe"
diff given received && ok "the arguments arrive unchanged" ||
  fail "the linker received other arguments (above: < given, > received)"
cmp expected.wasm run/out1.wasm && ok "out1.wasm is the Linux tool's rewrite" ||
  fail "out1.wasm is not the Linux tool's rewrite"
if [ -e run/out1.wasm ]; then
  output_lacks -F '(export "__wasm_task_hook"' "$WASM_TOOLS" print run/out1.wasm &&
    ok "the hook export is gone" || fail "out1.wasm keeps the hook export"
fi

# ---- @argfiles, passed on unchanged and followed to their -o: quoted the
# Windows way (lld's default on Windows), or the POSIX way when
# --rsp-quoting=posix says so (what wasm-component-ld passes)
printf '%s\n' '--export=y' '-o "out 2.wasm"' '"quoted arg" back\slash' > run/win.rsp
printf '%s\n' '--export=y' "-o 'out 2p.wasm'" "'it''s'" > run/posix.rsp
for rsp in win.rsp:out\ 2.wasm posix.rsp:out\ 2p.wasm; do
  out=${rsp#*:} rsp=${rsp%%:*}
  args=("@$rsp" 'c d')
  [ "$rsp" = posix.rsp ] && args+=(--rsp-quoting=posix)
  link empty:wasmld "${args[@]}"
  given "${args[@]}"
  diff given received && ok "@$rsp passed on unchanged" || fail "@$rsp: the linker received other arguments"
  if [ "$rc" = 0 ] && cmp expected.wasm "run/$out"; then
    ok "@$rsp: its -o '$out' rewritten"
  else
    fail "@$rsp: exit $rc, '$out' not the Linux rewrite: $(cat ld.err)"
  fi
done

# ---- rust-lld.exe alone: -flavor wasm first
args=(-o out3.wasm "${hard[@]}")
link empty:rustlld "${args[@]}"
given -flavor wasm "${args[@]}"
[[ $(lower linker) == *[\\/]rustlld[\\/]rust-lld.exe ]] && diff given received &&
  ok "rust-lld.exe found, -flavor wasm first, the arguments unchanged" ||
  fail "rust-lld.exe: linker '$(cat linker)', arguments above"
[ "$rc" = 0 ] && cmp expected.wasm run/out3.wasm && ok "rust-lld.exe: out3.wasm rewritten" ||
  fail "rust-lld.exe: exit $rc: $(cat ld.err)"

# ---- both: the first directory wins
link rustlld:wasmld -o out4.wasm
[[ $(lower linker) == *[\\/]rustlld[\\/]rust-lld.exe ]] &&
  ok "rust-lld.exe in the first directory is taken before wasm-ld.exe in the second" ||
  fail "PATH order: the linker run is $(cat linker)"
link wasmld:rustlld -o out5.wasm
[[ $(lower linker) == *[\\/]wasmld[\\/]wasm-ld.exe ]] &&
  ok "wasm-ld.exe in the first directory is taken before rust-lld.exe in the second" ||
  fail "PATH order: the linker run is $(cat linker)"

# ---- a failed link: its status, nothing rewritten
cp example.wasm run/out6.wasm
FAKE_LD_EXIT=3 link wasmld -o out6.wasm
if [ "$rc" = 3 ] && cmp -s example.wasm run/out6.wasm; then
  ok "a failed link (exit 3): exit 3, the file not rewritten"
else
  fail "a failed link: exit $rc: $(cat ld.err)"
fi

# ---- no linker on PATH
link empty -o out7.wasm
if [ "$rc" = 1 ] && grep -q -F 'no wasm-ld' ld.err && [ ! -e run/out7.wasm ]; then
  ok "no linker on PATH: exit 1, $(cat ld.err)"
else
  fail "no linker on PATH: exit $rc: $(cat ld.err)"
fi

# ---- @argfiles in UTF-16 with a byte order mark (PowerShell 5's Out-File
# and '>' write UTF-16LE): converted to UTF-8 before they are split, as
# lld converts them on every host; the name has a letter outside the BMP
# (a surrogate pair) and one outside ASCII.
for enc in UTF-16LE UTF-16BE; do
  name="u16 $enc é𝄞.wasm"
  { if [ "$enc" = UTF-16LE ]; then printf '\377\376'; else printf '\376\377'; fi
    printf -- '--export=y\r\n-o "%s"\r\n' "$name" | iconv -f UTF-8 -t "$enc"; } > "run/$enc.rsp"
  link empty:wasmld "@$enc.rsp"
  if [ "$rc" = 0 ] && cmp expected.wasm "run/$name"; then
    ok "@argfile in $enc: its -o '$name' rewritten"
  else
    fail "@argfile in $enc: exit $rc, '$name' not the Linux rewrite: $(cat ld.err)"
  fi
done
# UTF-16 that cannot be converted (an unpaired surrogate) fails before
# anything is linked, as lld cannot read it either.
printf '\377\376\000\330-\000o\000' > run/bad16.rsp
link empty:wasmld @bad16.rsp
if [ "$rc" = 1 ] && [ ! -e argv.log ] &&
  grep -q -F 'wasm-taskwrap-ld: bad16.rsp:0x2: error: @argfile not UTF-16' ld.err; then
  ok "an @argfile of broken UTF-16: exit 1, nothing linked: $(cat ld.err)"
else
  fail "an @argfile of broken UTF-16: exit $rc, linker run: $([ -e argv.log ] && echo yes || echo no): $(cat ld.err)"
fi

# ---- quoted PATH entries: quotes dropped, a ';' inside them part of the
# directory's name (Rust's std::env::split_paths, which wasm-component-ld
# uses); a quoted stretch may also be in the middle of an entry.
mkdir -p "q dir" "semi;colon"
cp wasmld/wasm-ld.exe "q dir/"
cp wasmld/wasm-ld.exe "semi;colon/"
empty=$(winpath "$PWD/empty")
for run in "q dir|$empty;\"$(winpath "$PWD/q dir")\"" \
           "semi;colon|\"$(winpath "$PWD/semi;colon")\";$empty" \
           "semi;colon|$(winpath "$PWD")\\se\"mi;co\"lon;$empty"; do
  want=${run%%|*} wp=${run#*|}
  link_raw "$wp" -o qpath.wasm
  if [ "$rc" = 0 ] && [[ $(lower linker) == *"\\${want}\\wasm-ld.exe" ]] && cmp expected.wasm run/qpath.wasm; then
    ok "PATH $wp: $(cat linker)"
  else
    fail "PATH $wp: exit $rc, linker '$(cat linker)': $(cat ld.err)"
  fi
  rm -f run/qpath.wasm
done

# ---- a batch file as the linker: cmd.exe would read the arguments again
# (%PATH% expanded, & obeyed); refused before anything runs.
mkdir -p bat
printf '@echo ran %%* > %s\r\n' "$(winpath "$PWD/argv.log")" > bat/ld.bat
cp bat/ld.bat bat/LD.CMD
cp bat/ld.bat bat/dots.bat
for l in "$(winpath "$PWD/bat/ld.bat")" "$(winpath "$PWD/bat/LD.CMD")" "$(winpath "$PWD/bat/dots.bat"). ." \
         LD.Cmd; do
  TASKWRAP_WASM_LD=$l link bat -o bat.wasm '%PATH%' '&' 'echo' 'x'
  if [ "$rc" = 127 ] && [ ! -e argv.log ] && [ ! -e run/bat.wasm ] &&
    grep -q -F ": a batch file cannot be the linker: cmd.exe would re-read its arguments; name the linker's .exe" ld.err; then
    ok "TASKWRAP_WASM_LD=$l: refused, exit 127, not run"
  else
    fail "TASKWRAP_WASM_LD=$l: exit $rc, run: $(cat argv.log 2>/dev/null): $(cat ld.err)"
  fi
done
# Sabotage: cmd.exe does run that batch file, %PATH% expanded.
rm -f argv.log
(cd run && wrun cmd /c "$(winpath "$PWD/../bat/ld.bat")" '%PATH%') > /dev/null 2>&1 || true
grep -q -i 'ran .*system32' argv.log 2> /dev/null && ok "sabotage: the batch file runs, %PATH% expanded, under cmd.exe" ||
  fail "sabotage: the batch file did not run under cmd.exe: $(cat argv.log 2>/dev/null)"
# A directory as the linker.
TASKWRAP_WASM_LD=$(winpath "$PWD/bat") link empty -o dir.wasm
[ "$rc" = 127 ] && grep -q -F "$(winpath "$PWD/bat"): Is a directory" ld.err &&
  ok "TASKWRAP_WASM_LD a directory: exit 127, $(cat ld.err)" || fail "a directory as the linker: exit $rc: $(cat ld.err)"

# ---- an output held open by another process (without delete sharing)
# after a failed rewrite: the rename fails, and so does the removal, which
# is said; exit 1. The holder ends with the wrapper (fake-ld.c).
FAKE_LD_HOLD=1 link wasmld -o held.wasm
if [ "$rc" = 1 ] && [ -e run/held.wasm ] &&
  grep -q -F "wasm-taskwrap-ld: error: cannot remove held.wasm after the failed rewrite: File in use by another process; delete it before the next build" ld.err; then
  ok "an output held open: exit 1, $(tail -n 1 ld.err)"
else
  fail "an output held open: exit $rc, $(ls run/held.wasm 2>&1): $(cat ld.err)"
fi
# Sabotage: not held, the same link is rewritten.
link wasmld -o held2.wasm
[ "$rc" = 0 ] && cmp -s expected.wasm run/held2.wasm && ok "sabotage: not held, the output is rewritten" ||
  fail "sabotage: an output not held: exit $rc: $(cat ld.err)"

# Sabotage: an argument lost or changed on the way is seen by the diff.
given "${hard[@]}"
printf '%s\n' "${hard[@]:0:6}" "${hard[@]:7}" > received
! diff -q given received > /dev/null && ok "sabotage: a dropped empty argument is seen" ||
  fail "sabotage: a dropped empty argument goes unseen"
printf '%s\n' "${hard[@]}" | sed 's/\\"/"/' > received
! diff -q given received > /dev/null && ok "sabotage: a lost backslash is seen" ||
  fail "sabotage: a lost backslash goes unseen"
summary
