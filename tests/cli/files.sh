#!/usr/bin/env bash
# cli-files: outputs that are not plain new files, and deaths part-way
# through writing.
#   files.sh CLI WORK   (env CC: the C compiler for the test's helpers)
# - a character device, a FIFO and a socket are written into, never
#   replaced (no temporary file, no rename), and stay what they were; so
#   are /dev/stdout, /dev/stderr, /dev/fd/N and /proc/self/fd/N on a pipe;
# - a symbolic link is followed: its target is replaced, the link kept;
# - a read-only (0444) output is replaced, as ld replaces it, and stays 0444;
#   a 6755 one replaced by its owner keeps its set-id bits;
# - an output whose name is as long as NAME_MAX allows is written (the
#   temporary name is short);
# - SIGINT, SIGTERM, SIGHUP and SIGPIPE sent while the output is part-way
#   written leave no temporary file and the old output untouched; so does
#   every other signal that ends a process by default, sent at a known
#   point of the write by an LD_PRELOAD shim (shim.c), also where the file
#   system has no O_TMPFILE (the shim again), for binary and -t output;
# - past a file size limit (SIGXFSZ) the write fails: exit 1, a message;
# - libwabt's worker dies with the tool (reaper.c).
# The tool is started with default signal dispositions (a background job of
# a script would ignore SIGINT).
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh" || exit 1
cli=$(realpath "$1") work=$2 here=$(dirname "$(realpath "${BASH_SOURCE[0]}")")
CC=${CC:-cc}
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
# Temporary files beside the outputs, of this tool or of an older one.
temps() { ls -A | grep -E '^\.tw|\.tmp-' || true; }

# A hooked module with one large data segment (zeros), so that writing its
# output takes long enough to be caught part-way.
PYTHONPATH="$here/../common" python3 - <<'PY'
import struct
from wasmbin import leb, sec, name
def module(data):
    return (b'\0asm\1\0\0\0' + sec(1, b'\x02\x60\x01\x7f\x00\x60\x00\x00') +
            sec(3, b'\x02\x00\x01') + sec(5, b'\x01\x00' + leb(len(data) // 65536 + 1)) +
            sec(7, b'\x02' + name('__wasm_task_hook') + b'\x00\x00' + name('run') + b'\x00\x01') +
            sec(10, b'\x02\x02\x00\x0b\x02\x00\x0b') +
            sec(11, b'\x01\x00\x41\x00\x0b' + leb(len(data)) + data))
open('small.wasm', 'wb').write(module(b'hello'))
open('big.wasm', 'wb').write(module(bytes(384 << 20)))
open('text.wasm', 'wb').write(module(bytes(24 << 20)))
PY
"$cli" small.wasm -o ref.wasm || die "cannot rewrite small.wasm"

# --- not regular files ---------------------------------------------------------
if mknod -m 666 fakenull c 1 3 2> /dev/null; then
  "$cli" small.wasm -o fakenull 2> err.txt && [ "$(stat -c %F fakenull)" = "character special file" ] &&
    ok "a character device is written into and stays one" || fail "device: $(stat -c %F fakenull) $(cat err.txt)"
else
  skip "mknod (not root)"
fi
mkfifo fifo
# Bounded: a tool that renames over the FIFO leaves its reader waiting.
timeout 20 cat fifo > from-fifo.wasm &
reader=$!
timeout 20 "$cli" small.wasm -o fifo 2> err.txt
wait "$reader" 2> /dev/null
[ "$(stat -c %F fifo)" = fifo ] && cmp -s from-fifo.wasm ref.wasm &&
  ok "a FIFO is written into and stays one" || fail "FIFO: $(stat -c %F fifo) $(cat err.txt)"
# The server is this background job itself (no fork), so it is waited for
# by its PID: never by a pattern, which would hit another run's server.
timeout 20 python3 -c '
import socket
s = socket.socket(socket.AF_UNIX); s.bind("sock"); s.listen(1)
c, _ = s.accept(); data = b""
while True:
    d = c.recv(65536)
    if not d: break
    data += d
open("from-sock.wasm", "wb").write(data)
' &
server=$!
for _ in $(seq 400); do [ -S sock ] && break; sleep 0.05; done
timeout 20 "$cli" small.wasm -o sock 2> err.txt
wait "$server"
[ -S sock ] && cmp -s from-sock.wasm ref.wasm && ok "a socket is written into and stays one" ||
  fail "socket: $(stat -c %F sock) $(cat err.txt)"
[ -z "$(temps)" ] && ok "no temporary file beside them" || fail "temporary files: $(temps)"

# Names of a pipe: the kernel follows /proc's links to it, which have no
# name to follow by hand. The module arrives whole, through the pipe.
for name in /dev/stdout /dev/fd/1 /proc/self/fd/1; do
  "$cli" small.wasm -o "$name" 2> err.txt | cat > via-pipe.wasm
  cmp -s via-pipe.wasm ref.wasm && ok "-o $name on a pipe is written into" ||
    fail "-o $name on a pipe: $(cat err.txt)"
done
"$cli" small.wasm -o /dev/stderr 2>&1 > /dev/null | cat > via-pipe.wasm
cmp -s via-pipe.wasm ref.wasm && ok "-o /dev/stderr on a pipe is written into" || fail "-o /dev/stderr on a pipe"
"$cli" small.wasm -o /dev/fd/3 3>&1 > /dev/null 2> err.txt | cat > via-pipe.wasm
cmp -s via-pipe.wasm ref.wasm && ok "-o /dev/fd/3 on a pipe is written into" || fail "-o /dev/fd/3: $(cat err.txt)"
"$cli" small.wasm -t -o /proc/self/fd/1 2> err.txt | cat > via-pipe.wat
grep -q '^(module' via-pipe.wat && ok "-t -o /proc/self/fd/1 on a pipe" || fail "-t to a pipe: $(cat err.txt)"
# With the module on standard output by its name, the plan goes to stderr.
"$cli" small.wasm --plan -o /dev/stdout 2> plan.txt | cat > via-pipe.wasm
cmp -s via-pipe.wasm ref.wasm && grep -q '^abi task-hook' plan.txt &&
  ok "--plan -o /dev/stdout: the plan on stderr" || fail "--plan -o /dev/stdout"
# A socket cannot be opened by a /proc name: standard output is written
# through a duplicate of the tool's own descriptor.
python3 -c '
import socket, subprocess, sys
a, b = socket.socketpair()
p = subprocess.Popen([sys.argv[1], "small.wasm", "-o", "/dev/stdout"], stdout=b.fileno())
b.close()
data = b""
while True:
    d = a.recv(65536)
    if not d: break
    data += d
sys.exit(p.wait() != 0 or data != open("ref.wasm", "rb").read())' "$cli" 2> err.txt &&
  ok "-o /dev/stdout on a socket is written into" || fail "-o /dev/stdout on a socket: $(cat err.txt)"
[ -z "$(temps)" ] && [ -p fifo ] && ok "no temporary file, nothing replaced" || fail "after streams: $(temps)"

# A FIFO with no reader: the open waits, and SIGTERM ends the wait (it is a
# stream: nothing is held back).
mkfifo lonely
env --default-signal "$cli" small.wasm -o lonely 2> /dev/null &
pid=$!
sleep 0.3
kill -TERM "$pid"
( sleep 5; kill -KILL "$pid" 2> /dev/null ) &
guard=$!
wait "$pid"
st=$?
kill "$guard" 2> /dev/null
[ "$st" = 143 ] && [ -p lonely ] && ok "SIGTERM ends a wait for a FIFO's reader" ||
  fail "FIFO without a reader: exit $st (want 143)"

# --- a symbolic link ----------------------------------------------------------------
mkdir -p real
echo old > real/target.wasm
ln -s real/target.wasm link.wasm
"$cli" small.wasm -o link.wasm 2> err.txt
[ -L link.wasm ] && [ "$(readlink link.wasm)" = real/target.wasm ] && cmp -s real/target.wasm ref.wasm &&
  ok "a symbolic link is kept and its target replaced" || fail "symlink: $(ls -l link.wasm) $(cat err.txt)"
ln -s real/new.wasm dangling.wasm
"$cli" small.wasm -o dangling.wasm 2> err.txt && [ -L dangling.wasm ] && cmp -s real/new.wasm ref.wasm &&
  ok "a dangling link's target is created" || fail "dangling link: $(cat err.txt)"

# --- long names -----------------------------------------------------------------------
# Names up to NAME_MAX (255 bytes on Linux) are written, as cp writes them:
# the temporary name does not grow with the output's.
long=
for n in 245 250 254 255; do
  name=$(printf "%0$((n - 5))d.wasm" 0)
  [ ${#name} = "$n" ] || die "test bug: a name of ${#name} bytes"
  "$cli" small.wasm -o "$name" 2> err.txt && cmp -s "$name" ref.wasm || long="$long $n: $(cat err.txt)"
  echo old > "$name"
  "$cli" small.wasm -o "$name" 2> err.txt && cmp -s "$name" ref.wasm || long="$long $n (replacing): $(cat err.txt)"
  rm -f "$name"
done
[ -z "$long" ] && [ -z "$(temps)" ] && ok "output names of 245 to 255 bytes, new and replaced" ||
  fail "long names:$long $(temps)"

# --- a read-only output ---------------------------------------------------------------
echo old > ro.wasm
chmod 0444 ro.wasm
"$cli" small.wasm -o ro.wasm 2> err.txt && cmp -s ro.wasm ref.wasm && [ "$(stat -c %a ro.wasm)" = 444 ] &&
  ok "a read-only output is replaced and stays 0444" || fail "read-only: $(stat -c %a ro.wasm) $(cat err.txt)"
# Set-user-ID and set-group-ID bits, replaced by their owner, not root: the
# kernel clears them on a write by a process without CAP_FSETID, so they
# must be given after the data. (Root keeps them anyway: run as another
# user, where the test runs as root.)
if [ "$(id -u)" = 0 ] && command -v setpriv > /dev/null; then
  mkdir -p setid && cp small.wasm setid/o.wasm && chown -R 1234:1234 setid && chmod 6755 setid/o.wasm
  setpriv --reuid=1234 --regid=1234 --clear-groups "$cli" small.wasm -o setid/o.wasm 2> err.txt &&
    cmp -s setid/o.wasm ref.wasm && [ "$(stat -c %a setid/o.wasm)" = 6755 ] &&
    ok "a 6755 output replaced by its owner (not root) stays 6755" ||
    fail "set-id bits: $(stat -c %a setid/o.wasm) $(cat err.txt)"
else
  skip "set-id bits: needs root and setpriv to run as another user"
fi

# --- deaths part-way through writing -------------------------------------------------
# The temporary file, anonymous or named, as the process has it open.
partial_size() { # PID: prints the size of its open output file, if any
  local f
  for f in /proc/"$1"/fd/*; do
    case $(readlink "$f" 2> /dev/null) in
      "$PWD"/*'(deleted)'|"$PWD"/.tw*|"$PWD"/*.tmp-*|"$PWD"/'#'*) stat -L -c %s "$f" 2> /dev/null; return ;;
    esac
  done
}
final=$(stat -c %s big.wasm)
for sig in INT TERM HUP PIPE; do
  echo old > out-$sig.wasm
  caught=0
  for attempt in 1 2 3; do
    env --default-signal "$cli" big.wasm -o out-$sig.wasm 2> err-$sig.txt &
    pid=$!
    size=
    for _ in $(seq 5000); do
      size=$(partial_size "$pid")
      [ -n "$size" ] && [ "$size" -gt 0 ] && break
      kill -0 "$pid" 2> /dev/null || break
      sleep 0.001
    done
    kill -STOP "$pid" 2> /dev/null
    size=$(partial_size "$pid")
    if [ -n "$size" ] && [ "$size" -gt 0 ] && [ "$size" -lt "$final" ]; then
      kill -"$sig" "$pid"
      kill -CONT "$pid"
      wait "$pid"
      st=$?
      caught=1
      break
    fi
    kill -CONT "$pid" 2> /dev/null
    wait "$pid"
    echo old > out-$sig.wasm
  done
  if [ "$caught" = 0 ]; then
    fail "SIG$sig: never caught the output part-way written"
    continue
  fi
  want=$((128 + $(kill -l "$sig")))
  if [ "$st" = "$want" ] && [ "$(cat out-$sig.wasm)" = old ] && [ -z "$(temps)" ]; then
    ok "SIG$sig part-way ($size of $final bytes): dies by it, old output untouched, nothing left"
  else
    fail "SIG$sig: exit $st (want $want), output $(head -c 20 out-$sig.wasm | tr -dc '[:print:]'), files: $(temps)"
  fi
done
# Past the file size limit the write fails with "File too large", like a
# full disk (docs/usage.md, "Robustness": exit 1), whatever SIGXFSZ's
# disposition: the kernel's SIGXFSZ is not a death. Into a file (old output untouched,
# nothing left) and into a regular file on standard output.
echo old > out-XFSZ.wasm
# (stderr goes through a pipe: the limit would stop a file from taking it.)
( ulimit -f 100000; exec env --default-signal "$cli" big.wasm -o out-XFSZ.wasm ) 2>&1 | cat > err-XFSZ.txt
st=${PIPESTATUS[0]}
if [ "$st" = 1 ] && grep -q 'out-XFSZ.wasm: error: cannot write output: File too large' err-XFSZ.txt &&
   [ "$(cat out-XFSZ.wasm)" = old ] && [ -z "$(temps)" ]; then
  ok "past the file size limit: exit 1, File too large, old output untouched, nothing left"
else
  fail "file size limit: exit $st ($(cat err-XFSZ.txt)), output $(head -c 20 out-XFSZ.wasm | tr -dc '[:print:]'), $(temps)"
fi
( ulimit -f 100000; exec env --default-signal "$cli" big.wasm -o - > out-XFSZ-stdout.wasm ) 2>&1 | cat > err-XFSZ.txt
st=${PIPESTATUS[0]}
[ "$st" = 1 ] && grep -q '<stdout>: error: cannot write output: File too large' err-XFSZ.txt &&
  ok "past the file size limit on standard output: exit 1, File too large" ||
  fail "file size limit on stdout: exit $st: $(cat err-XFSZ.txt)"
( ulimit -f 10000; exec env --default-signal "$cli" text.wasm -t -o out-XFSZ.wat ) 2>&1 | cat > err-XFSZ.txt
st=${PIPESTATUS[0]}
[ "$st" = 1 ] && grep -q 'out-XFSZ.wat: error: .*File too large' err-XFSZ.txt && [ ! -e out-XFSZ.wat ] &&
  [ -z "$(temps)" ] && ok "past the file size limit with -t (libwabt's worker writes): exit 1, nothing left" ||
  fail "file size limit with -t: exit $st: $(cat err-XFSZ.txt) $(temps)"
rm -f big.wasm out-XFSZ-stdout.wasm

# Every signal that ends a process by default and that another process
# sends, at a known point: the shim sends it at the first write into the
# temporary file. With and without O_TMPFILE (without it, the temporary
# file has a name until it is renamed). Faults the process raises itself
# (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS) are not listed: the
# kernel delivers them whatever the mask. SIGXFSZ is ignored by the tool
# (see above). Core dumps are off (ulimit -c 0).
"$CC" -shared -fPIC -O1 -o shim.so "$here/shim.c" -ldl || die "cannot build shim.so"
signals="HUP INT QUIT TERM PIPE ALRM USR1 USR2 VTALRM PROF XCPU IO PWR STKFLT ABRT RTMIN RTMIN+3 RTMAX"
# killed_at POINT SIG NO_TMPFILE OUT [CLI ARGS...]: prints the exit status;
# OUT holds "old" before. (The shim is preloaded under AddressSanitizer
# too, which then must not insist on coming first.)
killed_at() {
  local at=$1 sig=$2 none=$3 out=$4
  shift 4
  echo old > "$out"
  ( ulimit -c 0
    exec env --default-signal TW_SHIM_AT="$at" TW_SHIM_RAISE="$(kill -l "$sig")" \
      TW_SHIM_NO_TMPFILE="$none" LD_PRELOAD="$PWD/shim.so" \
      ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" "$cli" "$@" -o "$out" ) 2> /dev/null
  echo $?
}
for none in 0 1; do
  bad=
  for sig in $signals; do
    st=$(killed_at write "$sig" "$none" out-sig.wasm small.wasm)
    want=$((128 + $(kill -l "$sig")))
    [ "$st" = "$want" ] && [ "$(cat out-sig.wasm)" = old ] && [ -z "$(temps)" ] ||
      bad="$bad SIG$sig(exit $st, want $want; $(temps))"
    rm -f -- $(temps)
  done
  what=$([ "$none" = 1 ] && echo "without O_TMPFILE" || echo "with O_TMPFILE")
  [ -z "$bad" ] && ok "every terminating signal during a write, $what: dies by it, old output, nothing left" ||
    fail "signals during a write, $what:$bad"
done
# Sabotage: SIGKILL cannot be held back, so without O_TMPFILE the named
# temporary file stays. That it does shows that the shim sends its signal
# while the temporary file exists and that a stray file would be seen.
st=$(killed_at write KILL 1 out-sig.wasm small.wasm)
[ "$st" = 137 ] && [ -n "$(temps)" ] && ok "sabotage: SIGKILL at the same point leaves the named temporary file" ||
  fail "sabotage: SIGKILL left no temporary file (exit $st): the check above proves nothing"
rm -f -- $(temps)

# -t: libwabt's worker writes the text into the temporary file while the
# tool waits for it; the shim sends the signal at that wait.
bad=
for sig in USR1 ALRM TERM; do
  st=$(killed_at poll "$sig" 1 out-sig.wat small.wasm -t)
  [ "$st" = $((128 + $(kill -l "$sig"))) ] && [ "$(cat out-sig.wat)" = old ] && [ -z "$(temps)" ] ||
    bad="$bad SIG$sig(exit $st; $(temps))"
  rm -f -- $(temps)
done
[ -z "$bad" ] && ok "-t without O_TMPFILE: SIGUSR1, SIGALRM, SIGTERM while the worker writes: nothing left" ||
  fail "-t without O_TMPFILE:$bad"
st=$(killed_at poll KILL 1 out-sig.wat small.wasm -t)
[ "$st" = 137 ] && [ -n "$(temps)" ] && ok "sabotage: SIGKILL at the same point leaves the named temporary file" ||
  fail "sabotage (-t): SIGKILL left no temporary file (exit $st)"
rm -f -- $(temps)

# libwabt's worker dies with the tool: killed by SIGKILL while the worker
# writes text into a FIFO that is no longer read, the worker must end too
# (it would otherwise wait in its write forever).
"$CC" -O1 -o reaper "$here/reaper.c" || die "cannot build reaper"
mkfifo text-fifo
./reaper text-fifo "$cli" text.wasm -t -o text-fifo > reaper.txt 2>&1 &&
  ok "kill -9 of the tool ends libwabt's worker ($(cat reaper.txt))" || fail "$(cat reaper.txt)"

# libwabt's worker ended by a signal from outside (kill -9, the OOM killer)
# is not blamed on the module or on libwabt; control: one that aborts
# (SIGABRT, as libwabt's assertions do) is reported as a libwabt bug. The
# shim has the worker send itself the signal as it starts.
for sig in KILL TERM ABRT; do
  rm -f out-worker.wasm
  ( ulimit -c 0
    exec env TW_SHIM_WORKER="$(kill -l "$sig")" LD_PRELOAD="$PWD/shim.so" \
      ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
      "$cli" --verify=full small.wasm -o out-worker.wasm ) 2> "err-worker-$sig.txt"
  echo $? > "st-worker-$sig"
done
for sig in KILL TERM; do
  n=$(kill -l "$sig")
  [ "$(cat "st-worker-$sig")" = 1 ] && [ ! -e out-worker.wasm ] &&
    grep -q "libwabt's worker process was killed by signal $n (.*), not by the module" "err-worker-$sig.txt" &&
    ! grep -q 'libwabt bug' "err-worker-$sig.txt" &&
    ok "--verify=full, libwabt's worker killed by SIG$sig: exit 1, said so, no output" ||
    fail "worker killed by SIG$sig: exit $(cat "st-worker-$sig"): $(cat "err-worker-$sig.txt")"
done
[ "$(cat st-worker-ABRT)" = 1 ] && grep -q 'aborted on this module (signal 6, a libwabt bug)' err-worker-ABRT.txt &&
  ok "control: a worker that aborts is reported as libwabt's bug" ||
  fail "control, SIGABRT: exit $(cat st-worker-ABRT): $(cat err-worker-ABRT.txt)"

# -t streams the text from libwabt's worker process: SIGINT while it runs
# ends the worker too, and leaves the old output and no file.
echo old > out-text.wat
env --default-signal "$cli" text.wasm -t -o out-text.wat 2> err-text.txt &
pid=$!
worker=
for _ in $(seq 5000); do
  worker=$(pgrep -P "$pid" | head -n 1)
  [ -n "$worker" ] && break
  kill -0 "$pid" 2> /dev/null || break
  sleep 0.001
done
if [ -n "$worker" ]; then
  sleep 0.2
  kill -INT "$pid"
  wait "$pid"
  st=$?
  sleep 0.2
  if [ "$st" = 130 ] && [ "$(cat out-text.wat)" = old ] && [ -z "$(temps)" ] &&
     ! kill -0 "$worker" 2> /dev/null; then
    ok "SIGINT during -t: worker ended, old output untouched, nothing left"
  else
    fail "SIGINT during -t: exit $st, output $(head -c 20 out-text.wat | tr -dc '[:print:]'), worker $(kill -0 "$worker" 2>&1 && echo alive)"
  fi
else
  wait "$pid"
  fail "-t: never saw libwabt's worker process"
fi
summary
