#!/usr/bin/env bash
# cli-stub-wasi-files: --stub-wasi-dir as a host with no WASI sees it
# (docs/usage.md, "Baked-in arguments, environment and files"): a C
# program (stub-wasi-files.c) calls every WASI function a reading program
# uses on two embedded trees and prints each errno and result; the output
# is pinned in stub-wasi-files.expected (BLESS=1 rewrites it). --check
# takes the output and refuses it once a file's byte changed, an entry is
# missing, or a stub answers a wrong errno; each of those also changes
# what the program prints.
#   stub-wasi-files.sh CLI WORK   env: NODE CLANG WAT2WASM
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cli=$(realpath "$1") work=$2
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
"$CLANG" --target=wasm32-wasi -O1 -Wall -Wno-unused-result "$here/stub-wasi-files.c" -o files.wasm ||
  die "clang"
make_tree() {
  rm -rf tree && mkdir -p tree/sub/deeper &&
    printf 'hello world\n' > tree/a.txt && printf 'bbb' > tree/b.txt && printf 'zz' > tree/sub/z.txt
}
make_tree
opts=(--stub-wasi --stub-wasi-output host:write --stub-wasi-dir /ro=tree --stub-wasi-dir /two=tree/sub)
"$cli" "${opts[@]}" files.wasm -o out.wasm 2> err.txt || die "rewrite: $(cat err.txt)"
"$NODE" "$here/stub-wasi-run.mjs" out.wasm > run.txt 2>&1
check_golden run.txt "$here/stub-wasi-files.expected" && ok "every call's errno and result as pinned"
"$cli" --check "${opts[@]}" files.wasm out.wasm 2> err.txt && ok "--check takes the output" ||
  fail "--check: $(cat err.txt)"

# The plan says what was embedded.
"$cli" "${opts[@]}" files.wasm --dry-run --json > plan.json || die "--json"
# 2 roots, 3 more directories (tree/sub and both deeper), 4 files (19
# bytes), the 9 names (42 bytes); libc's 22 data segments come first.
want='{"args":0,"env":0,"preopens":2,"files":4,"directories":5,"file_bytes":19,"segment":22,"bytes":61}'
got=$("$NODE" -e 'console.log(JSON.stringify(JSON.parse(require("fs").readFileSync("plan.json", "utf8")).embedded))')
[ "$got" = "$want" ] && ok "--json: embedded $got" || fail "--json: embedded $got, want $want"

# Sabotage 1: a byte of a file changed after the rewrite.
printf 'Hello world\n' > tree/a.txt
if "$cli" --check "${opts[@]}" files.wasm out.wasm 2> err.txt; then fail "--check takes a changed file byte"
else ok "--check refuses a changed file byte: $(head -c 150 err.txt)"; fi
"$cli" "${opts[@]}" files.wasm -o changed.wasm && "$NODE" "$here/stub-wasi-run.mjs" changed.wasm > changed.txt 2>&1
output_has -F '  n 2 He' cat changed.txt && ok "the program reads the changed byte" ||
  fail "the changed byte is not read: $(grep -A1 'pread 2' changed.txt)"
make_tree

# Sabotage 2: an entry missing.
rm tree/b.txt
if "$cli" --check "${opts[@]}" files.wasm out.wasm 2> err.txt; then fail "--check takes a missing entry"
else ok "--check refuses a missing entry: $(head -c 150 err.txt)"; fi
"$cli" "${opts[@]}" files.wasm -o missing.wasm && "$NODE" "$here/stub-wasi-run.mjs" missing.wasm > missing.txt 2>&1
if output_lacks -F 'name b.txt' cat missing.txt && ! cmp -s missing.txt run.txt; then
  ok "the missing entry is not listed"
else fail "the missing entry is still listed"; fi
make_tree

# Sabotage 3: a wrong errno: path_open's first ENOENT (i32.const 44, the
# empty path's) made 45 in the output's bytes.
"$cli" "${opts[@]}" files.wasm --dry-run > plan.txt 2> /dev/null || die "--dry-run"
func=$(sed -n 's/^stub "path_open" .* -> func:\([0-9]*\) .*/\1/p' plan.txt)
[ -n "$func" ] || die "no path_open stub in the plan"
FUNC=$func "$NODE" -e '
  const fs = require("fs"); const b = fs.readFileSync("out.wasm");
  const leb = (i) => { let v = 0, s = 0, c; do { c = b[i++]; v += (c & 0x7f) * 2 ** s; s += 7; } while (c & 0x80); return [v, i]; };
  let i = 8, imports = 0, at = -1;
  while (i < b.length) {
    const id = b[i]; const [size, body] = leb(i + 1); i = body + size;
    if (id === 2) { let [n, p] = leb(body); for (let k = 0; k < n; k++) {
      for (let s = 0; s < 2; s++) { const [l, q] = leb(p); p = q + l; }
      const kind = b[p++]; if (kind === 0) imports++;
      if (kind === 0) p = leb(p)[1]; else if (kind === 1) { p++; p = leb(p)[1]; p = b[p - 1] & 1 ? leb(p)[1] : p; }
      else if (kind === 2) { const f = b[p++]; p = leb(p)[1]; if (f & 1) p = leb(p)[1]; } else if (kind === 3) p += 2; else p = leb(p + 1)[1]; } }
    if (id === 10) { let [n, p] = leb(body); for (let k = 0; k < n; k++) { const [sz, q] = leb(p);
      if (k === Number(process.env.FUNC) - imports) at = q; p = q + sz; } }
  }
  for (let k = at; at >= 0 && k + 1 < b.length; k++)
    if (b[k] === 0x41 && b[k + 1] === 44) { b[k + 1] = 45; fs.writeFileSync("sab.wasm", b); process.exit(0); }
  process.exit(3);' || die "sabotage: no i32.const 44 in path_open"
if "$cli" --check "${opts[@]}" files.wasm sab.wasm 2> err.txt; then fail "--check takes a wrong errno"
else
  output_has 'path_open.*i32.const 44, found 45' cat err.txt && ok "--check refuses a wrong errno: $(head -c 170 err.txt)" ||
    fail "--check on a wrong errno: $(cat err.txt)"
fi
"$NODE" "$here/stub-wasi-run.mjs" sab.wasm > sab.txt 2>&1
output_has 'open empty  *45$' cat sab.txt && ok "the wrong errno shows in the program's output" ||
  fail "the wrong errno does not show: $(grep 'open empty' sab.txt)"

# The refusals of what cannot be embedded.
mkdir -p deep && d=deep && for i in $(seq 1 66); do d=$d/d; done && mkdir -p "$d"
if "$cli" --stub-wasi --stub-wasi-dir /d=deep files.wasm -o deep.wasm 2> err.txt; then
  fail "a tree deeper than the limit is embedded"
else output_has 'deeper than 64 directories' cat err.txt && ok "too deep: $(head -c 120 err.txt)" ||
  fail "too deep: $(cat err.txt)"; fi
set --
for i in 1 2 3 4 5 6 7 8 9; do set -- "$@" --stub-wasi-dir "/p$i=tree"; done
if "$cli" --stub-wasi "$@" files.wasm -o many.wasm 2> err.txt; then fail "nine preopens are taken"
else output_has 'more than the limit of 8' cat err.txt && ok "nine preopens: $(head -c 120 err.txt)" ||
  fail "nine preopens: $(cat err.txt)"; fi
summary
