#!/usr/bin/env bash
# ld-wrapper: wasm-taskwrap-ld as the linker clang runs (-fuse-ld=PATH).
#   ld.sh WASM_TASKWRAP_LD WASM_TASKWRAP CLANG WASM_LD SRC WORK
#   (env CC: the C compiler for the test's LD_PRELOAD shim)
# Its output equals wasm-ld's output rewritten by wasm-taskwrap (with the
# options of TASKWRAP_FLAGS); a module without a hook, a relocatable link
# and a failed link pass through as wasm-ld made them; a failed rewrite
# (also a write past the file size limit) fails the link with
# wasm-taskwrap's message and removes the linker's output, as ld does; bad
# TASKWRAP_FLAGS fail before anything is linked; an @argfile is read, also
# one named in another, also one in UTF-16 (either byte order, with its
# byte order mark), and one of broken UTF-16 fails before anything is
# linked; an output that cannot be removed after a failed rewrite is said; wasm-ld is found on PATH past the wrapper itself
# (and past a directory of that name; an empty PATH entry is the working
# directory), and so is a bare TASKWRAP_WASM_LD; a rust-lld is run with
# -flavor wasm; a TASKWRAP_WASM_LD that is the wrapper, or that runs it
# again, is refused. Only a regular file the link wrote is rewritten: a run
# that writes nothing (--version, --help) touches no file (an a.out
# included), and -o -, -o /dev/stdout and -o /dev/null pass through,
# standard input never read.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh" || exit 1
common=$(realpath "$(dirname "${BASH_SOURCE[0]}")/../common") # wasmbin.py
ldw=$(realpath "$1") tw=$(realpath "$2") clang=$3 wasm_ld=$4 src=$5 work=$6
CC=${CC:-cc}
# (wasm_ld as given: lld is one binary that acts by the name it is run as)
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
cc() { "$clang" --target=wasm32-wasi -O1 -c "$src/$1.c" -o "$1.o" || die "cannot compile $1.c"; }
cc hook
cc bad-hook
printf 'int run(void) { return 3; }\n' > plain.c && "$clang" --target=wasm32-wasi -c plain.c -o plain.o
link() { # OUT OBJ [ENV...]: link a reactor through the wrapper
  local out=$1 obj=$2; shift 2
  env "$@" TASKWRAP_WASM_LD="$wasm_ld" "$clang" --target=wasm32-wasi -mexec-model=reactor \
    -fuse-ld="$ldw" "$obj" -Wl,--export=run -o "$out"
}
"$clang" --target=wasm32-wasi -mexec-model=reactor -fuse-ld="$wasm_ld" hook.o -Wl,--export=run -o hook.plain.wasm
"$tw" hook.plain.wasm -o hook.expect.wasm || die "wasm-taskwrap failed on the plain link"

link hook.wasm hook.o && cmp -s hook.wasm hook.expect.wasm &&
  ok "a hooked reactor: wasm-ld's output rewritten in place" || fail "hooked link differs from wasm-ld + wasm-taskwrap"
"$tw" --init-once hook.plain.wasm -o hook.once.expect.wasm
link hook.once.wasm hook.o TASKWRAP_FLAGS="--init-once --verify=full" &&
  cmp -s hook.once.wasm hook.once.expect.wasm && ok "TASKWRAP_FLAGS are the command line's" ||
  fail "TASKWRAP_FLAGS=--init-once"
"$tw" --check --init-once hook.plain.wasm hook.once.wasm && ok "--check agrees" || fail "--check of the linked module"

"$clang" --target=wasm32-wasi -mexec-model=reactor -fuse-ld="$wasm_ld" plain.o -Wl,--export=run -o plain.plain.wasm
link plain.wasm plain.o && cmp -s plain.wasm plain.plain.wasm &&
  ok "no hook: the linker's output, byte for byte" || fail "a module without a hook changed"

"$wasm_ld" -r hook.o -o rel.expect.o
TASKWRAP_WASM_LD="$wasm_ld" "$ldw" -r hook.o -o rel.o && cmp -s rel.o rel.expect.o &&
  ok "-r passes through" || fail "-r changed the object"

"$wasm_ld" --no-entry --no-such-option hook.o -o undef.plain.wasm 2> /dev/null
want=$?
TASKWRAP_WASM_LD="$wasm_ld" "$ldw" --no-entry --no-such-option hook.o -o undef.wasm 2> undef.err
got=$?
[ "$got" = "$want" ] && [ "$got" != 0 ] && grep -q 'no-such-option' undef.err && [ ! -e undef.wasm ] &&
  ok "a failed link: the linker's status ($got) and message" || fail "failed link: exit $got, want $want"

link bad.wasm bad-hook.o 2> bad.err
st=$?
[ "$st" = 1 ] && grep -q "^wasm-taskwrap-ld: bad.wasm:0x[0-9a-f]*: error: .*__wasm_task_hook.* has type" bad.err &&
  ok "a failed rewrite fails the link with wasm-taskwrap's message" ||
  fail "failed rewrite: exit $st: $(cat bad.err)"
# Run directly (clang would also remove a failed link's output), the
# wrapper removes the linker's output, as ld removes the output of a failed
# link: a module left without its wrappers would be newer than its objects,
# and the next make would take it as up to date.
TASKWRAP_WASM_LD="$wasm_ld" "$ldw" --no-entry --export=run bad-hook.o -o bad-direct.wasm 2> bad-direct.err
st=$?
[ "$st" = 1 ] && grep -q "__wasm_task_hook" bad-direct.err && [ ! -e bad-direct.wasm ] &&
  ok "a failed rewrite removes the linker's output" || fail "failed rewrite: exit $st, $(ls bad-direct.wasm 2>&1)"
# Sabotage: the linker alone does write that file.
"$wasm_ld" --no-entry --export=run bad-hook.o -o bad-plain.wasm && [ -s bad-plain.wasm ] &&
  ok "sabotage: wasm-ld itself writes the output the wrapper then removes" || fail "sabotage: wasm-ld wrote nothing"

# A write that fails (past the file size limit, which the library takes as
# the write's error, not as a death by SIGXFSZ) fails the link the same
# way. The module is put in place first; the "linker" only touches it (a
# file the link did not write is not rewritten).
PYTHONPATH="$common" python3 - <<'PY2'
from wasmbin import leb, sec, name
data = bytes(2 << 20)
open('big.wasm', 'wb').write(
    b'\0asm\1\0\0\0' + sec(1, b'\x02\x60\x01\x7f\x00\x60\x00\x00') + sec(3, b'\x02\x00\x01') +
    sec(5, b'\x01\x00' + leb(len(data) // 65536 + 1)) +
    sec(7, b'\x02' + name('__wasm_task_hook') + b'\x00\x00' + name('run') + b'\x00\x01') +
    sec(10, b'\x02\x02\x00\x0b\x02\x00\x0b') + sec(11, b'\x01\x00\x41\x00\x0b' + leb(len(data)) + data))
PY2
printf '#!/bin/sh\nfor a; do [ "$prev" = -o ] && touch "$a"; prev=$a; done\n' > touch-ld
chmod +x touch-ld
( ulimit -f 1024; TASKWRAP_WASM_LD=$PWD/touch-ld exec env --default-signal "$ldw" -o big.wasm ) 2>&1 | cat > big.err
st=${PIPESTATUS[0]}
[ "$st" = 1 ] && grep -q '^wasm-taskwrap-ld: big.wasm: error: cannot write output: File too large' big.err &&
  [ ! -e big.wasm ] && [ -z "$(ls -A | grep -E '^\.tw|\.tmp-' || true)" ] &&
  ok "past the file size limit: exit 1, File too large, the output removed, nothing left" ||
  fail "file size limit: exit $st: $(cat big.err) $(ls -A | grep -E 'big.wasm|^\.tw|\.tmp-')"

mkdir -p "out dir"
printf '%s\n' "-m wasm32 --no-entry --export=run" \
  "-L$(dirname "$(dirname "$wasm_ld")")" "hook.o -o 'out dir/arg.wasm'" > args.rsp
"$wasm_ld" --no-entry --export=run hook.o -o argplain.wasm &&
  "$tw" argplain.wasm -o arg.expect.wasm
TASKWRAP_WASM_LD="$wasm_ld" "$ldw" @args.rsp 2> arg.err && cmp -s "out dir/arg.wasm" arg.expect.wasm &&
  ok "an @argfile (POSIX quoting) is read for the output" || fail "@argfile: $(cat arg.err)"

# UTF-16 @argfiles (PowerShell 5 writes them): converted to UTF-8 before
# they are split, as lld does on every host; a name with a letter outside
# the BMP (a surrogate pair in UTF-16).
for enc in UTF-16LE UTF-16BE; do
  name="u16 $enc é𝄞.wasm"
  { if [ "$enc" = UTF-16LE ]; then printf '\377\376'; else printf '\376\377'; fi
    printf -- "--no-entry --export=run\r\nhook.o -o '%s'\r\n" "$name" | iconv -f UTF-8 -t "$enc"; } > "$enc.rsp"
  rm -f "$name"
  "$wasm_ld" "@$enc.rsp" && cmp -s "$name" argplain.wasm && rm "$name" ||
    fail "sabotage: wasm-ld itself does not read @$enc.rsp for -o '$name'"
  TASKWRAP_WASM_LD="$wasm_ld" "$ldw" "@$enc.rsp" 2> u16.err && cmp -s "$name" arg.expect.wasm &&
    ok "an @argfile in $enc is read for the output" || fail "@argfile in $enc: $(cat u16.err)"
done
# Broken UTF-16 (an unpaired surrogate, an odd length), which lld cannot
# convert either: exit 1 before anything is linked.
printf '\377\376\000\330-\000o\000' > bad16.rsp
printf '\376\377\000-\000o\000' > odd16.rsp
for rsp in bad16.rsp:0x2:'an unpaired high surrogate' odd16.rsp:0x6:'an odd number of bytes'; do
  IFS=: read -r f at why <<< "$rsp"
  TASKWRAP_WASM_LD=$PWD/touch-ld "$ldw" --no-entry hook.o "@$f" -o bad16.wasm 2> bad16.err
  st=$?
  [ "$st" = 1 ] && [ ! -e bad16.wasm ] &&
    grep -q -F "wasm-taskwrap-ld: $f:$at: error: @argfile not UTF-16 though it starts with a UTF-16 byte order mark ($why)" bad16.err &&
    ok "@$f: exit 1, nothing linked: $(cat bad16.err)" || fail "@$f: exit $st: $(cat bad16.err)"
done

# An output that cannot be removed after a failed rewrite (its directory
# made read-only by the "linker" once it wrote it; as another user where
# the test runs as root, whom permissions do not stop) is said, exit 1.
cat > ro-ld <<'SH'
#!/bin/sh
for a; do [ "$prev" = -o ] && out=$a; prev=$a; done
cp "$RO_LD_MODULE" "$out" && { [ -n "$RO_LD_KEEP" ] || chmod a-w "$(dirname "$out")"; }
SH
chmod 755 ro-ld
as_user=()
if [ "$(id -u)" = 0 ]; then
  command -v setpriv > /dev/null && as_user=(setpriv --reuid=1234 --regid=1234 --clear-groups)
fi
if [ "$(id -u)" != 0 ] || [ ${#as_user[@]} -gt 0 ]; then
  rm -rf rodir && mkdir rodir && cp bad-plain.wasm rodir/bad.wasm
  [ "$(id -u)" = 0 ] && chown -R 1234:1234 rodir
  "${as_user[@]}" env RO_LD_MODULE=rodir/bad.wasm TASKWRAP_WASM_LD="$PWD/ro-ld" "$ldw" -o rodir/out.wasm 2> ro.err
  st=$?
  [ "$st" = 1 ] && [ -e rodir/out.wasm ] && grep -q "^wasm-taskwrap-ld: rodir/out.wasm:0x[0-9a-f]*: error: .*__wasm_task_hook" ro.err &&
    grep -q -F "wasm-taskwrap-ld: error: cannot remove rodir/out.wasm after the failed rewrite: Permission denied; delete it before the next build" ro.err &&
    ok "an output that cannot be removed after a failed rewrite: exit 1, said" ||
    fail "unremovable output: exit $st: $(cat ro.err)"
  chmod u+w rodir
  # Sabotage: the directory left writable, the output is removed, silently.
  "${as_user[@]}" env RO_LD_MODULE=rodir/bad.wasm RO_LD_KEEP=1 TASKWRAP_WASM_LD="$PWD/ro-ld" "$ldw" -o rodir/out.wasm 2> ro.err
  st=$?
  [ "$st" = 1 ] && [ ! -e rodir/out.wasm ] && ! grep -q 'cannot remove' ro.err &&
    ok "sabotage: the same failed rewrite in a writable directory removes the output" ||
    fail "sabotage: writable directory: exit $st, $(ls rodir/out.wasm 2>&1): $(cat ro.err)"
else
  skip "an output that cannot be removed: needs a user other than root (setpriv)"
fi

mkdir -p bin
ln -sf "$ldw" bin/wasm-ld
PATH="$work/bin:$(dirname "$wasm_ld"):$PATH" bin/wasm-ld --no-entry --export=run \
  hook.o -o path.wasm 2> path.err && cmp -s path.wasm arg.expect.wasm &&
  ok "wasm-ld found on PATH past the wrapper itself" || fail "PATH lookup: $(cat path.err)"

link flags.wasm hook.o TASKWRAP_FLAGS="--frobnicate" 2> flags.err
[ $? = 1 ] && grep -q "TASKWRAP_FLAGS: unknown option '--frobnicate'" flags.err &&
  ok "a bad TASKWRAP_FLAGS fails the link" || fail "bad flags: $(cat flags.err)"
# ... before anything is linked: no module without its wrappers appears
# (run directly: clang would remove a failed link's output itself).
TASKWRAP_WASM_LD="$wasm_ld" TASKWRAP_FLAGS="--frobnicate" "$ldw" --no-entry --export=run hook.o \
  -o flags-direct.wasm 2> /dev/null
[ $? = 1 ] && [ ! -e flags-direct.wasm ] && ok "bad TASKWRAP_FLAGS: nothing linked" ||
  fail "bad TASKWRAP_FLAGS: flags-direct.wasm was linked"
link flags0.wasm hook.o TASKWRAP_FLAGS="--stub-wasi-output env:log" 2> flags0.err
[ $? = 1 ] && grep -q "^wasm-taskwrap-ld: error: TASKWRAP_FLAGS: --stub-wasi-output needs --stub-wasi$" flags0.err &&
  ! grep -q 0x flags0.err && [ ! -e flags0.wasm ] &&
  ok "TASKWRAP_FLAGS: --stub-wasi-output without --stub-wasi, the command line's usage message" ||
  fail "--stub-wasi-output alone: $(cat flags0.err)"
# The same parser as the command line's: a switch takes no value, a
# valued option needs one.
link flags2.wasm hook.o TASKWRAP_FLAGS="--init-once=x" 2> flags2.err
[ $? = 1 ] && grep -q "TASKWRAP_FLAGS: --init-once takes no value" flags2.err &&
  ok "TASKWRAP_FLAGS: a switch given a value fails the link" || fail "--init-once=x: $(cat flags2.err)"
link flags3.wasm hook.o TASKWRAP_FLAGS="--only" 2> flags3.err
[ $? = 1 ] && grep -q "TASKWRAP_FLAGS: --only needs a pattern" flags3.err &&
  ok "TASKWRAP_FLAGS: a valued option without its value fails the link" || fail "--only: $(cat flags3.err)"

# TASKWRAP_WASM_LD: a bare name is looked up on PATH, past the wrapper
# itself (bin/wasm-ld above is the wrapper).
PATH="$work/bin:$(dirname "$wasm_ld"):$PATH" TASKWRAP_WASM_LD=wasm-ld "$ldw" --no-entry --export=run \
  hook.o -o bare.wasm 2> bare.err && cmp -s bare.wasm arg.expect.wasm &&
  ok "a bare TASKWRAP_WASM_LD=wasm-ld is looked up on PATH" || fail "bare name: $(cat bare.err)"
TASKWRAP_WASM_LD=no-such-linker "$ldw" --no-entry hook.o -o none.wasm 2> none.err
[ $? = 1 ] && grep -q "TASKWRAP_WASM_LD: no 'no-such-linker' on PATH" none.err && [ ! -e none.wasm ] &&
  ok "a bare TASKWRAP_WASM_LD not on PATH: exit 1, says so" || fail "missing bare linker: $(cat none.err)"

# A TASKWRAP_WASM_LD that is the wrapper (by its path, or a link to it), or
# a script that runs it, would run itself without end: refused. The shim
# bounds the loop for a wrapper that would not refuse (exit 99).
command "$CC" -shared -fPIC -O1 -o depth-guard.so "$src/depth-guard.c" || die "cannot build depth-guard.so"
guarded() {
  env LD_PRELOAD="$PWD/depth-guard.so" ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" "$@"
}
mkdir -p loop
ln -sf "$ldw" loop/my-ld
printf '#!/bin/sh\nexec "%s" "$@"\n' "$ldw" > loop/script-ld
chmod +x loop/script-ld
for self in "$ldw" "$PWD/loop/my-ld"; do
  guarded env TASKWRAP_WASM_LD="$self" "$ldw" --no-entry --export=run hook.o -o self.wasm 2> self.err
  st=$?
  [ "$st" = 1 ] && grep -q "TASKWRAP_WASM_LD ($self) is wasm-taskwrap-ld itself" self.err && [ ! -e self.wasm ] &&
    ok "TASKWRAP_WASM_LD=${self##*/} (the wrapper itself): refused" || fail "TASKWRAP_WASM_LD=$self: exit $st: $(cat self.err)"
done
guarded env TASKWRAP_WASM_LD="$PWD/loop/script-ld" "$ldw" --no-entry --export=run hook.o -o self.wasm 2> self.err
st=$?
[ "$st" = 1 ] && grep -q "run again by the linker it runs" self.err && [ ! -e self.wasm ] &&
  ok "a TASKWRAP_WASM_LD that runs the wrapper again: refused at once" || fail "script loop: exit $st: $(cat self.err)"
# Sabotage: the shim does end a loop (a script that runs itself).
printf '#!/bin/sh\nexec "$0" "$@"\n' > loop/runaway
chmod +x loop/runaway
guarded loop/runaway 2> /dev/null
[ $? = 99 ] && ok "sabotage: the shim ends a loop with 99" || fail "sabotage: the depth guard does not end a loop"

# --- what the link wrote, and nothing else --------------------------------------
# A run that writes nothing leaves every file as it was, also one named
# a.out (wasm-ld has no default output), and exits with the linker's
# status.
for run in --version --help -v; do
  "$wasm_ld" $run > /dev/null 2>&1
  want=$?
  echo notes > a.out
  TASKWRAP_WASM_LD="$wasm_ld" "$ldw" $run > /dev/null 2> run.err
  st=$?
  [ "$st" = "$want" ] && [ "$(cat a.out 2>&1)" = notes ] && ok "$run: exit $st, a.out untouched" ||
    fail "$run: exit $st (want $want), a.out: $(head -c 40 a.out 2>&1), $(cat run.err)"
  cp hook.plain.wasm a.out
  TASKWRAP_WASM_LD="$wasm_ld" "$ldw" $run > /dev/null 2>&1
  cmp -s a.out hook.plain.wasm && ok "$run: a hooked a.out not rewritten" || fail "$run rewrote a.out"
done
# A "linker" that writes nothing: the file at -o is not the link's.
cp hook.plain.wasm stale.wasm
TASKWRAP_WASM_LD=/bin/true "$ldw" --no-entry hook.o -o stale.wasm 2> stale.err
st=$?
[ "$st" = 0 ] && cmp -s stale.wasm hook.plain.wasm && ok "an output the link did not write is left as it was" ||
  fail "stale output: exit $st: $(cat stale.err)"
# Sabotage: a "linker" that does write it (touch) has it rewritten.
cp hook.plain.wasm stale.wasm
TASKWRAP_WASM_LD=$PWD/touch-ld "$ldw" --no-entry hook.o -o stale.wasm 2> stale.err &&
  cmp -s stale.wasm hook.expect.wasm && ok "sabotage: the same file, touched by the link, is rewritten" ||
  fail "sabotage: a touched output was not rewritten: $(cat stale.err)"

# Streams and devices: what the linker wrote there passes through as
# wasm-ld left it (the same status, the same bytes), and standard input (a
# hooked module here) is never read for it. (Bounded: a wrapper that reads
# its own standard output's pipe back waits forever.) /dev/stdout and
# /proc/self/fd/1 only on a pipe: on a regular file, wasm-ld renames its
# temporary file over the name itself, and as root that replaces the
# system's /dev/stdout link with a file.
for run in "- file" "- pipe" "/dev/stdout pipe" "/proc/self/fd/1 pipe"; do
  read -r out into <<< "$run"
  rm -f ./- dash.expect.wasm dash.wasm
  if [ "$into" = file ]; then
    "$wasm_ld" --no-entry --export=run hook.o -o "$out" > dash.expect.wasm 2> /dev/null
    want=$?
    TASKWRAP_WASM_LD="$wasm_ld" timeout 30 "$ldw" --no-entry --export=run hook.o -o "$out" \
      < hook.plain.wasm > dash.wasm 2> dash.err
    st=$?
  else
    "$wasm_ld" --no-entry --export=run hook.o -o "$out" 2> /dev/null | cat > dash.expect.wasm
    want=${PIPESTATUS[0]}
    TASKWRAP_WASM_LD="$wasm_ld" timeout 30 "$ldw" --no-entry --export=run hook.o -o "$out" \
      < hook.plain.wasm 2> dash.err | cat > dash.wasm
    st=${PIPESTATUS[0]}
  fi
  [ "$st" = 0 ] && [ "$want" = 0 ] && cmp -s dash.wasm dash.expect.wasm && [ ! -e ./- ] &&
    ok "-o $out into a $into: as wasm-ld left it, stdin unread, no file ./-" ||
    fail "-o $out into a $into: exit $st (wasm-ld: $want), $(ls ./- 2>&1), $(cat dash.err)"
done
[ -L /dev/stdout ] && ok "/dev/stdout is still the system's link" || fail "/dev/stdout was replaced: $(ls -l /dev/stdout)"
# Sabotage: one of them is a module to rewrite, which the wrapper leaves.
"$wasm_ld" --no-entry --export=run hook.o -o - | cat > dash.expect.wasm
output_has '^abi task-hook' "$tw" --dry-run dash.expect.wasm &&
  ok "sabotage: what went to standard output has a hook the rewrite would remove" ||
  fail "sabotage: wasm-ld's -o - output has no hook: the checks above prove nothing"
"$wasm_ld" --no-entry --export=run hook.o -o /dev/null && ok "wasm-ld itself links to /dev/null" ||
  fail "wasm-ld -o /dev/null"
TASKWRAP_WASM_LD="$wasm_ld" "$ldw" --no-entry --export=run hook.o -o /dev/null 2> null.err
st=$?
[ "$st" = 0 ] && [ -c /dev/null ] && ok "-o /dev/null passes through, like wasm-ld" ||
  fail "-o /dev/null: exit $st: $(cat null.err)"

# An @argfile named in an @argfile (relative to the working directory, as
# lld has it) is read for -o; one that names itself ends.
mkdir -p rsp
printf '%s\n' "--no-entry --export=run hook.o @rsp/inner.rsp" > outer.rsp
printf '%s\n' "-o nested.wasm" > rsp/inner.rsp
TASKWRAP_WASM_LD="$wasm_ld" "$ldw" @outer.rsp 2> nested.err && cmp -s nested.wasm arg.expect.wasm &&
  ok "a nested @argfile is read for -o" || fail "nested @argfile: $(cat nested.err)"
printf '%s\n' "@self.rsp -o selfrsp.wasm" > self.rsp
TASKWRAP_WASM_LD="$wasm_ld" timeout 30 "$ldw" @self.rsp > /dev/null 2>&1
st=$?
[ "$st" != 124 ] && [ "$st" -lt 128 ] && ok "an @argfile that names itself ends (exit $st)" ||
  fail "self-naming @argfile: exit $st"

# PATH as a shell searches it: a directory named wasm-ld is no linker,
# and an empty entry is the working directory.
mkdir -p pdir/wasm-ld cwd-ld
PATH="$work/pdir:$(dirname "$wasm_ld"):$PATH" "$ldw" --no-entry --export=run hook.o -o pdir.wasm 2> pdir.err &&
  cmp -s pdir.wasm arg.expect.wasm && ok "a directory named wasm-ld on PATH is skipped" ||
  fail "directory on PATH: $(cat pdir.err)"
ln -sf "$wasm_ld" cwd-ld/wasm-ld
( cd cwd-ld && PATH=":/nonexistent" "$ldw" --no-entry --export=run ../hook.o -o ../cwd.wasm ) 2> cwd.err &&
  cmp -s cwd.wasm arg.expect.wasm && ok "an empty PATH entry is the working directory" ||
  fail "empty PATH entry: $(cat cwd.err)"
# Sabotage: without the empty entry there is no linker to find.
( cd cwd-ld && PATH="/nonexistent" "$ldw" --no-entry --export=run ../hook.o -o ../cwd2.wasm ) 2> /dev/null
[ $? = 1 ] && [ ! -e cwd2.wasm ] && ok "sabotage: the same run without the empty entry finds no linker" ||
  fail "sabotage: a linker was found without the empty PATH entry"

# rust-lld is lld's generic driver: it needs -flavor wasm, found by path
# or by name. (lld acts by the name it is run as: a link named rust-lld.)
mkdir -p rl
ln -sf "$(readlink -f "$wasm_ld")" rl/rust-lld
rl/rust-lld --no-entry --export=run hook.o -o rl0.wasm > rl0.err 2>&1
[ $? != 0 ] && grep -q "generic driver" rl0.err && ok "sabotage: rust-lld without -flavor does not link" ||
  fail "sabotage: rl/rust-lld linked without -flavor: $(cat rl0.err)"
TASKWRAP_WASM_LD="$PWD/rl/rust-lld" "$ldw" --no-entry --export=run hook.o -o rl1.wasm 2> rl1.err &&
  cmp -s rl1.wasm arg.expect.wasm && ok "TASKWRAP_WASM_LD=.../rust-lld: run with -flavor wasm" ||
  fail "TASKWRAP_WASM_LD=rust-lld path: $(cat rl1.err)"
PATH="$PWD/rl:$PATH" TASKWRAP_WASM_LD=rust-lld "$ldw" --no-entry --export=run hook.o -o rl2.wasm 2> rl2.err &&
  cmp -s rl2.wasm arg.expect.wasm && ok "TASKWRAP_WASM_LD=rust-lld (on PATH): run with -flavor wasm" ||
  fail "TASKWRAP_WASM_LD=rust-lld: $(cat rl2.err)"
summary
