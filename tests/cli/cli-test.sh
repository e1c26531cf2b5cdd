#!/usr/bin/env bash
# The command-line contract: inputs and outputs, exit statuses, refusals, and
# that a failed run never leaves a file behind.
#   cli-test.sh CLI FIXTURES_DIR WORK_DIR   (env NODE, WAT2WASM: default from PATH)
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh" || exit 1
NODE=${NODE:-node} WAT2WASM=${WAT2WASM:-wat2wasm}
cli=$(realpath "$1") fixtures=$(realpath "$2") work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
expect_status() { # expect_status WANT NAME CMD...
  local want=$1 name=$2; shift 2
  "$@" > out.txt 2> err.txt; local got=$?
  if [ "$got" = "$want" ]; then ok "$name (exit $got)"; else fail "$name: exit $got, want $want: $(cat err.txt)"; fi
}

"$WAT2WASM" --enable-all --debug-names "$fixtures/example.wat" -o in.wasm || exit 1
"$cli" in.wasm -o ref.wasm || exit 1

# Input from stdin, output to stdout: the same bytes as file to file.
"$cli" - -o - < in.wasm > piped.wasm 2> err.txt
if cmp -s piped.wasm ref.wasm; then ok "stdin to stdout"; else fail "stdin to stdout differs"; fi
"$cli" in.wasm --output=eq.wasm && cmp -s eq.wasm ref.wasm && ok "--output=FILE" || fail "--output=FILE"

# With the module on stdout, the plan goes to stderr.
"$cli" in.wasm -o - --plan > mod.wasm 2> plan.txt
if cmp -s mod.wasm ref.wasm && head -n 1 plan.txt | grep -q '^abi task-hook'; then
  ok "plan on stderr when the module is on stdout"
else fail "plan/module streams mixed"; fi

# Binary output to a terminal is refused (usage error), and nothing is written.
if command -v script > /dev/null; then
  script -qec "$cli in.wasm -o -" /dev/null > tty.txt 2>&1; st=$?
  if [ "$st" = 2 ] && grep -q 'refusing to write a binary module to a terminal' tty.txt; then
    ok "refuses a terminal (exit 2)"
  else fail "terminal: exit $st: $(tr -d '\r' < tty.txt | head -c 300)"; fi
  # ... also when standard output is named by a path.
  script -qec "$cli in.wasm -o /dev/stdout" /dev/null > tty.txt 2>&1; st=$?
  if [ "$st" = 2 ] && grep -q 'refusing to write a binary module to a terminal' tty.txt; then
    ok "refuses a terminal named /dev/stdout (exit 2)"
  else fail "terminal as /dev/stdout: exit $st: $(tr -d '\r' < tty.txt | head -c 300)"; fi
fi

# Usage errors exit 2.
expect_status 2 "no arguments" "$cli"
expect_status 2 "no output" "$cli" in.wasm
expect_status 2 "unknown option" "$cli" --frobnicate in.wasm -o x.wasm
expect_status 2 "bad --abi" "$cli" --abi nope in.wasm -o x.wasm
expect_status 2 "bad --verify" "$cli" --verify=slow in.wasm -o x.wasm
expect_status 2 "a switch given a value" "$cli" --init-once=yes in.wasm -o x.wasm
grep -q "wasm-taskwrap: --init-once takes no value" err.txt && ok "--init-once=yes: says it takes no value" ||
  fail "--init-once=yes: $(cat err.txt)"
expect_status 2 "two inputs" "$cli" in.wasm in.wasm -o x.wasm
expect_status 2 "--dry-run with -o" "$cli" in.wasm --dry-run -o x.wasm
expect_status 2 "-o without a file" "$cli" in.wasm -o
expect_status 2 "-o with an empty file name" "$cli" in.wasm -o ""
grep -q '^wasm-taskwrap: -o needs a file name' err.txt && ok "-o '': says it needs a file name" ||
  fail "-o '': $(cat err.txt)"
expect_status 2 "--output= with an empty file name" "$cli" in.wasm --output=
grep -q '^wasm-taskwrap: --output needs a file name' err.txt && ok "--output=: says it needs a file name" ||
  fail "--output=: $(cat err.txt)"
expect_status 2 "--outputfoo" "$cli" in.wasm --outputfoo x.wasm
grep -q "^wasm-taskwrap: unknown option '--outputfoo'" err.txt && ok "--outputfoo is an unknown option" ||
  fail "--outputfoo: $(cat err.txt)"
expect_status 2 "--stub-wasi-output without --stub-wasi" "$cli" --stub-wasi-output=h:w in.wasm -o x.wasm
expect_status 2 "--stub-wasi-output without a colon" "$cli" --stub-wasi --stub-wasi-output=hw in.wasm -o x.wasm
expect_status 2 "--stub-wasi-output with an empty name" "$cli" --stub-wasi --stub-wasi-output=h: in.wasm -o x.wasm
expect_status 2 "--stub-wasi-output with no value" "$cli" in.wasm -o x.wasm --stub-wasi --stub-wasi-output
[ ! -e x.wasm ] && ok "usage errors write nothing" || fail "usage error wrote x.wasm"

# --help and --version.
expect_status 0 "--help" "$cli" --help
grep -q '^Exit status:' out.txt && ok "--help has an Exit status: section" || fail "--help lacks Exit status:"
expect_status 0 "--version" "$cli" --version
grep -Eq '^wasm-taskwrap [0-9]+\.[0-9]+\.[0-9]+$' out.txt && ok "--version format" || fail "--version: $(cat out.txt)"

# --dry-run prints the plan and writes nothing; --json is well-formed JSON
# with one entry per export.
expect_status 0 "--dry-run" "$cli" in.wasm --dry-run
[ "$(wc -l < out.txt)" = 11 ] && ok "dry-run: header + 10 exports" || fail "dry-run has $(wc -l < out.txt) lines"
"$cli" in.wasm --dry-run --json > plan.json
if "$NODE" -e 'const p = JSON.parse(require("fs").readFileSync("plan.json", "utf8"));
  if (p.abi !== "task-hook" || p.exports.length !== 10 || p.wrappers !== 8) process.exit(1);' ; then
  ok "--json parses: task-hook, 10 exports, 8 wrappers"
else fail "--json"; fi

# Bad input: exit 1, the error format, and no output file (nor temporary).
printf 'not wasm' > bad.wasm
expect_status 1 "malformed input" "$cli" bad.wasm -o bad.out.wasm
grep -Eq '^wasm-taskwrap: bad\.wasm:0x[0-9a-f]+: error: ' err.txt && ok "error format" || fail "error format: $(cat err.txt)"
[ -z "$(ls | grep '^bad\.out\.wasm')" ] && ok "no output or temporary file on bad input" || fail "left $(ls | grep bad.out)"
expect_status 1 "missing input" "$cli" nosuch.wasm -o y.wasm
[ ! -e y.wasm ] && ok "no output for a missing input" || fail "y.wasm written"

# An existing output survives a failed run untouched.
echo keep > kept.wasm
expect_status 1 "failure keeps the old output" "$cli" bad.wasm -o kept.wasm
[ "$(cat kept.wasm)" = keep ] && ok "old output untouched" || fail "old output changed"

# Replacing a file keeps its permission bits (post-link: wasm-ld writes 0755).
cp ref.wasm exe.wasm && chmod 0751 exe.wasm
"$cli" in.wasm -o exe.wasm && [ "$(stat -c %a exe.wasm)" = 751 ] && ok "replaced output keeps its mode" ||
  fail "mode after replacing: $(stat -c %a exe.wasm)"

# The output may not be the input (it would be read while replaced).
cp in.wasm self.wasm
expect_status 1 "output is the input" "$cli" self.wasm -o self.wasm
cmp -s self.wasm in.wasm && ok "input untouched" || fail "input changed"

# A directory that does not exist: exit 1, clear message.
expect_status 1 "unwritable destination" "$cli" in.wasm -o no/such/dir/out.wasm
grep -q 'cannot create output' err.txt && ok "says it cannot create the output" || fail "$(cat err.txt)"

# A full disk, when /dev/full exists: the write fails, exit 1. (A rename
# target cannot be /dev/full, so write the module to stdout on it.)
if [ -w /dev/full ]; then
  "$cli" in.wasm -o - > /dev/full 2> err.txt; st=$?
  [ "$st" = 1 ] && grep -q 'cannot write output' err.txt && ok "full device: exit 1" || fail "full device: exit $st $(cat err.txt)"
fi

# Write errors on standard output: the plan, the JSON and the help must
# arrive, or the run fails (exit 1, a message), as a module's write would;
# with --plan, no module is written after a plan that failed. A full file
# system is simulated with a file size limit (the tool takes the kernel's
# SIGXFSZ as the write's error, EFBIG).
if [ -w /dev/full ]; then
  for args in "--dry-run" "--dry-run --json"; do
    # shellcheck disable=SC2086  # args is a word list
    "$cli" in.wasm $args > /dev/full 2> err.txt; st=$?
    [ "$st" = 1 ] && grep -q '^wasm-taskwrap: <stdout>: error: cannot write the plan: No space left on device' err.txt &&
      ok "$args > /dev/full: exit 1, says so" || fail "$args > /dev/full: exit $st: $(cat err.txt)"
  done
  "$cli" in.wasm --plan -o planned.wasm > /dev/full 2> err.txt; st=$?
  [ "$st" = 1 ] && [ ! -e planned.wasm ] && ok "--plan > /dev/full: exit 1, no module written" ||
    fail "--plan > /dev/full: exit $st, $(ls planned.wasm 2>&1)"
  "$cli" --help > /dev/full 2> err.txt; st=$?
  [ "$st" = 1 ] && grep -q '<stdout>: error: cannot write: No space left on device' err.txt &&
    ok "--help > /dev/full: exit 1" || fail "--help > /dev/full: exit $st: $(cat err.txt)"
fi
( ulimit -f 0; exec "$cli" in.wasm --dry-run --json > full-plan.json ) 2>&1 | cat > err.txt
st=${PIPESTATUS[0]}
[ "$st" = 1 ] && grep -q 'cannot write the plan: File too large' err.txt &&
  ok "--json onto a full file system (file size limit): exit 1, says so" ||
  fail "--json onto a full file system: exit $st: $(cat err.txt)"
# Sabotage: the same redirections with room to write succeed, so the
# failures above come from the full device alone.
"$cli" in.wasm --dry-run --json > room.json && "$cli" --help > /dev/null && ok "sabotage: with room, exit 0" ||
  fail "sabotage: the plan fails even with room"

# A full disk for a file output: with RLIMIT_FSIZE at 0 and SIGXFSZ ignored,
# the write into the temporary file fails (EFBIG), as on a full file system.
# The old output stays as it was and no temporary file is left behind.
echo keep > kept-full.wasm
# (stderr goes through a pipe: the limit would stop a file from taking it.)
( ulimit -f 0; trap '' XFSZ; exec "$cli" in.wasm -o kept-full.wasm ) 2>&1 > /dev/null | cat > err.txt
st=${PIPESTATUS[0]}
if [ "$st" = 1 ] && grep -q 'cannot write output' err.txt && [ "$(cat kept-full.wasm)" = keep ] &&
   [ -z "$(ls -A | grep -E '^\.tw|^kept-full\.wasm\.tmp-' || true)" ]; then
  ok "full disk on a file output: exit 1, old output untouched, no temporary file"
else fail "full disk: exit $st $(cat err.txt) $(ls | grep kept-full)"; fi

# A read error: the input is a directory.
mkdir -p adir
expect_status 1 "unreadable input" "$cli" adir -o from-dir.wasm
grep -q 'cannot read input' err.txt && [ ! -e from-dir.wasm ] && ok "read error: clear message, no output" ||
  fail "read error: $(cat err.txt)"

# Text in (recognised by content, whatever the name), text out (-t).
cp "$fixtures/example.wat" example.bin
"$cli" example.bin -o from-text.wasm 2> err.txt && ok "text input under any name" || fail "text input: $(cat err.txt)"
"$cli" in.wasm -t -o out.wat && grep -q '(func $taskwrap:greet' out.wat && ok "-t writes text with names" ||
  fail "-t output"
"$cli" out.wat -o back.wasm && output_has '^abi none' "$cli" back.wasm --dry-run &&
  ok "-t output reads back; nothing left to wrap" || fail "-t output does not read back"
script -qec "$cli in.wasm -t -o -" /dev/null > tty.txt 2>&1 && grep -q '(module' tty.txt &&
  ok "text may go to a terminal" || fail "text to a terminal"
printf '(module\n  (func (result i32)\n    i64.const 0))\n' > bad.wat
expect_status 1 "invalid text" "$cli" bad.wat -o bad-text.wasm
grep -Eq '^wasm-taskwrap: bad\.wat:3:[0-9]+: error: type mismatch' err.txt &&
  ok "text errors carry line and column" || fail "text error format: $(cat err.txt)"
[ ! -e bad-text.wasm ] && ok "no output for invalid text" || fail "bad-text.wasm written"

# -t to a standard output that already holds something keeps it, also when
# libwabt must be asked twice (it aborts on this module's local names).
sed 's/#.*//' "$fixtures/bad-wabt-local-name.hex" | xxd -r -p > lname.wasm
{ echo HEADER; "$cli" lname.wasm -t -o -; } > appended.txt 2> err.txt
[ "$(head -n 1 appended.txt)" = HEADER ] && sed -n 2p appended.txt | grep -q '^(module' &&
  ok "-t -o - keeps what stdout held before" || fail "-t -o - after HEADER: $(head -c 80 appended.txt)"

# A UTF-8 byte order mark before text is not text: the module assembles as
# without it, and an error keeps its line and column.
printf '\xef\xbb\xbf' | cat - "$fixtures/example.wat" > bom.wat
"$cli" bom.wat -o bom.wasm 2> err.txt && "$cli" "$fixtures/example.wat" -o nobom.wasm && cmp -s bom.wasm nobom.wasm &&
  ok "text with a UTF-8 byte order mark" || fail "BOM: $(cat err.txt)"
printf '\xef\xbb\xbf(module (func (result i32) i64.const 0))\n' > bom-bad.wat
printf '(module (func (result i32) i64.const 0))\n' > nobom-bad.wat
"$cli" bom-bad.wat -o x.wasm 2> err.txt
"$cli" nobom-bad.wat -o x.wasm 2> err2.txt
want=$(sed 's/nobom-bad/bom-bad/' err2.txt)
grep -q '^wasm-taskwrap: bom-bad.wat:1:[0-9]*: error: type mismatch' err.txt && [ "$(cat err.txt)" = "$want" ] &&
  ok "a BOM: the error at the same line and column" || fail "BOM error: $(cat err.txt) / $want"

# Names from the module reach messages escaped: a world section's name
# with terminal escapes (ESC [31m) is shown as \1b, never as the byte.
printf '(module (func (export "__wasm_task_hook") (param i32)) (func (export "run")))' > esc.wat
"$WAT2WASM" esc.wat -o esc-base.wasm || exit 1
python3 -c '
import sys
name = b"component-type:\x1b[31mred\x1b[0m"
body = bytes([len(name)]) + name + b"\x01\x02\x03"
sys.stdout.buffer.write(open("esc-base.wasm", "rb").read() + bytes([0, len(body)]) + body)' > esc.wasm
expect_status 1 "an undecodable world section" "$cli" esc.wasm --dry-run
if grep -q 'component-type:\\1b\[31mred\\1b\[0m' err.txt && ! grep -q $'\x1b' err.txt; then
  ok "a world section's name is escaped in the error"
else fail "world name escaping: $(cat -v err.txt)"; fi

# --verify=full passes a good rewrite and is named in --help with none's caveat.
expect_status 0 "--verify=full" "$cli" --verify=full in.wasm -o full.wasm
cmp -s full.wasm ref.wasm && ok "--verify=full writes the same bytes" || fail "--verify=full output differs"
output_has 'full: first validate the whole output with libwabt' "$cli" --help &&
  output_has 'none: no check at all (for benchmarking only)' "$cli" --help &&
  ok "--help documents full and none" || fail "--help verify modes"

# --check INPUT OUTPUT: the verifier alone. A correct output passes (also
# with the options it was made with); one changed byte fails at its offset
# in OUTPUT; usage errors exit 2.
expect_status 0 "--check of a correct output" "$cli" --check in.wasm ref.wasm
cp in.wasm unchanged.wasm
expect_status 1 "--check: the input is not its own rewrite" "$cli" --check in.wasm unchanged.wasm
grep -q '^wasm-taskwrap: unchanged\.wasm:0x[0-9a-f]*: error: ' err.txt &&
  ok "--check names OUTPUT and an offset in it" || fail "--check message: $(cat err.txt)"
cp ref.wasm flipped.wasm
size=$(stat -c %s flipped.wasm)
printf '\xff' | dd of=flipped.wasm bs=1 seek=$((size - 3)) conv=notrunc status=none
expect_status 1 "--check of a corrupted output" "$cli" --check in.wasm flipped.wasm
"$cli" --init-once in.wasm -o once.wasm 2> /dev/null
expect_status 0 "--check --init-once" "$cli" --check --init-once in.wasm once.wasm
expect_status 1 "--check without the option the output was made with" "$cli" --check in.wasm once.wasm
expect_status 1 "--check of a missing output" "$cli" --check in.wasm nosuch.wasm
grep -q 'nosuch.wasm: error: cannot open output: No such file' err.txt && ok "--check names the missing OUTPUT, as the output" ||
  fail "--check missing output: $(cat err.txt)"
expect_status 2 "--check with one file" "$cli" --check in.wasm
expect_status 2 "--check with -o" "$cli" --check in.wasm ref.wasm -o x.wasm
expect_status 2 "--check with three files" "$cli" --check in.wasm ref.wasm ref.wasm
[ ! -e x.wasm ] && ok "--check writes nothing" || fail "--check wrote x.wasm"

# First contact: what a new user's mistakes and questions get.
cp ref.wasm trailing.wasm && printf garbage >> trailing.wasm
expect_status 1 "bytes after the last section" "$cli" trailing.wasm -o t.wasm
grep -q "trailing.wasm:0x$(printf %x "$(stat -c %s ref.wasm)"): error: malformed section id 0x67" err.txt &&
  ok "trailing bytes: the bad section id at its offset" || fail "trailing bytes: $(cat err.txt)"
printf '(function(){return 1})()\n' > bundle.js
expect_status 1 "a JavaScript bundle" "$cli" bundle.js -o b.wasm
grep -q 'neither a binary WebAssembly module .* nor WebAssembly text' err.txt &&
  ok "text that is not WebAssembly is named as neither" || fail "bundle: $(cat err.txt)"
printf '(module (memory 1) (func (export "run")))' > nowasi.wat
expect_status 0 "--stub-wasi with nothing to stub" "$cli" --stub-wasi nowasi.wat -o nw.wasm
grep -q 'warning: --stub-wasi: the module imports no wasi_snapshot_preview1 function' err.txt &&
  ok "--stub-wasi warns that it changed nothing" || fail "nothing to stub: $(cat err.txt)"
printf '(module (memory (export "memory") 1) (func (export "run")))' > reactor.wat
expect_status 1 "--init-once without _initialize" "$cli" --init-once reactor.wat -o r.wasm
if grep -q 'exports no _initialize function' err.txt && ! grep -q 'command module' err.txt &&
   ! grep -q ':0x0:' err.txt; then ok "--init-once on a reactor: no talk of _start, an offset"
else fail "--init-once on a reactor: $(cat err.txt)"; fi
expect_status 0 "-v" "$cli" -v in.wasm -o v.wasm
grep -q 'in.wasm: removed export "__wasm_task_hook"' err.txt &&
  grep -q 're-pointed export "greet" from func:5 to func:13 (its wrapper func:13)' err.txt &&
  ok "-v: one line per change" || fail "-v: $(cat err.txt)"
expect_status 0 "--verbose, nothing to do" "$cli" --verbose nowasi.wat -o nv.wasm
grep -q 'no task-hook export and nothing else to do: copied unchanged' err.txt &&
  ok "--verbose says the module was copied unchanged" || fail "--verbose: $(cat err.txt)"

# --only / --exclude narrow what is wrapped; a post-return and a callback
# follow the export they belong to; the hook export is removed regardless.
"$cli" in.wasm --dry-run --json --only greet --exclude 'x*' > only.json 2> err.txt
if "$NODE" -e '
  const p = JSON.parse(require("fs").readFileSync("only.json", "utf8"));
  const by = Object.fromEntries(p.exports.map((e) => [e.name, e]));
  const wrapped = p.exports.filter((e) => e.hooks !== null).map((e) => e.name).sort().join(",");
  if (wrapped !== "cabi_post_greet,greet") process.exit(1);
  if (!by["add"].filtered || by["add"].reason !== "name" || by["greet"].filtered || by["greet"].reason !== "name") process.exit(2);
  if (!by["__wasm_task_hook"].removed || p.wrappers !== 2) process.exit(3);'; then
  ok "--only: greet and its post-return wrapped, the rest filtered, the hook removed"
else fail "--only: $(cat only.json)"; fi
"$cli" in.wasm --dry-run --exclude '*fetch' --exclude 'cabi_*' > excl.txt
grep -q '^"\[callback\]\[async-lift\]fetch" callback func:9 hooks=- wrapper=- not-wrapped:--only/--exclude reason=name$' excl.txt &&
  grep -q '^"cabi_post_greet" post-return func:6 -> func:13 hooks=1 ' excl.txt &&
  ok "--exclude: a callback follows its export, a post-return its function" || fail "--exclude: $(cat excl.txt)"
"$cli" in.wasm -o filtered.wasm --exclude add && "$cli" --check --exclude add in.wasm filtered.wasm &&
  ok "--check with --exclude" || fail "--check with --exclude"
expect_status 2 "--only without a pattern" "$cli" in.wasm -o x.wasm --only

# --fsync writes the same bytes.
expect_status 0 "--fsync" "$cli" --fsync in.wasm -o synced.wasm
cmp -s synced.wasm ref.wasm && ok "--fsync writes the same bytes" || fail "--fsync output differs"

summary
