#!/usr/bin/env bash
# shellcheck disable=SC2015  # COND && ok || fail: ok returns 0
# win-files: the output file on Windows (wasm-taskwrap.exe under wine),
# against the Linux tool's output and messages for the same command:
#   - -o onto an existing, larger file: replaced, contents the Linux output;
#   - -o onto a read-only file (attrib shows R): replaced, and read-only
#     still, as the POSIX build replaces a file of mode 0444;
#   - a failed run (not a module; a bad hook) leaves no output file, an
#     existing one as it was, and no .tw* temporary in the directory;
#   - -o into a directory that does not exist: exit 1, the Linux message
#     (the path spelt with \ as well as /);
#   - -o onto the input, by another spelling (.\NAME): refused, input intact;
#   - -o onto a symbolic link (a Unix one, which wine follows): its target
#     replaced, the link kept, as on Linux; a link to the input refused;
#   - -o onto a hidden, system and read-only file: all three kept;
#   - -o NUL: exit 0, nothing written anywhere;
#   - -o CON, PRN, LPT1, CONOUT$ and device names with an extension or
#     trailing dots: written into the device, or its open error; never a
#     rename over the name, never a file of that name;
#   - names with spaces and outside ASCII (Latin and CJK), relative and as
#     Z:\ paths, as input, output and in a message;
#   - --stub-wasi-dir refused, saying the Windows build cannot embed
#     directories; a HOSTDIR that is none said as on Linux;
#     --stub-wasi-arg/-env as on Linux.
#   files.sh FIXTURES_DIR WORKDIR
# env: TW_WIN_CLI, TW_REF, WAT2WASM, and wine.sh's.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../lib.sh"
. "$here/wine.sh"
fixtures=$(cd "$1" && pwd) work=$2
: "${TW_WIN_CLI:?}" "${TW_REF:?}" "${WAT2WASM:?}"
rm -rf "$work"
mkdir -p "$work/lin" "$work/win"
cd "$work"

"$WAT2WASM" --debug-names "$fixtures/example.wat" -o example.wasm
"$WAT2WASM" "$fixtures/bad-callback-type.wat" -o badhook.wasm
echo "not a module" > notwasm.wasm
"$TW_REF" example.wasm -o expected.wasm
! cmp -s example.wasm expected.wasm || die "the example is not rewritten: no test"

# lin ARGS... / win ARGS...: the tool in lin/ or win/; its status in $rc,
# its standard error in lin.err or win.err, standard output in *.out.
lin() { rc=0; (cd lin && "$TW_REF" "$@") > lin.out 2> lin.err || rc=$?; }
win() { rc=0; (cd win && wrun "$TW_WIN_CLI" "$@") > win.out 2> win.err || rc=$?; }
# temporaries DIR: the .tw* files left in DIR.
# shellcheck disable=SC2010  # our own names
temporaries() { ls -A "$1" | grep '^\.tw' || true; }
put() { # FILE...: the inputs into both directories
  for f in "$@"; do cp "$f" lin/; cp "$f" win/; done
}
put example.wasm badhook.wasm notwasm.wasm

# ---- onto an existing file, larger than the output
head -c 1000000 /dev/zero | tr '\0' x > win/existing.wasm
win example.wasm -o existing.wasm
if [ "$rc" = 0 ] && cmp -s expected.wasm win/existing.wasm && [ -z "$(temporaries win)" ]; then
  ok "-o onto an existing file: replaced"
else
  fail "-o onto an existing file: exit $rc, $(stat -c %s win/existing.wasm) bytes: $(cat win.err)"
fi

# ---- onto a read-only file
echo "old contents" > win/ro.wasm
chmod a-w win/ro.wasm
rc=0; (cd win && wrun cmd /c attrib ro.wasm) > attrib.out 2>&1 || rc=$?
if [ "$rc" = 0 ] && grep -q -E '^[A-Z ]*R[A-Z ]* .*ro\.wasm' attrib.out; then
  ok "attrib shows ro.wasm read-only"
else
  fail "attrib does not show ro.wasm read-only (exit $rc): $(cat attrib.out)"
fi
win example.wasm -o ro.wasm
# Replaced, and read-only still: as the POSIX build replaces a file of mode
# 0444 (src/platform_win32.c says so); wine shows the attribute as a mode
# without write bits.
if [ "$rc" = 0 ] && cmp -s expected.wasm win/ro.wasm && [ "$(stat -c %A win/ro.wasm | tr -d -c w)" = "" ]; then
  ok "-o onto a read-only file: replaced, read-only still"
else
  fail "-o onto a read-only file: exit $rc, mode $(stat -c %A win/ro.wasm), contents $(head -c 20 win/ro.wasm | od -An -c | head -n 1): $(cat win.err)"
fi
[ -z "$(temporaries win)" ] || fail "a temporary left after the read-only case: $(temporaries win)"
chmod u+w win/ro.wasm

# ---- failures leave nothing, and an existing output as it was
for bad in notwasm badhook; do
  lin "$bad.wasm" -o "$bad.out.wasm"
  lrc=$rc
  win "$bad.wasm" -o "$bad.out.wasm"
  if [ "$rc" = 1 ] && [ "$lrc" = 1 ] && cmp -s lin.err win.err && [ ! -e "win/$bad.out.wasm" ] &&
    [ -z "$(temporaries win)" ]; then
    ok "$bad: exit 1 with the Linux message, no output, no temporary"
  else
    fail "$bad: exit $rc (Linux $lrc), output $(ls win/"$bad".out.wasm 2>&1), temporaries $(temporaries win)"
    diff lin.err win.err | cat -A || true
  fi
  echo "earlier output" > "win/$bad.kept.wasm"
  win "$bad.wasm" -o "$bad.kept.wasm"
  if [ "$rc" = 1 ] && [ "$(cat "win/$bad.kept.wasm")" = "earlier output" ] && [ -z "$(temporaries win)" ]; then
    ok "$bad: an existing output left as it was"
  else
    fail "$bad: exit $rc, the existing output now $(head -c 20 "win/$bad.kept.wasm" | od -An -c | head -n 1)"
  fi
done

# ---- into a directory that does not exist; \ as well as /
for sep in / '\'; do
  lin example.wasm -o nodir/out.wasm
  lrc=$rc
  win example.wasm -o "nodir${sep}out.wasm"
  sed -i 's|nodir\\out|nodir/out|' win.err
  if [ "$rc" = 1 ] && [ "$lrc" = 1 ] && cmp -s lin.err win.err && [ ! -e win/nodir ]; then
    ok "-o nodir${sep}out.wasm: exit 1, $(cat win.err)"
  else
    fail "-o nodir${sep}out.wasm: exit $rc (Linux $lrc)"; diff lin.err win.err | cat -A || true
  fi
done

# ---- onto the input by another spelling
cp example.wasm win/self.wasm
cp example.wasm lin/self.wasm
lin self.wasm -o ./self.wasm
lrc=$rc
win self.wasm -o '.\self.wasm'
sed -i 's|\.\\self|./self|' win.err
if [ "$rc" = 1 ] && [ "$lrc" = 1 ] && cmp -s lin.err win.err && cmp -s example.wasm win/self.wasm; then
  ok "-o .\\self.wasm onto self.wasm: refused as on Linux, the input intact"
else
  fail "-o .\\self.wasm onto self.wasm: exit $rc (Linux $lrc), input $(cmp -s example.wasm win/self.wasm && echo intact || echo changed)"
  diff lin.err win.err | cat -A || true
fi

# ---- onto a symbolic link: the target replaced, the link kept (Linux
# does the same); a link to the input is the input
cp example.wasm win/target.wasm
ln -s target.wasm win/link.wasm
win example.wasm -o link.wasm
if [ "$rc" = 0 ] && [ "$(readlink win/link.wasm)" = target.wasm ] && cmp -s expected.wasm win/target.wasm &&
  [ -z "$(temporaries win)" ]; then
  ok "-o onto a symbolic link: its target replaced, the link kept"
else
  fail "-o onto a symbolic link: exit $rc, link.wasm $(stat -c %F win/link.wasm), target $(cmp -s expected.wasm win/target.wasm && echo replaced || echo not replaced): $(cat win.err)"
fi
for d in lin win; do cp example.wasm "$d/selfl.wasm"; ln -s selfl.wasm "$d/selflink.wasm"; done
lin selfl.wasm -o selflink.wasm
lrc=$rc
win selfl.wasm -o selflink.wasm
if [ "$rc" = 1 ] && [ "$lrc" = 1 ] && cmp -s lin.err win.err && cmp -s example.wasm win/selfl.wasm &&
  [ -L win/selflink.wasm ]; then
  ok "-o onto a link to the input: refused as on Linux, the input intact"
else
  fail "-o onto a link to the input: exit $rc (Linux $lrc)"; diff lin.err win.err | cat -A || true
fi
# Sabotage: the Linux tool, run the same way, keeps the link too (the
# behaviour compared with).
cp example.wasm lin/target.wasm
ln -s target.wasm lin/link.wasm
lin example.wasm -o link.wasm
[ "$rc" = 0 ] && [ -L lin/link.wasm ] && cmp -s expected.wasm lin/target.wasm &&
  ok "sabotage: the Linux tool keeps the link and replaces its target" ||
  fail "sabotage: the Linux tool on a link: exit $rc, $(stat -c %F lin/link.wasm)"

# ---- hidden, system and read-only: kept (wine's attrib takes one
# attribute a call)
attrs() { # FILE: the attribute letters attrib shows for win/FILE
  (cd win && wrun cmd /c attrib "$1") 2>&1 | sed 's/ *[A-Z]:\\.*//' | tr -d -c 'ASHR'
}
cp example.wasm win/hsr.wasm
for a in +h +s +r; do (cd win && wrun cmd /c attrib "$a" hsr.wasm) > /dev/null 2>&1; done
was=$(attrs hsr.wasm)
[ "$was" = ASHR ] || fail "attrib did not make hsr.wasm hidden, system and read-only: $was"
win example.wasm -o hsr.wasm
now=$(attrs hsr.wasm)
if [ "$rc" = 0 ] && cmp -s expected.wasm win/hsr.wasm && [ "$now" = "$was" ]; then
  ok "-o onto a hidden, system, read-only file: replaced, still $now"
else
  fail "-o onto a hidden, system, read-only file: exit $rc, attributes $was before, $now after: $(cat win.err)"
fi
chmod u+w win/hsr.wasm

# ---- DOS device names: written into the device, or its open error; never
# renamed over (no file of the name appears, and no temporary is left)
before=$(ls -A win)
opened=0
for dev in CON PRN lpt1 'CONOUT$' con.wasm 'Prn. .wasm' 'nul. '; do
  win example.wasm -o "$dev"
  if [ "$rc" = 0 ] && [ ! -s win.err ]; then
    ok "-o '$dev': written into the device"
  elif [ "$rc" = 1 ] && grep -q -F "wasm-taskwrap: $dev: error: cannot open output: " win.err; then
    ok "-o '$dev': exit 1, $(cat win.err)"
    opened=$((opened + 1))
  else
    fail "-o '$dev': exit $rc: $(cat win.err)"
  fi
  [ "$(ls -A win)" = "$before" ] || fail "-o '$dev' left files: $(comm -13 <(echo "$before") <(ls -A win))"
done
# PRN has no printer under wine: at least its open must have failed, so
# that the error path is the one tested.
[ "$opened" -gt 0 ] && ok "$opened device names could not be opened, and said so" ||
  fail "every device name opened: the open error path is untested"

# ---- -o NUL
before=$(ls -A win)
win example.wasm -o NUL
if [ "$rc" = 0 ] && [ ! -s win.err ] && [ ! -s win.out ] && [ "$(ls -A win)" = "$before" ]; then
  ok "-o NUL: exit 0, nothing written"
else
  fail "-o NUL: exit $rc, new files: $(comm -13 <(echo "$before") <(ls -A win)): $(cat win.err)"
fi

# ---- spaces and names outside ASCII
mkdir -p "win/with spaces" "lin/with spaces"
for n in 'ünïcødé módule' '模块 名'; do
  cp example.wasm "win/with spaces/$n.wasm"
  win "with spaces/$n.wasm" -o "with spaces/out $n.wasm"
  if [ "$rc" = 0 ] && cmp -s expected.wasm "win/with spaces/out $n.wasm" && [ ! -s win.err ]; then
    ok "\"with spaces/$n.wasm\" -o \"with spaces/out $n.wasm\""
  else
    fail "\"with spaces/$n.wasm\" -o \"with spaces/out $n.wasm\": exit $rc: $(cat win.err); $(ls win/with\ spaces)"
  fi
  rm -f "win/with spaces/out $n.wasm"
  abs=$(winpath "$PWD/win/with spaces")
  win "$abs\\$n.wasm" -o "$abs\\out $n.wasm"
  if [ "$rc" = 0 ] && cmp -s expected.wasm "win/with spaces/out $n.wasm"; then
    ok "\"$abs\\$n.wasm\" -o \"$abs\\out $n.wasm\""
  else
    fail "\"$abs\\$n.wasm\" -o \"$abs\\out $n.wasm\": exit $rc: $(cat win.err)"
  fi
  # In a message: the name as given, in UTF-8 as on Linux.
  cp notwasm.wasm "win/with spaces/bad $n.wasm"
  cp notwasm.wasm "lin/with spaces/bad $n.wasm"
  lin "with spaces/bad $n.wasm" -o x.wasm
  win "with spaces/bad $n.wasm" -o x.wasm
  if [ "$rc" = 1 ] && cmp -s lin.err win.err; then
    ok "a message naming \"with spaces/bad $n.wasm\" as on Linux"
  else
    fail "a message naming \"with spaces/bad $n.wasm\": exit $rc"; diff lin.err win.err | cat -A || true
  fi
done
[ -z "$(temporaries win)" ] && [ -z "$(temporaries "win/with spaces")" ] ||
  fail "temporaries left: $(temporaries win) $(temporaries "win/with spaces")"

# ---- --stub-wasi-dir: refused in the Windows build (its trees are read with
# POSIX calls only), with a message that says so, nothing written; a
# HOSTDIR that is none is said as on Linux; --stub-wasi-arg and
# --stub-wasi-env work, byte for byte as on Linux.
"$WAT2WASM" "$fixtures/stub-wasi-args-env.wat" -o argsenv.wasm
put argsenv.wasm
mkdir -p win/tree && echo hi > win/tree/f.txt
win --stub-wasi --stub-wasi-dir /d=tree argsenv.wasm -o dir.wasm
if [ "$rc" = 1 ] && [ ! -e win/dir.wasm ] && [ -z "$(temporaries win)" ] &&
  output_has -F "'/d=tree': the Windows build cannot embed directories" cat win.err; then
  ok "--stub-wasi-dir: refused: $(head -c 160 win.err)"
else
  fail "--stub-wasi-dir: exit $rc: $(cat win.err)"
fi
lin --stub-wasi --stub-wasi-dir /d=nowhere argsenv.wasm -o dir.wasm
cp lin.err lin-dir.err
win --stub-wasi --stub-wasi-dir /d=nowhere argsenv.wasm -o dir.wasm
if [ "$rc" = 1 ] && cmp -s lin-dir.err win.err && output_has -F 'nowhere is not a directory' cat win.err; then
  ok "--stub-wasi-dir with no such directory: the Linux message"
else
  fail "--stub-wasi-dir with no such directory: exit $rc: $(cat win.err) (Linux: $(cat lin-dir.err))"
fi
lin --stub-wasi --stub-wasi-arg prog --stub-wasi-env A=1 argsenv.wasm -o data.wasm
win --stub-wasi --stub-wasi-arg prog --stub-wasi-env A=1 argsenv.wasm -o data.wasm
if [ "$rc" = 0 ] && [ -s lin/data.wasm ] && cmp -s lin/data.wasm win/data.wasm; then
  ok "--stub-wasi-arg and --stub-wasi-env: the Linux output"
else
  fail "--stub-wasi-arg and --stub-wasi-env: exit $rc: $(cat win.err)"
fi

# Sabotage: the checks above see a leftover temporary and a changed byte.
touch win/.twSABOTAGE
[ -n "$(temporaries win)" ] && ok "sabotage: a .tw* temporary is seen" ||
  fail "sabotage: a .tw* temporary goes unseen"
rm win/.twSABOTAGE
cp expected.wasm sabotage.wasm
flip_byte sabotage.wasm 8
! cmp -s expected.wasm sabotage.wasm && ok "sabotage: a changed byte is seen" ||
  fail "sabotage: a changed byte goes unseen"
summary
