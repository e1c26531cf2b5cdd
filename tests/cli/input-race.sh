#!/usr/bin/env bash
# cli-input-race: an input that changes while it is rewritten, and inputs
# that never end.
#   input-race.sh CLI WORK
# - The input overwritten in place at the same size, or truncated, right
#   after it was opened, or while the output is written (to a file, where
#   the kernel copies or, for a range that moved by other than a multiple of
#   4 KiB, through the buffer with pread and write; or to a pipe): exit 1
#   with "input changed while it was being rewritten", never a signal death,
#   no output file and the old one untouched. An LD_PRELOAD shim, compiled
#   here, changes the input at one exact call (no timing).
# - --check: an INPUT or OUTPUT truncated as it is opened: exit 1, no signal.
# - /dev/zero and /dev/urandom as the input, and /dev/zero as --check's
#   INPUT or OUTPUT: refused at once (exit 1), in little memory.
# - A stream longer than 4 GiB, the most that is read into memory: refused
#   with a message that says so (the shim makes standard input endless
#   without giving it any memory).
# - Streams that do start a module (binary, text after comments) still work.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh" || exit 1
common=$(realpath "$(dirname "${BASH_SOURCE[0]}")/../common") # wasmbin.py
cli=$(realpath "$1") work=$2
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1

cat > shim.c <<'C'
/* SHIM_TARGET: the file to change; SHIM_WHEN: when, once: "fstat" (right
 * after the first fstat of it), "copy" (before the first copy_file_range),
 * "stdout" (before the first write to standard output), "write" (before the
 * first write to another regular file: the output being made, by read and
 * write where the kernel does not copy); SHIM_DO: "overwrite"
 * (0xff from byte SHIM_AT to the end: the same size), "truncate" (to SHIM_AT
 * bytes) or "none"; SHIM_LOG: a line is appended when it acted.
 * SHIM_ENDLESS_STDIN=1: once standard input ends, each read of it claims to
 * have read all it was asked for, and writes nothing. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int acted, stdin_ended;

static void act(const char *when) {
  const char *w = getenv("SHIM_WHEN"), *t = getenv("SHIM_TARGET"), *d = getenv("SHIM_DO");
  if (acted || !w || !t || !d || strcmp(w, when) != 0) return;
  acted = 1;
  const off_t at = getenv("SHIM_AT") ? atol(getenv("SHIM_AT")) : 0;
  const int fd = open(t, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return;
  if (strcmp(d, "truncate") == 0) {
    if (ftruncate(fd, at) != 0) return;
  } else if (strcmp(d, "overwrite") == 0) {
    char ff[4096];
    memset(ff, 0xff, sizeof ff);
    const off_t size = lseek(fd, 0, SEEK_END);
    for (off_t o = at; o < size; o += (off_t)sizeof ff)
      if (pwrite(fd, ff, size - o < (off_t)sizeof ff ? (size_t)(size - o) : sizeof ff, o) < 0) return;
  }
  close(fd);
  const char *log = getenv("SHIM_LOG");
  const int lf = log ? open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644) : -1;
  if (lf >= 0) {
    if (write(lf, when, strlen(when)) < 0 || write(lf, "\n", 1) < 0) {}
    close(lf);
  }
}

static int is_target(const struct stat *st) {
  struct stat t;
  const char *p = getenv("SHIM_TARGET");
  return p && stat(p, &t) == 0 && t.st_dev == st->st_dev && t.st_ino == st->st_ino;
}

int fstat(int fd, struct stat *st) {
  static int (*real)(int, struct stat *);
  if (!real) real = (int (*)(int, struct stat *))dlsym(RTLD_NEXT, "fstat");
  const int rc = real(fd, st);
  if (rc == 0 && !acted && is_target(st)) act("fstat");
  return rc;
}
int fstat64(int fd, struct stat64 *st) { return fstat(fd, (struct stat *)st); }

ssize_t copy_file_range(int in, off_t *ip, int out, off_t *op, size_t n, unsigned flags) {
  static ssize_t (*real)(int, off_t *, int, off_t *, size_t, unsigned);
  if (!real)
    real = (ssize_t (*)(int, off_t *, int, off_t *, size_t, unsigned))dlsym(RTLD_NEXT,
                                                                          "copy_file_range");
  act("copy");
  return real(in, ip, out, op, n, flags);
}

ssize_t write(int fd, const void *p, size_t n) {
  static ssize_t (*real)(int, const void *, size_t);
  if (!real) real = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
  if (fd == 1) act("stdout");
  struct stat st;
  if (fd > 2 && !acted && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && !is_target(&st))
    act("write");
  return real(fd, p, n);
}

ssize_t read(int fd, void *p, size_t n) {
  static ssize_t (*real)(int, void *, size_t);
  if (!real) real = (ssize_t (*)(int, void *, size_t))dlsym(RTLD_NEXT, "read");
  const int endless = fd == 0 && getenv("SHIM_ENDLESS_STDIN") != NULL;
  if (endless && stdin_ended) return (ssize_t)n;
  const ssize_t k = real(fd, p, n);
  if (endless && k == 0) {
    stdin_ended = 1;
    return (ssize_t)n;
  }
  return k;
}
C
cc -shared -fPIC -O1 -o shim.so shim.c -ldl || die "cannot compile the shim"
shim=$PWD/shim.so
# An ASan build wants its runtime first among the libraries; the shim is.
asan=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0

# A hooked module: type, a 256 KiB custom section (copied by the kernel, and
# past the first page), function, export, code, and a small custom section.
PYTHONPATH="$common" python3 - <<'PY'
from wasmbin import leb, sec, name
m = (b'\0asm\1\0\0\0' + sec(1, b'\x02\x60\x01\x7f\x00\x60\x00\x00') +
     sec(0, name('pad') + b'p' * (256 << 10)) +
     sec(3, b'\x02\x00\x01') +
     sec(7, b'\x02' + name('__wasm_task_hook') + b'\x00\x00' + name('run') + b'\x00\x01') +
     sec(10, b'\x02\x02\x00\x0b\x02\x00\x0b') + sec(0, name('tail') + b't' * 100))
open('pristine.wasm', 'wb').write(m)
# The same sections with the export section first: the custom section then
# moves by what the export section loses (the hook export), not a multiple
# of 4 KiB, so it is copied through the buffer with pread, not by the kernel.
m = (b'\0asm\1\0\0\0' + sec(1, b'\x02\x60\x01\x7f\x00\x60\x00\x00') + sec(3, b'\x02\x00\x01') +
     sec(7, b'\x02' + name('__wasm_task_hook') + b'\x00\x00' + name('run') + b'\x00\x01') +
     sec(0, name('pad') + b'p' * (256 << 10)) +
     sec(10, b'\x02\x02\x00\x0b\x02\x00\x0b') + sec(0, name('tail') + b't' * 100))
open('pristine-shifted.wasm', 'wb').write(m)
PY
"$cli" pristine.wasm -o ref.wasm 2> err.txt || die "cannot rewrite the module: $(cat err.txt)"
"$cli" pristine-shifted.wasm -o ref-shifted.wasm 2> err.txt ||
  die "cannot rewrite the shifted module: $(cat err.txt)"

# A fresh copy of the input, modified long ago: any write to it then moves
# its modification time, however coarse the file system's timestamps.
fresh_input() {
  cp "${pristine:-pristine.wasm}" in.wasm && touch -d @0 in.wasm
}

# Each race: a fresh copy of the input, an old output, the shim; then
# "rc: <status>" checks, the message, the output untouched, nothing left.
race() { # NAME WHEN DO AT [CLI ARGS...]
  local name=$1 when=$2 what=$3 at=$4
  shift 4
  fresh_input
  printf 'old output\n' > out.wasm
  rm -f shim.log
  env LD_PRELOAD="$shim" ASAN_OPTIONS="$asan" SHIM_TARGET="$PWD/in.wasm" SHIM_WHEN="$when" \
    SHIM_DO="$what" SHIM_AT="$at" SHIM_LOG="$PWD/shim.log" timeout 60 "$@" 2> err.txt
  rc=$?
}

# The writer's temporary names (.twXXXXXX), and the older out.wasm.* ones.
leftovers() { find . -maxdepth 1 \( -name '.tw*' -o -name 'out.wasm.*' \) | head -n 1; }

# The shim alone changes nothing: the race is what the other cases add.
race "control" copy none 0 "$cli" in.wasm -o out.wasm
[ "$rc" = 0 ] && cmp -s out.wasm ref.wasm && [ "$(cat shim.log 2> /dev/null)" = copy ] &&
  ok "control: with the shim and no change, the rewrite is the reference (and the shim ran)" ||
  fail "control: exit $rc, $(cat err.txt), log $(cat shim.log 2> /dev/null)"

expect_changed() { # LABEL [STREAM]
  local label=$1
  if [ "$rc" = 1 ] && grep -q 'in.wasm: error: input changed while it was being rewritten' err.txt &&
     [ "$(cat out.wasm)" = "old output" ] && [ -z "$(leftovers)" ] && [ -s shim.log ] &&
     ! cmp -s in.wasm "${pristine:-pristine.wasm}"; then
    ok "$label: exit 1, input changed, old output untouched, nothing left"
  else
    fail "$label: exit $rc, $(head -c 300 err.txt), output '$(head -c 20 out.wasm | tr -dc '[:print:]')', leftover '$(leftovers)', shim log '$(cat shim.log 2> /dev/null)'"
  fi
}

race "same size, while written" copy overwrite 8 "$cli" in.wasm -o out.wasm
expect_changed "overwritten at the same size while the output is copied"
race "same size, once opened" fstat overwrite 8 "$cli" in.wasm -o out.wasm
expect_changed "overwritten at the same size right after it was opened"
race "truncated, once opened" fstat truncate 100 "$cli" in.wasm -o out.wasm
expect_changed "truncated right after it was opened (a mapping would die by SIGBUS)"
race "truncated, while written" copy truncate 100 "$cli" in.wasm -o out.wasm
expect_changed "truncated while the output is copied"
race "truncated, -t" fstat truncate 100 "$cli" in.wasm -t -o out.wasm
expect_changed "-t: truncated right after it was opened"
# The shifted module: its long range goes through the buffer (pread, then
# write), and the input changes at the first write of the output.
pristine=pristine-shifted.wasm
race "control, buffered" write none 0 "$cli" in.wasm -o out.wasm
[ "$rc" = 0 ] && cmp -s out.wasm ref-shifted.wasm && [ "$(cat shim.log 2> /dev/null)" = write ] &&
  ok "control: the shifted module, with the shim at the first write and no change, is its reference" ||
  fail "control, buffered: exit $rc, $(cat err.txt), log $(cat shim.log 2> /dev/null)"
race "same size, buffered" write overwrite 8 "$cli" in.wasm -o out.wasm
expect_changed "overwritten at the same size while the output is written through the buffer"
race "truncated, buffered" write truncate 100 "$cli" in.wasm -o out.wasm
expect_changed "truncated while the output is written through the buffer"
unset pristine
race "--dry-run" fstat overwrite 8 "$cli" in.wasm --dry-run
[ "$rc" = 1 ] && grep -q 'input changed while it was being rewritten' err.txt &&
  ok "--dry-run: an input overwritten after it was opened gives no plan" ||
  fail "--dry-run: exit $rc, $(head -c 300 err.txt)"

# A stream output: the input changes before the first byte is written.
fresh_input
rm -f shim.log
env LD_PRELOAD="$shim" ASAN_OPTIONS="$asan" SHIM_TARGET="$PWD/in.wasm" SHIM_WHEN=stdout \
  SHIM_DO=overwrite SHIM_AT=8 SHIM_LOG="$PWD/shim.log" timeout 60 "$cli" in.wasm -o - 2> err.txt |
  cat > stream.out
rc=${PIPESTATUS[0]}
[ "$rc" = 1 ] && grep -q 'input changed while it was being rewritten' err.txt && [ -s shim.log ] &&
  ok "-o - to a pipe: overwritten while written, exit 1 before the stream ends" ||
  fail "-o - to a pipe: exit $rc, $(head -c 300 err.txt), shim log '$(cat shim.log 2> /dev/null)'"

# --check reads both files whole: a truncation as either is opened.
for which in input output; do
  cp pristine.wasm in.wasm
  cp ref.wasm checked.wasm
  target=$PWD/in.wasm
  [ "$which" = output ] && target=$PWD/checked.wasm
  rm -f shim.log
  env LD_PRELOAD="$shim" ASAN_OPTIONS="$asan" SHIM_TARGET="$target" SHIM_WHEN=fstat \
    SHIM_DO=truncate SHIM_AT=100 SHIM_LOG="$PWD/shim.log" timeout 60 "$cli" --check in.wasm \
    checked.wasm 2> err.txt
  rc=$?
  [ "$rc" = 1 ] && grep -q "error: $which changed while it was being read" err.txt &&
    [ -s shim.log ] && ok "--check: the $which truncated as it is opened: exit 1, no signal" ||
    fail "--check, $which truncated: exit $rc, $(head -c 300 err.txt)"
done

# --- inputs that never end -------------------------------------------------------
# Exit status and peak memory (KiB) of a command, whatever ends it.
measure() { # CMD...: sets rc and rss
  read -r rc rss < <(python3 -c '
import resource, subprocess, sys
p = subprocess.run(sys.argv[1:], stderr=open("err.txt", "wb"))
print(p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$@")
}
# A bound far below the gigabytes an unbounded read takes in 10 s, with
# room for a sanitizer's own memory.
small=$((256 * 1024))

rm -f x.wasm
measure timeout 10 "$cli" /dev/zero -o x.wasm
[ "$rc" = 1 ] && [ "$rss" -lt "$small" ] && grep -q 'magic header not detected' err.txt &&
  [ ! -e x.wasm ] && ok "/dev/zero: refused at once (exit 1, ${rss} KiB)" ||
  fail "/dev/zero: exit $rc, ${rss} KiB, $(head -c 300 err.txt)"
# Random bytes start a module only by chance: "\0asm\1\0\0\0" (2^-64), or
# "(" and a module field or ";" (under 2^-15), which the text reader refuses.
measure timeout 10 "$cli" /dev/urandom -o x.wasm
[ "$rc" = 1 ] && [ "$rss" -lt "$small" ] && grep -q 'error:' err.txt && [ ! -e x.wasm ] &&
  ok "/dev/urandom: refused at once (exit 1, ${rss} KiB)" ||
  fail "/dev/urandom: exit $rc, ${rss} KiB, $(head -c 300 err.txt)"
measure timeout 10 "$cli" --check pristine.wasm /dev/zero
[ "$rc" = 1 ] && [ "$rss" -lt "$small" ] && grep -q '/dev/zero:0x1: error' err.txt &&
  ok "--check IN /dev/zero: refused at once (exit 1, ${rss} KiB)" ||
  fail "--check IN /dev/zero: exit $rc, ${rss} KiB, $(head -c 300 err.txt)"
measure timeout 10 "$cli" --check /dev/zero ref.wasm
[ "$rc" = 1 ] && [ "$rss" -lt "$small" ] && grep -q 'magic header not detected' err.txt &&
  ok "--check /dev/zero OUT: refused at once (exit 1, ${rss} KiB)" ||
  fail "--check /dev/zero OUT: exit $rc, ${rss} KiB, $(head -c 300 err.txt)"
# A module header and then zeros: the first section header is malformed.
{ printf '\0asm\1\0\0\0'; head -c $((64 << 20)) /dev/zero; } > header-zeros.bin
measure timeout 10 sh -c "cat header-zeros.bin /dev/zero | \"\$0\" - -o x.wasm" "$cli"
[ "$rc" = 1 ] && [ "$rss" -lt "$small" ] && grep -q '<stdin>:0xa: error: unexpected end of custom section name' err.txt &&
  ok "a module header, then endless zeros: refused at the first section (exit 1, ${rss} KiB)" ||
  fail "header and zeros: exit $rc, ${rss} KiB, $(head -c 300 err.txt)"

# A stream that declares a custom section of 4 GiB - 1 bytes, then never
# ends: the bound, said as such. The shim's stdin costs no memory.
printf '\0asm\1\0\0\0\0\xff\xff\xff\xff\x0f\x03pad' > huge-head.bin
measure sh -c "exec env LD_PRELOAD=\"\$1\" ASAN_OPTIONS=\"\$2\" SHIM_ENDLESS_STDIN=1 \
  timeout 120 \"\$0\" - -o x.wasm < huge-head.bin" "$cli" "$shim" "$asan"
[ "$rc" = 1 ] && grep -q 'a stream longer than 4 GiB, the most that is read into memory' err.txt &&
  [ "$rss" -lt "$small" ] && [ ! -e x.wasm ] &&
  ok "a stream longer than 4 GiB: refused, and the message says so (${rss} KiB)" ||
  fail "endless stream: exit $rc, ${rss} KiB, $(head -c 300 err.txt)"

# --- streams that are modules ------------------------------------------------------
"$cli" - -o from-stdin.wasm < pristine.wasm 2> err.txt && cmp -s from-stdin.wasm ref.wasm &&
  ok "a binary module on standard input" || fail "binary on stdin: $(cat err.txt)"
printf ';; a comment\n(; a (; nested ;) block ;)\n  (module (func (export "f")))\n' > text.wat
"$cli" text.wat -o from-file.wasm 2> err.txt || fail "text file: $(cat err.txt)"
cat text.wat | "$cli" - -o from-pipe.wasm 2> err.txt && cmp -s from-pipe.wasm from-file.wasm &&
  ok "text after comments on a pipe" || fail "text on a pipe: $(cat err.txt)"
summary
