#!/bin/bash
# hosts-c-files: c/files.c (fopen/fread/fseek/fgets, open/pread,
# opendir/readdir, stat, and the errnos of what a read-only tree refuses)
# built with clang as a wasm32-wasi command and rewritten with --stub-wasi,
# --stub-wasi-output=host:write and the options of c/files.opts (arguments,
# environment, and tree/ as /data and tree/sub as /more, both read only).
# It must print c/files.txt in Node.js (run.mjs), in wasmtime with
# no WASI (wasmtime-run.mjs) and in wazero with no WASI module (wazero-run).
# The original program in wasmtime with its real WASI and a read-only copy
# of the tree must print the same text. Sabotages, each of which must fail
# in all three hosts for a wrong stdout:
#   byte     the tree with one byte of hello.txt changed
#   missing  the tree without sub/empty
#   errno    the right module against an expectation with one errno changed
#   c-files.sh CLI CLANG NODE VALIDATE WASMTIME WAT2WASM WAZERO-RUN SRC WORK
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
cli=$1 clang=$2 node=$3 validate=$4 wasmtime=$5 wat2wasm=$6 wazero=$7 src=$8 work=$9
chmod -R u+w "$work" 2>/dev/null
rm -rf "$work" && mkdir -p "$work" || exit 1
[ -x "$wazero" ] || die "no $wazero: hosts-wazero-build has not run"

# -O2 -c, then a link without -O: clang 14 runs wasm-opt when linking with -O.
"$clang" --target=wasm32-wasi -O2 -Wall -Wextra -Werror -c "$src/c/files.c" -o "$work/files.o" &&
  "$clang" --target=wasm32-wasi "$work/files.o" -o "$work/files.wasm" || die "clang: files.c"
"$wat2wasm" "$src/wasmtime/host.wat" -o "$work/host.wasm" &&
  "$wat2wasm" --enable-multi-memory "$src/wasmtime/driver.wat" -o "$work/driver.wasm" ||
  die "wasmtime/*.wat do not assemble"

# rewrite OUT TREE: files.opts with ../tree (relative to c/) replaced by TREE.
rewrite() {
  local out=$1 tree=$2 opts=() o
  while IFS= read -r o; do
    [[ $o =~ ^(/[^=]*)=\.\./tree(.*)$ ]] && o=${BASH_REMATCH[1]}=$tree${BASH_REMATCH[2]}
    opts+=("$o")
  done <"$src/c/files.opts"
  "$cli" --stub-wasi --stub-wasi-output=host:write "${opts[@]}" "$work/files.wasm" -o "$out" &&
    "$validate" "$out"
}

# in_hosts WASM JSON: the three runners' outputs in $res_node, $res_wasmtime,
# $res_wazero, their exit codes in $rc_node...
in_hosts() {
  res_node=$("$node" "$src/run.mjs" "$1" "$2") && rc_node=0 || rc_node=$?
  res_wasmtime=$("$node" "$src/wasmtime-run.mjs" "$wasmtime" "$work/host.wasm" "$work/driver.wasm" \
    "$work" "$1" "$2") && rc_wasmtime=0 || rc_wasmtime=$?
  res_wazero=$("$wazero" "$1" "$2") && rc_wazero=0 || rc_wazero=$?
}

# expectation TEXT-FILE JSON: a run.mjs-style expectation of that stdout
# (and a return from main).
expectation() {
  "$node" -e 'const fs = require("fs"), [from, to] = process.argv.slice(1);
    fs.writeFileSync(to, JSON.stringify({ exit_via: "return", stdout: fs.readFileSync(from, "utf8") }));' "$1" "$2"
}
expectation "$src/c/files.txt" "$work/files.json" || die "cannot write files.json"

rewrite "$work/files.run.wasm" "$src/tree" || die "the rewrite of files.wasm failed"
in_hosts "$work/files.run.wasm" "$work/files.json"
for h in node wasmtime wazero; do
  rc=rc_$h res=res_$h
  [ "${!rc}" = 0 ] && ok "$h: files.c prints files.txt" || fail "$h: ${!res}"
done

# The same program, not rewritten, in wasmtime with its real WASI: the
# arguments and environment of files.opts, and a copy of the tree without
# write permission preopened as /data and /more. It must print the same
# text: the stubs answer what wasmtime 49 answers on a read-only preopen.
# Root ignores the permission bits, so as root the run is made as nobody
# (setpriv); where that cannot be done the check is skipped.
ro=$work/tree-ro
cp -r "$src/tree" "$ro" && chmod -R a-w "$ro" || die "cannot copy the tree"
as=() wt=()
if [ "$(id -u)" = 0 ]; then
  as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
  command -v setpriv >/dev/null && "${as[@]}" test -r "$work/files.wasm" || as=(none)
fi
first=1 opt='' args=()
while IFS= read -r o; do
  case $o in
  --stub-wasi-arg | --stub-wasi-env | --stub-wasi-dir) opt=$o; continue ;;
  esac
  case $opt in
  --stub-wasi-arg) [ $first = 1 ] && first=0 || args+=("$o") ;; # argv[0]: the file name, files.wasm
  --stub-wasi-env) wt+=(--env "$o") ;;
  --stub-wasi-dir) [[ $o =~ ^(/[^=]*)=\.\./tree(.*)$ ]] && wt+=(--dir "$ro${BASH_REMATCH[2]}::${BASH_REMATCH[1]}") ;;
  esac
done <"$src/c/files.opts"
if [ "${as[0]:-}" = none ]; then
  skip "wasmtime with WASI: running as root without setpriv, a read-only preopen cannot be made"
else
  "${as[@]}" env HOME="$work" "$wasmtime" run -C cache=n "${wt[@]}" "$work/files.wasm" "${args[@]}" \
    >"$work/files.wasmtime.txt" 2>"$work/files.wasmtime.err" && rc=0 || rc=$?
  if [ $rc = 0 ] && diff -u "$src/c/files.txt" "$work/files.wasmtime.txt"; then
    ok "wasmtime with WASI and a read-only preopen prints the same text (the same errnos)"
  else
    fail "wasmtime with WASI: exit $rc, text above, $work/files.wasmtime.err"
  fi
fi

cp -r "$src/tree" "$work/tree-byte" && cp -r "$src/tree" "$work/tree-missing" || die "cannot copy the tree"
printf W | dd of="$work/tree-byte/hello.txt" bs=1 seek=16 conv=notrunc status=none # "world" -> "World"
cmp -s "$src/tree/hello.txt" "$work/tree-byte/hello.txt" && fail "the byte of hello.txt did not change"
rm "$work/tree-missing/sub/empty"
sed 's/^stat of a missing file: ENOENT$/stat of a missing file: EACCES/' "$src/c/files.txt" >"$work/errno.txt"
cmp -s "$src/c/files.txt" "$work/errno.txt" && fail "files.txt: no errno line to change"
expectation "$work/errno.txt" "$work/errno.json"
rewrite "$work/byte.wasm" "$work/tree-byte" && rewrite "$work/missing.wasm" "$work/tree-missing" ||
  fail "the sabotaged rewrites failed"
for s in byte:byte.wasm:files.json missing:missing.wasm:files.json errno:files.run.wasm:errno.json; do
  IFS=: read -r what wasm json <<<"$s"
  in_hosts "$work/$wasm" "$work/$json"
  for h in node wasmtime wazero; do
    rc=rc_$h res=res_$h
    if [ "${!rc}" = 1 ] && grep -q '^FAIL [^:]*: stdout differs at line' <<<"${!res}"; then
      ok "$h: sabotage $what fails: $(head -n 1 <<<"${!res}" | cut -c 1-160)"
    else
      fail "$h: sabotage $what: exit ${!rc}: ${!res}"
    fi
  done
done
summary
