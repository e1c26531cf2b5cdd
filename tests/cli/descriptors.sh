#!/usr/bin/env bash
# cli-descriptors: outputs named by a descriptor, outputs that are the
# input, and signals the caller blocked.
#   descriptors.sh CLI WORK   (env CC: the C compiler for the test's shim)
# - -o /dev/stdout, /dev/fd/1 and /proc/self/fd/1 are -o -, whatever
#   standard output is: the module is written through the descriptor, at its
#   offset (a { ...; } > f group keeps what comes before and after it, >>
#   appends), and --plan goes to standard error;
# - an output that turns out to be the input once the input is open
#   (/dev/fd/N of the input's descriptor, /dev/stdin for "-", >> the input,
#   its own name): exit 1, "the output is the input file", the input
#   untouched; an output descriptor that is not open (/dev/fd/3 with 3
#   closed, a link to it, -o - or /dev/stdout with standard output closed):
#   exit 1, "Bad file descriptor", before the input can take its number;
# - a signal that the caller blocked and left pending stops no write;
# - a SIGXFSZ from outside does nothing (the tool ignores it; a write past
#   the file size limit is cli-files').
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh" || exit 1
cli=$(realpath "$1") work=$2 here=$(dirname "$(realpath "${BASH_SOURCE[0]}")")
CC=${CC:-cc}
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1

PYTHONPATH="$here/../common" python3 - <<'PY'
from wasmbin import leb, sec, name
data = b'hello'
open('small.wasm', 'wb').write(
    b'\0asm\1\0\0\0' + sec(1, b'\x02\x60\x01\x7f\x00\x60\x00\x00') + sec(3, b'\x02\x00\x01') +
    sec(5, b'\x01\x00\x01') +
    sec(7, b'\x02' + name('__wasm_task_hook') + b'\x00\x00' + name('run') + b'\x00\x01') +
    sec(10, b'\x02\x02\x00\x0b\x02\x00\x0b') + sec(11, b'\x01\x00\x41\x00\x0b' + leb(len(data)) + data))
PY
"$cli" small.wasm -o ref.wasm || die "cannot rewrite small.wasm"
cmp -s small.wasm ref.wasm && die "test bug: the rewrite changes nothing"

# --- names of standard output ----------------------------------------------------
{ echo HEAD; cat ref.wasm; echo TAIL; } > group.expect
{ echo old; cat ref.wasm; } > append.expect
for name in - /dev/stdout /dev/fd/1 /proc/self/fd/1; do
  { echo HEAD; "$cli" small.wasm -o "$name"; echo TAIL; } > group.bin 2> err.txt
  cmp -s group.bin group.expect && ok "-o $name in a { ...; } > file group: header and trailer kept" ||
    fail "-o $name in a group: $(cat err.txt)"
  echo old > append.bin
  "$cli" small.wasm -o "$name" >> append.bin 2> err.txt
  cmp -s append.bin append.expect && ok "-o $name >> file: appended" || fail "-o $name >> file: $(cat err.txt)"
  "$cli" small.wasm --plan -o "$name" > plan.bin 2> plan.err
  cmp -s plan.bin ref.wasm && grep -q '^abi task-hook' plan.err &&
    ok "--plan -o $name > file: the module in the file, the plan on stderr" ||
    fail "--plan -o $name > file: $(head -c 60 plan.bin | tr -dc '[:print:]') / $(cat plan.err)"
done
# -t too: the text through the descriptor.
{ echo HEAD; "$cli" small.wasm -t -o /dev/stdout; echo TAIL; } > group.wat 2> err.txt
head -n 1 group.wat | grep -qx HEAD && sed -n 2p group.wat | grep -q '^(module' &&
  tail -n 1 group.wat | grep -qx TAIL && ok "-t -o /dev/stdout in a group" || fail "-t -o /dev/stdout: $(cat err.txt)"
# A regular file named for itself is still replaced.
echo old > named.wasm
"$cli" small.wasm -o named.wasm 2> err.txt && cmp -s named.wasm ref.wasm &&
  ok "a file by its own name is replaced" || fail "-o named.wasm: $(cat err.txt)"

# --- the output is the input ------------------------------------------------------
refused() { # WHAT [MESSAGE]: the last run: exit 1, the message, in.wasm as it
  # was (each run starts from a fresh copy)
  local msg=${2:-'error: the output is the input file'}
  [ "$st" = 1 ] && grep -q "$msg" err.txt && cmp -s in.wasm small.wasm &&
    ok "$1: refused, the input untouched" ||
    fail "$1: exit $st, input $(cmp -s in.wasm small.wasm && echo untouched || echo CHANGED): $(cat err.txt)"
}
# A descriptor the output names that is not open is refused before the
# input is opened: the input, opened on the lowest free descriptor (3 when 3
# is closed, 1 when standard output is), would otherwise take its number.
ebadf='error: cannot write output: Bad file descriptor'
cp small.wasm in.wasm
( exec 3>&- 4>&-; exec "$cli" in.wasm -o /dev/fd/3 ) 2> err.txt
st=$?; refused "-o /dev/fd/3, 3 not open" "$ebadf"
ln -sf /dev/fd/3 to-fd3.wasm
cp small.wasm in.wasm
( exec 3>&- 4>&-; exec "$cli" in.wasm -o to-fd3.wasm ) 2> err.txt
st=$?; refused "-o LINK to /dev/fd/3, 3 not open" "$ebadf"
cp small.wasm in.wasm
( exec 3>&- 4>&-; exec "$cli" in.wasm -o /proc/self/fd/3 ) 2> err.txt
st=$?; refused "-o /proc/self/fd/3, 3 not open" "$ebadf"
cp small.wasm in.wasm
( exec "$cli" in.wasm -o /dev/stdout >&- ) 2> err.txt
st=$?; refused "-o /dev/stdout, standard output closed" "$ebadf"
cp small.wasm in.wasm
( exec "$cli" in.wasm -o - >&- ) 2> err.txt
st=$?; refused "-o -, standard output closed" "$ebadf"
# The input's own descriptor, named: the output is the input.
cp small.wasm in.wasm
( exec 3< in.wasm; exec "$cli" /dev/fd/3 -o /dev/fd/3 ) 2> err.txt
st=$?; refused "/dev/fd/3 -o /dev/fd/3, 3 open on the input"
cp small.wasm in.wasm
( exec "$cli" - -o /dev/stdin < in.wasm ) 2> err.txt
st=$?; refused "- -o /dev/stdin < in.wasm"
cp small.wasm in.wasm
( exec "$cli" in.wasm -o - >> in.wasm ) 2> err.txt
st=$?; refused "-o - >> in.wasm"
cp small.wasm in.wasm
"$cli" in.wasm -o in.wasm 2> err.txt
st=$?; refused "-o in.wasm"
# Sabotage: the same names work as outputs when they are not the input.
cp small.wasm in.wasm
( exec 3> other.wasm; exec "$cli" in.wasm -o /dev/fd/3 ) 2> err.txt && cmp -s other.wasm ref.wasm &&
  ok "sabotage: -o /dev/fd/3 with 3 open on another file writes the module there" ||
  fail "sabotage: -o /dev/fd/3 on another file: $(cat err.txt)"
cp small.wasm in.wasm
( exec "$cli" - -o /dev/stdout < in.wasm > other2.wasm ) 2> err.txt && cmp -s other2.wasm ref.wasm &&
  ok "sabotage: - -o /dev/stdout with another file on standard output" ||
  fail "sabotage: - -o /dev/stdout: $(cat err.txt)"
# An output descriptor that is not open: an error, nothing written anywhere.
cp small.wasm in.wasm
( exec 3>&- 4>&- 5>&-; exec "$cli" in.wasm -o /dev/fd/5 ) 2> err.txt
st=$?
[ "$st" = 1 ] && grep -q 'Bad file descriptor' err.txt && cmp -s in.wasm small.wasm &&
  ok "-o /dev/fd/5, not open: exit 1, EBADF" || fail "-o /dev/fd/5: exit $st: $(cat err.txt)"

# --- signals the caller blocked -----------------------------------------------------
# SIGUSR1 blocked and pending when the tool starts (both survive execve).
blocked() { # CMD ARGS...: run it with SIGUSR1 blocked and pending
  python3 -c '
import os, signal, sys
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
os.kill(os.getpid(), signal.SIGUSR1)
os.execv(sys.argv[1], sys.argv[1:])' "$@"
}
# Sabotage: the executed program does start with SIGUSR1 blocked and pending.
blocked /bin/cat /proc/self/status > status.txt
blk=$(awk '/^SigBlk:/ {print $2}' status.txt) pnd=$(awk '/^ShdPnd:/ {print $2}' status.txt)
(( (0x$blk & 0x200) && (0x$pnd & 0x200) )) && ok "sabotage: SIGUSR1 is blocked and pending after execve" ||
  fail "sabotage: SigBlk $blk ShdPnd $pnd: the checks below prove nothing"
rm -f blocked.wasm
blocked "$cli" small.wasm -o blocked.wasm 2> err.txt && cmp -s blocked.wasm ref.wasm &&
  ok "a blocked, pending SIGUSR1: the file is written" || fail "blocked SIGUSR1, -o file: $(cat err.txt)"
blocked "$cli" small.wasm -o - 2> err.txt | cat > blocked-pipe.wasm
[ "${PIPESTATUS[0]}" = 0 ] && cmp -s blocked-pipe.wasm ref.wasm &&
  ok "a blocked, pending SIGUSR1: -o - into a pipe is written" || fail "blocked SIGUSR1, -o -: $(cat err.txt)"
blocked "$cli" small.wasm -t -o blocked.wat 2> err.txt && grep -q '^(module' blocked.wat &&
  ok "a blocked, pending SIGUSR1: -t is written" || fail "blocked SIGUSR1, -t: $(cat err.txt)"

# --- SIGXFSZ from outside -------------------------------------------------------------
# The shim sends it at the first write into the temporary file; the tool
# ignores SIGXFSZ, so the write completes.
"$CC" -shared -fPIC -O1 -o shim.so "$here/shim.c" -ldl || die "cannot build shim.so"
shimmed() { # SIG ARGS...
  local sig=$1
  shift
  ( ulimit -c 0
    exec env --default-signal TW_SHIM_AT=write TW_SHIM_RAISE="$(kill -l "$sig")" LD_PRELOAD="$PWD/shim.so" \
      ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" "$cli" "$@" ) 2> err.txt
}
echo old > xfsz.wasm
shimmed XFSZ small.wasm -o xfsz.wasm
st=$?
[ "$st" = 0 ] && cmp -s xfsz.wasm ref.wasm && ok "an external SIGXFSZ during the write does nothing" ||
  fail "external SIGXFSZ: exit $st: $(cat err.txt)"
# Sabotage: at the same point SIGUSR1 does end the run.
echo old > xfsz.wasm
shimmed USR1 small.wasm -o xfsz.wasm
st=$?
[ "$st" = 138 ] && [ "$(cat xfsz.wasm)" = old ] && ok "sabotage: SIGUSR1 at the same point ends the run" ||
  fail "sabotage: SIGUSR1 from the shim: exit $st"
for link in /dev/stdin /dev/stdout /dev/fd; do
  [ -L "$link" ] || fail "$link is no longer the system's link: $(ls -ld "$link")"
done
summary
