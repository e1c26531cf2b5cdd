#!/usr/bin/env bash
# cli-stub-wasi-data: --stub-wasi-arg and --stub-wasi-env as a host sees
# them (docs/usage.md, "Baked-in arguments, environment and files"): the
# lists a module reads through its stubs with no imports at all, only its
# own buffers written; the JSON plan's counts; --check against the same
# options, and refusing a different list or a changed byte of the data;
# a module with no [i32] -> [i32] type reading a file (the type appended);
# the values refused at rewrite time; --stub-wasi-dir's refusals of what
# it cannot embed, and of a tree that changes while it is read.
#   stub-wasi-data.sh CLI WORK   env: NODE WAT2WASM CC
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cli=$(realpath "$1") work=$2
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
"$WAT2WASM" "$here/stub-wasi-lists.wat" -o in.wasm || die "wat2wasm"

opts=(--stub-wasi --stub-wasi-arg prog --stub-wasi-arg '' --stub-wasi-arg 'two words'
      --stub-wasi-arg=é --stub-wasi-env 'A=1' --stub-wasi-env 'B=x=y' --stub-wasi-env $'NL=a\nb'
      --stub-wasi-env 'EMPTY=')
cat > want.json <<'JSON'
{"args": ["prog", "", "two words", "é"], "env": ["A=1", "B=x=y", "NL=a\nb", "EMPTY="]}
JSON
"$cli" "${opts[@]}" in.wasm -o out.wasm 2> err.txt || die "rewrite: $(cat err.txt)"
if r=$("$NODE" "$here/stub-wasi-lists.mjs" out.wasm want.json 2>&1); then ok "read through the stubs: $r"
else fail "read through the stubs: $r"; fi

# Sabotage of the reader: a list that differs must be caught.
sed 's/two words/two Words/' want.json > wrong.json
if "$NODE" "$here/stub-wasi-lists.mjs" out.wasm wrong.json > /dev/null 2>&1; then
  fail "self-check: a wrong expected argument passes"
else ok "self-check: a wrong expected argument is caught"; fi

# Without the lists the same module reads none (the zero stubs).
"$cli" --stub-wasi in.wasm -o plain.wasm || die "plain rewrite"
echo '{"args": [], "env": []}' > none.json
if r=$("$NODE" "$here/stub-wasi-lists.mjs" plain.wasm none.json 2>&1); then ok "no lists: $r"
else fail "no lists: $r"; fi

# The JSON plan says what was embedded.
"$cli" "${opts[@]}" in.wasm --dry-run --json > plan.json || die "--json"
# 4 + 4 offsets (32 bytes), then the strings with their NULs (19 + 24 bytes).
want_embedded='{"args":4,"env":4,"preopens":0,"files":0,"directories":0,"file_bytes":0,"segment":0,"bytes":75}'
got=$("$NODE" -e 'const p = JSON.parse(require("fs").readFileSync("plan.json", "utf8")); console.log(JSON.stringify(p.embedded))')
[ "$got" = "$want_embedded" ] && ok "--json: embedded $got" || fail "--json: embedded $got, want $want_embedded"
"$cli" --stub-wasi in.wasm --dry-run --json > plain.json || die "--json plain"
output_lacks -F '"embedded"' cat plain.json && ok "--json without the options: no \"embedded\"" ||
  fail "--json without the options names \"embedded\""

# --check: the same options pass; other lists, or a changed byte, fail.
"$cli" --check "${opts[@]}" in.wasm out.wasm 2> err.txt && ok "--check with the same lists" ||
  fail "--check with the same lists: $(cat err.txt)"
if "$cli" --check "${opts[@]/two words/two Words}" in.wasm out.wasm 2> err.txt; then
  fail "--check with another argument passes"
else
  output_has 'embedded segment' cat err.txt && ok "--check with another argument: $(head -c 150 err.txt)" ||
    fail "--check with another argument: $(cat err.txt)"
fi
if "$cli" --check "${opts[@]}" --stub-wasi-env C=3 in.wasm out.wasm 2> err.txt; then
  fail "--check with one more variable passes"
else ok "--check with one more variable fails"; fi
# A byte of the data changed in the output ("two words" -> "twO words").
"$NODE" -e '
  const fs = require("fs"); const b = fs.readFileSync("out.wasm");
  const i = b.indexOf(Buffer.from("two words")); if (i < 0) process.exit(3);
  b[i + 2] = 0x4f; fs.writeFileSync("sabotaged.wasm", b);' || die "sabotage"
if "$cli" --check "${opts[@]}" in.wasm sabotaged.wasm 2> err.txt; then
  fail "--check takes a changed byte of the embedded data"
else
  output_has 'the embedded segment' cat err.txt && ok "--check refuses a changed data byte: $(head -c 160 err.txt)" ||
    fail "--check on a changed data byte: $(cat err.txt)"
fi
# An argument count changed in the stub (i32.const 4 -> 5 in args_sizes_get).
"$cli" "${opts[@]}" in.wasm -t -o out.wat 2> /dev/null && {
  sed '0,/i32.const 4$/s//i32.const 5/' out.wat > sab.wat
  "$WAT2WASM" sab.wat -o sab-count.wasm &&
    if "$cli" --check "${opts[@]}" in.wasm sab-count.wasm 2> err.txt; then
      fail "--check takes a wrong argument count"
    else ok "--check refuses a wrong argument count: $(head -c 160 err.txt)"; fi
}

# A module with no function type [i32] -> [i32] that reads a file: the
# embedded table's lookup gets that type appended after the input's
# (docs/abi.md, "Embedded WASI data"). Pinned: the plan, the added type's
# line of --verbose, and the output's types and function headers
# (stub-wasi-notype.expected; BLESS=1 rewrites it).
"$WAT2WASM" "$here/stub-wasi-notype.wat" -o notype.wasm || die "wat2wasm notype"
mkdir -p notype-tree && printf 'hello\n' > notype-tree/f.txt
nt_opts=(--stub-wasi --stub-wasi-arg x --stub-wasi-dir /d=notype-tree)
if "$cli" "${nt_opts[@]}" notype.wasm -o notype.out.wasm --plan > notype.txt 2> err.txt; then
  ok "no [i32] -> [i32] type: rewritten"
else fail "no [i32] -> [i32] type: refused: $(cat err.txt)"; fi
"$cli" "${nt_opts[@]}" notype.wasm -o /dev/null --verbose 2>&1 | grep 'added type' >> notype.txt
"$cli" "${nt_opts[@]}" notype.wasm -t -o - | grep -E '^  \((type|func) ' | sed 's/^\(  (func (;[0-9]*;) (type [0-9]*)\).*/\1/' >> notype.txt
check_golden notype.txt "$here/stub-wasi-notype.expected"
output_has -F 'added type 3: [i32] -> [i32]' cat notype.txt && ok "the lookup's type is appended" ||
  fail "no appended [i32] -> [i32] in: $(cat notype.txt)"
echo '{"args": ["x"], "env": []}' > notype.json
if r=$("$NODE" "$here/stub-wasi-lists.mjs" notype.out.wasm notype.json 2>&1); then ok "notype: read through the stubs: $r"
else fail "notype: read through the stubs: $r"; fi
r=$("$NODE" -e '
  const fs = require("fs");
  const { exports: ex } = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(process.argv[1])), {});
  const n = ex.read_file(2048, 64);
  console.log(n, JSON.stringify(Buffer.from(new Uint8Array(ex.memory.buffer, 2048, Math.max(n, 0))).toString()));' \
  notype.out.wasm 2>&1)
[ "$r" = '6 "hello\n"' ] && ok "notype: the file read through the stubs: $r" || fail "notype: read_file: $r"
"$cli" --check "${nt_opts[@]}" notype.wasm notype.out.wasm 2> err.txt && ok "notype: --check takes it" ||
  fail "notype: --check: $(cat err.txt)"
# Sabotage: the appended type's result i32 (its last byte, the type
# section's last) made i64: --check must refuse it.
"$NODE" -e '
  const fs = require("fs"); const b = fs.readFileSync("notype.out.wasm");
  const leb = (i) => { let v = 0, s = 0, c; do { c = b[i++]; v += (c & 0x7f) * 2 ** s; s += 7; } while (c & 0x80); return [v, i]; };
  for (let i = 8; i < b.length;) {
    const [size, body] = leb(i + 1);
    if (b[i] === 1) { if (b[body + size - 1] !== 0x7f) process.exit(3); b[body + size - 1] = 0x7e;
      fs.writeFileSync("notype.sab.wasm", b); process.exit(0); }
    i = body + size;
  }
  process.exit(3);' || die "sabotage: no type section ending in i32"
if "$cli" --check "${nt_opts[@]}" notype.wasm notype.sab.wasm 2> err.txt; then
  fail "--check takes a changed byte of the appended type"
else
  output_has -F 'the added lookup type [i32] -> [i32]' cat err.txt &&
    ok "--check refuses a changed byte of the appended type: $(head -c 170 err.txt)" ||
    fail "--check on a changed appended type: $(cat err.txt)"
fi

# Values refused when the module is rewritten (exit 1, nothing written).
refuse() { # WHAT PATTERN OPTIONS...
  local what=$1 pattern=$2; shift 2
  rm -f refused.wasm
  "$cli" --stub-wasi "$@" in.wasm -o refused.wasm 2> err.txt; local st=$?
  if [ "$st" = 1 ] && [ ! -e refused.wasm ] && output_has -F "$pattern" cat err.txt; then
    ok "$what: exit 1: $(head -c 140 err.txt)"
  else fail "$what: exit $st: $(cat err.txt)"; fi
}
refuse "an argument that is not UTF-8" "--stub-wasi-arg value 2 is not valid UTF-8" \
  --stub-wasi-arg p --stub-wasi-arg $'\xff'
refuse "a variable that is not UTF-8" "--stub-wasi-env value 1 is not valid UTF-8" \
  --stub-wasi-env $'A=\xc3'
refuse "a variable without '='" "needs NAME=VALUE" --stub-wasi-env NAME
refuse "a variable with an empty name" "needs NAME=VALUE" --stub-wasi-env =v
mkdir -p tree/sub && echo hi > tree/sub/file.txt && ln -s file.txt tree/sub/link
refuse "a symbolic link in the tree" "tree/sub/link is a symbolic link" --stub-wasi-dir /d=tree
rm tree/sub/link && mkfifo tree/fifo
refuse "a FIFO in the tree" "tree/fifo is a special file" --stub-wasi-dir /d=tree
rm tree/fifo
refuse "a file as the directory" "is not a directory" --stub-wasi-dir /d=tree/sub/file.txt
refuse "an empty guest name" "needs GUEST=HOSTDIR" --stub-wasi-dir =tree

# A name that is not UTF-8 (with a terminal escape in it) is shown escaped:
# no byte of it reaches stderr raw.
mkdir -p tree-bad && printf x > "tree-bad/a$(printf '\377\033[31m')b"
refuse "a name that is not UTF-8" 'tree-bad/a\ff\1b[31mb: the name is not valid UTF-8' \
  --stub-wasi-dir /d=tree-bad
LC_ALL=C grep -q $'[\x80-\xff\x1b]' err.txt && fail "the name reached stderr raw: $(od -c err.txt | head -3)" ||
  ok "the name is escaped in the message"
rm -rf tree-bad
refuse "a HOSTDIR that is not UTF-8" "'/d=x\\fe': x\\fe is not a directory" --stub-wasi-dir /d=x$'\xfe'

# HOSTDIR itself may be a symbolic link: it is followed, as `cp -r HOSTDIR/`
# would; the tree is the same as through its target. Below it, no link is.
ln -s tree tree-link && ln -s tree/sub/file.txt file-link
"$cli" --stub-wasi --stub-wasi-dir /d=tree in.wasm -o direct.wasm 2> err.txt &&
  "$cli" --stub-wasi --stub-wasi-dir /d=tree-link in.wasm -o linked.wasm 2>> err.txt &&
  cmp -s direct.wasm linked.wasm && ok "a HOSTDIR that is a symbolic link: the tree it points to" ||
  fail "a HOSTDIR that is a symbolic link: $(cat err.txt)"
refuse "a HOSTDIR that is a symbolic link to a file" "file-link is not a directory" --stub-wasi-dir /d=file-link
ln -s file.txt tree/sub/link
refuse "a symbolic link below a linked HOSTDIR" "tree-link/sub/link is a symbolic link" --stub-wasi-dir /d=tree-link
rm tree/sub/link tree-link file-link

# An entry that cannot be read is refused as the other values are, with
# the input's offset 0 (the permission bits do not stop root: as root, the
# rewrite runs as nobody; without setpriv the case is skipped).
as=()
[ "$(id -u)" = 0 ] && as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
if [ ${#as[@]} = 0 ] || { command -v setpriv > /dev/null && "${as[@]}" test -r in.wasm -a -x "$cli"; }; then
  mkdir -p tree-ro/sub && printf x > tree-ro/secret && chmod 000 tree-ro/secret
  for what in "a file:cannot read tree-ro/secret: " "a directory:cannot read the directory tree-ro/sub: "; do
    [ "${what%%:*}" = "a directory" ] && chmod 644 tree-ro/secret && chmod 000 tree-ro/sub
    rm -f refused.wasm
    "${as[@]}" "$cli" --stub-wasi --stub-wasi-dir /d=tree-ro in.wasm -o refused.wasm 2> err.txt; st=$?
    if [ "$st" = 1 ] && [ ! -e refused.wasm ] &&
       output_has -F "in.wasm:0x0: error: --stub-wasi-dir: ${what#*:}" cat err.txt; then
      ok "${what%%:*} that cannot be read: exit 1: $(head -c 140 err.txt)"
    else fail "${what%%:*} that cannot be read: exit $st: $(cat err.txt)"; fi
  done
  chmod 755 tree-ro/sub && rm -rf tree-ro
else skip "an entry that cannot be read: as root, and nobody cannot run the tool here"; fi

mkdir -p many && (cd many && seq 1 4097 | xargs touch)
refuse "4097 files in one directory" "more than 4096 files and directories" --stub-wasi-dir /d=many
rm -rf many

# The tree changing while it is read (an LD_PRELOAD shim changes it at one
# exact call): refused, exit 1, nothing written; never a wait on a FIFO.
${CC:-cc} -shared -fPIC -O1 -o shim.so "$here/stub-wasi-shim.c" -ldl || die "cannot compile the shim"
asan=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 # the shim comes first
race() { # WHAT SHIM_DO NAME PATH
  rm -rf race shim.log refused.wasm && mkdir -p race/sub && printf 'hello\n' > race/f.txt &&
    printf 'zz' > race/sub/z.txt
  SHIM_DO=$2 SHIM_NAME=$3 SHIM_PATH=$PWD/$4 SHIM_LOG=$PWD/shim.log LD_PRELOAD=$PWD/shim.so \
    ASAN_OPTIONS=$asan "$cli" --stub-wasi --stub-wasi-dir /d=race notype.wasm -o refused.wasm \
    2> err.txt
  local st=$?
  if [ "$(cat shim.log 2> /dev/null)" != "$2" ]; then fail "$1: the shim did not act"
  elif [ "$st" = 1 ] && [ ! -e refused.wasm ] && output_has -F "$4 changed while it was read" cat err.txt; then
    ok "$1: exit 1: $(head -c 140 err.txt)"
  else fail "$1: exit $st: $(cat err.txt)"; fi
}
race "a file that grows while read" grow f.txt race/f.txt
race "a file truncated while read" truncate f.txt race/f.txt
race "a file replaced by a FIFO before it is opened" fifo f.txt race/f.txt
race "a file replaced by a symbolic link before it is opened" symlink f.txt race/f.txt
race "a directory replaced by a symbolic link before it is opened" symlink sub race/sub
race "a directory replaced by another before it is opened" newdir sub race/sub
# Control: the same tree, the shim asked to act on no name, is embedded.
rm -rf race shim.log && mkdir -p race/sub && printf 'hello\n' > race/f.txt
SHIM_DO=grow SHIM_NAME=none SHIM_PATH=$PWD/race/f.txt LD_PRELOAD=$PWD/shim.so ASAN_OPTIONS=$asan \
  "$cli" --stub-wasi --stub-wasi-dir /d=race notype.wasm -o race.wasm 2> err.txt &&
  [ ! -e shim.log ] && ok "control: the shim idle, the tree is embedded" ||
  fail "control: the shim idle: $(cat err.txt)"

# Usage errors (exit 2): the options need --stub-wasi and a value.
usage() { # WHAT ARGS...
  local what=$1; shift
  "$cli" "$@" 2> err.txt; local st=$?
  [ "$st" = 2 ] && ok "$what: exit 2: $(head -n 1 err.txt)" || fail "$what: exit $st: $(cat err.txt)"
}
usage "--stub-wasi-arg without --stub-wasi" --stub-wasi-arg x in.wasm -o u.wasm
usage "--stub-wasi-env without --stub-wasi" --stub-wasi-env A=1 in.wasm -o u.wasm
usage "--stub-wasi-dir without --stub-wasi" --stub-wasi-dir /d=tree in.wasm -o u.wasm
usage "--stub-wasi-env with no value" in.wasm -o u.wasm --stub-wasi --stub-wasi-env
[ ! -e u.wasm ] && ok "usage errors write nothing" || fail "a usage error wrote u.wasm"
summary
