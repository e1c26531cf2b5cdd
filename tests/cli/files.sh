#!/usr/bin/env bash
# cli-files: outputs that are not plain new files, and deaths part-way
# through writing.
#   files.sh CLI WORK
# - a character device, a FIFO and a socket are written into, never
#   replaced (no temporary file, no rename), and stay what they were;
# - a symbolic link is followed: its target is replaced, the link kept;
# - a read-only (0444) output is replaced, as ld replaces it, and stays 0444;
# - SIGINT, SIGTERM, SIGHUP and SIGPIPE sent while the output is part-way
#   written, and SIGXFSZ from a file size limit, leave no temporary file and
#   the old output untouched. The tool is started with default signal
#   dispositions (a background job of a script would ignore SIGINT).
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh" || exit 1
cli=$(realpath "$1") work=$2
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1

# A hooked module with one large data segment (zeros), so that writing its
# output takes long enough to be caught part-way.
python3 - <<'PY'
import struct
def leb(n):
    out = b''
    while True:
        b, n = n & 0x7f, n >> 7
        out += bytes([b | 0x80]) if n else bytes([b])
        if not n: return out
def sec(i, c): return bytes([i]) + leb(len(c)) + c
def name(s): return leb(len(s)) + s.encode()
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
kill "$reader" 2> /dev/null
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
[ -z "$(ls | grep -F .tmp- || true)" ] && ok "no temporary file beside them" || fail "temporary files: $(ls)"

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

# --- a read-only output ---------------------------------------------------------------
echo old > ro.wasm
chmod 0444 ro.wasm
"$cli" small.wasm -o ro.wasm 2> err.txt && cmp -s ro.wasm ref.wasm && [ "$(stat -c %a ro.wasm)" = 444 ] &&
  ok "a read-only output is replaced and stays 0444" || fail "read-only: $(stat -c %a ro.wasm) $(cat err.txt)"

# --- deaths part-way through writing -------------------------------------------------
# The temporary file, anonymous or named, as the process has it open.
partial_size() { # PID: prints the size of its open output file, if any
  local f
  for f in /proc/"$1"/fd/*; do
    case $(readlink "$f" 2> /dev/null) in
      "$PWD"/*'(deleted)'|"$PWD"/*.tmp-*|"$PWD"/'#'*) stat -L -c %s "$f" 2> /dev/null; return ;;
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
  if [ "$st" = "$want" ] && [ "$(cat out-$sig.wasm)" = old ] && [ -z "$(ls | grep -F .tmp- || true)" ]; then
    ok "SIG$sig part-way ($size of $final bytes): dies by it, old output untouched, nothing left"
  else
    fail "SIG$sig: exit $st (want $want), output $(head -c 20 out-$sig.wasm | tr -dc '[:print:]'), files: $(ls | grep -F .tmp- || true)"
  fi
done
echo old > out-XFSZ.wasm
( ulimit -f 100000; exec env --default-signal "$cli" big.wasm -o out-XFSZ.wasm ) 2> err-XFSZ.txt
st=$?
if [ "$st" = $((128 + $(kill -l XFSZ))) ] && [ "$(cat out-XFSZ.wasm)" = old ] &&
   [ -z "$(ls | grep -F .tmp- || true)" ]; then
  ok "SIGXFSZ past the file size limit: dies by it, old output untouched, nothing left"
else
  fail "SIGXFSZ: exit $st, output $(head -c 20 out-XFSZ.wasm | tr -dc '[:print:]'), $(ls | grep -F .tmp- || true)"
fi
rm -f big.wasm

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
  if [ "$st" = 130 ] && [ "$(cat out-text.wat)" = old ] && [ -z "$(ls | grep -F .tmp- || true)" ] &&
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
