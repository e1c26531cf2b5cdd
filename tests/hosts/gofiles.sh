#!/bin/bash
# hosts-go-files: gofiles/ (os.Args, os.Getenv, os.ReadFile, os.ReadDir,
# os.Stat) built with Go 1.26 for GOOS=wasip1 twice, as a command and as a
# reactor (-buildmode=c-shared), each rewritten with --stub-wasi,
# --stub-wasi-output=host:write and the options of gofiles.opts (arguments,
# environment, tree/ as /data), the reactor with --init-once too. Both must
# print gofiles/expected.txt in wazero with no WASI module and no start
# functions (wazero-run): the command through its _start export, the
# reactor through its export run, the host never calling _initialize.
# Sabotages, each of which must fail for a wrong stdout:
#   byte     the tree with one byte of hello.txt changed (command, reactor)
#   missing  the tree without sub/empty (command, reactor)
#   errno    the right modules against expected.txt with one errno changed
# The command, not rewritten, must print expected.txt in wasmtime with its
# real WASI and a read-only copy of the tree as well.
#   gofiles.sh GO CLI NODE VALIDATE WAZERO-RUN SRC WORK GOCACHE WASMTIME
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
go=$1 cli=$2 node=$3 validate=$4 wazero=$5 src=$6 work=$7 gocache=$8 wasmtime=$9
chmod -R u+w "$work" 2>/dev/null
rm -rf "$work" && mkdir -p "$work" "$gocache" || exit 1
[ -x "$wazero" ] || die "no $wazero: hosts-wazero-build has not run"

# As go-build (tests/go/build.sh): no network, go.mod never changed, the
# build cache in the build tree.
export GOCACHE=$gocache GOFLAGS="-mod=readonly -buildvcs=false -trimpath"
export GOTOOLCHAIN=local GOPROXY=off GOWORK=off CGO_ENABLED=0
(cd "$src/gofiles" && GOOS=wasip1 GOARCH=wasm "$go" build -o "$work/command.wasm" . &&
  GOOS=wasip1 GOARCH=wasm "$go" build -buildmode=c-shared -o "$work/reactor.wasm" .) ||
  die "go build of gofiles failed"
ok "gofiles: $("$go" version | cut -d' ' -f3) GOOS=wasip1, a command and a -buildmode=c-shared reactor"

# rewrite KIND OUT TREE: gofiles.opts with tree (relative to SRC) replaced
# by TREE; the reactor also gets --init-once.
rewrite() {
  local kind=$1 out=$2 tree=$3 opts=() o extra=()
  while IFS= read -r o; do
    [[ $o =~ ^(/[^=]*)=tree(.*)$ ]] && o=${BASH_REMATCH[1]}=$tree${BASH_REMATCH[2]}
    opts+=("$o")
  done <"$src/gofiles.opts"
  [ "$kind" = reactor ] && extra=(--init-once)
  "$cli" "${extra[@]}" --stub-wasi --stub-wasi-output=host:write "${opts[@]}" \
    "$work/$kind.wasm" -o "$out" && "$validate" "$out"
}

# expectation TEXT-FILE JSON [N]: a run.mjs-style expectation of that
# stdout (N times over).
expectation() {
  "$node" -e 'const fs = require("fs"), [from, to, n] = process.argv.slice(1);
    const text = fs.readFileSync(from, "utf8").repeat(Number(n ?? 1));
    fs.writeFileSync(to, JSON.stringify({ exit_code: 0, stdout: text }));' "$@"
}
expectation "$src/gofiles/expected.txt" "$work/expected.json" &&
  expectation "$src/gofiles/expected.txt" "$work/expected3.json" 3 || die "cannot write expected.json"

# run KIND WASM JSON: wazero-run's output in $res, its exit code in $rc.
run() {
  local call=()
  [ "$1" = reactor ] && call=(-call run)
  res=$("$wazero" "${call[@]}" "$2" "$3") && rc=0 || rc=$?
}

# Not rewritten: this host has no WASI.
for kind in command reactor; do
  if res=$("$wazero" -unlinked "$work/$kind.wasm"); then ok "$res"; else fail "$kind: $res"; fi
done

for kind in command reactor; do
  rewrite $kind "$work/$kind.run.wasm" "$src/tree" || { fail "$kind: the rewrite failed"; continue; }
  run $kind "$work/$kind.run.wasm" "$work/expected.json"
  [ $rc = 0 ] && ok "$kind: prints expected.txt in wazero ($(head -n 1 <<<"$res" | cut -c 1-100))" ||
    fail "$kind: $res"
done
# The reactor's state (descriptors, offsets, directory cursors) holds up:
# run three times in one instance prints the same text three times.
res=$("$wazero" -call run -times 3 "$work/reactor.run.wasm" "$work/expected3.json") && rc=0 || rc=$?
[ $rc = 0 ] && ok "reactor: run three times in one instance, expected.txt three times" ||
  fail "reactor, three calls: $res"

# The command, not rewritten, in wasmtime with its real WASI, the options of
# gofiles.opts and a copy of the tree without write permission as /data: it
# must print expected.txt too (the stubs answer what wasmtime 49 answers).
# As root (which ignores permission bits) the run is made as nobody with
# setpriv; where that cannot be done the check is skipped.
if [ -n "$wasmtime" ]; then
  ro=$work/tree-ro
  cp -r "$src/tree" "$ro" && chmod -R a-w "$ro" || die "cannot copy the tree"
  as=() wt=() args=() opt='' first=1
  if [ "$(id -u)" = 0 ]; then
    as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    command -v setpriv >/dev/null && "${as[@]}" test -r "$work/command.wasm" || as=(none)
  fi
  cp "$work/command.wasm" "$work/gofiles.wasm" # argv[0] is the file name
  while IFS= read -r o; do
    case $o in
    --stub-wasi-arg | --stub-wasi-env | --stub-wasi-dir) opt=$o; continue ;;
    esac
    case $opt in
    --stub-wasi-arg) [ $first = 1 ] && first=0 || args+=("$o") ;;
    --stub-wasi-env) wt+=(--env "$o") ;;
    --stub-wasi-dir) [[ $o =~ ^(/[^=]*)=tree(.*)$ ]] && wt+=(--dir "$ro${BASH_REMATCH[2]}::${BASH_REMATCH[1]}") ;;
    esac
  done <"$src/gofiles.opts"
  if [ "${as[0]:-}" = none ]; then
    skip "wasmtime with WASI: running as root without setpriv, a read-only preopen cannot be made"
  else
    "${as[@]}" env HOME="$work" "$wasmtime" run -C cache=n "${wt[@]}" "$work/gofiles.wasm" "${args[@]}" \
      >"$work/wasmtime.txt" 2>"$work/wasmtime.err" && rc=0 || rc=$?
    if [ $rc = 0 ] && diff -u "$src/gofiles/expected.txt" "$work/wasmtime.txt"; then
      ok "wasmtime with WASI and a read-only preopen prints expected.txt too"
    else
      fail "wasmtime with WASI: exit $rc, text above, $work/wasmtime.err"
    fi
  fi
fi

cp -r "$src/tree" "$work/tree-byte" && cp -r "$src/tree" "$work/tree-missing" || die "cannot copy the tree"
printf W | dd of="$work/tree-byte/hello.txt" bs=1 seek=16 conv=notrunc status=none # "world" -> "World"
cmp -s "$src/tree/hello.txt" "$work/tree-byte/hello.txt" && fail "the byte of hello.txt did not change"
rm "$work/tree-missing/sub/empty"
sed 's/^missing: open \/data\/nope.txt: No such file or directory$/missing: open \/data\/nope.txt: permission denied/' \
  "$src/gofiles/expected.txt" >"$work/errno.txt"
cmp -s "$src/gofiles/expected.txt" "$work/errno.txt" && fail "expected.txt: no errno line to change"
expectation "$work/errno.txt" "$work/errno.json"
# sabotaged KIND WHAT WASM JSON: must fail for a wrong stdout.
sabotaged() {
  run "$1" "$3" "$4"
  if [ $rc = 1 ] && grep -q '^FAIL [^:]*: stdout differs at line' <<<"$res"; then
    ok "$1: sabotage $2 fails: $(head -n 1 <<<"$res" | cut -c 1-160)"
  else
    fail "$1: sabotage $2: exit $rc: $res"
  fi
}
for kind in command reactor; do
  rewrite $kind "$work/$kind.byte.wasm" "$work/tree-byte" &&
    rewrite $kind "$work/$kind.missing.wasm" "$work/tree-missing" ||
    { fail "$kind: the sabotaged rewrites failed"; continue; }
  sabotaged $kind byte "$work/$kind.byte.wasm" "$work/expected.json"
  sabotaged $kind missing "$work/$kind.missing.wasm" "$work/expected.json"
  sabotaged $kind errno "$work/$kind.run.wasm" "$work/errno.json"
done
summary
