#!/bin/bash
# hosts-wasi-testsuite, hosts-wasi-testsuite-wasmtime,
# hosts-wasi-testsuite-wazero: the programs hosts-wasi-testsuite-rewrite
# rewrote with their run configuration baked in must give the exit codes and
# output their JSON expects in a host with no WASI at all (WORK/in.list, the
# in-scope programs), and every sabotaged rewrite must fail there with the
# message WORK/sabotage.list gives. First, the proof that the host really has
# no WASI: the original (unrewritten) first program must be refused for want
# of wasi_snapshot_preview1. The excluded programs (WORK/out.list) are run
# too, for the log only.
#   suite-hosts.sh node     WORK SRC SHARED NODE
#   suite-hosts.sh wasmtime WORK SRC SHARED WASMTIME NODE WAT2WASM
#   suite-hosts.sh wazero   WORK SRC SHARED WAZERO-RUN
# node: run.mjs (an empty import object, or host.write alone); wasmtime: the
# CLI with -S cli=n and every other WASI option off, through wasmtime-run.mjs
# and the modules of wasmtime/; wazero: wazero-run (wazero/, built by
# hosts-wazero-build).
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
host=$1 work=$2 src=$3 shared=$4
shift 4
[ -s "$work/in.list" ] || die "no $work/in.list: hosts-wasi-testsuite-rewrite has not run"
out=$work/$host
rm -rf "$out" && mkdir -p "$out"

case $host in
node)
  node=$1
  unlinked() {
    local res
    res=$("$node" "$src/run.mjs" "$1" -) && return 1
    grep -q '^FAIL .*: imports left after --stub-wasi: \[wasi_snapshot_preview1\.' <<<"$res" || return 1
    echo "PASS $(basename "$1"): refused, its WASI imports are left"
  }
  runner() { "$node" "$src/run.mjs" "$@"; }
  ;;
wasmtime)
  wasmtime=$1 node=$2 wat2wasm=$3
  "$wat2wasm" "$src/wasmtime/host.wat" -o "$out/host.wasm" &&
    "$wat2wasm" --enable-multi-memory "$src/wasmtime/driver.wat" -o "$out/driver.wasm" ||
    die "wasmtime/*.wat do not assemble"
  unlinked() { "$node" "$src/wasmtime-run.mjs" --unlinked "$wasmtime" "$1"; }
  runner() { "$node" "$src/wasmtime-run.mjs" "$wasmtime" "$out/host.wasm" "$out/driver.wasm" "$out" "$@"; }
  ;;
wazero)
  wazero=$1
  [ -x "$wazero" ] || die "no $wazero: hosts-wazero-build has not run"
  unlinked() { "$wazero" -unlinked "$1"; }
  runner() { "$wazero" "$@"; }
  ;;
*) die "unknown host $host" ;;
esac

IFS=$'\t' read -r first _ <"$work/in.list"
orig=$shared/wasi-testsuite/tests/${first%%/*}/testsuite/wasm32-wasip1/${first#*/}.wasm
if res=$(unlinked "$orig"); then ok "$res"; else fail "$host: the original $first is not refused: $res"; fi

pairs=()
while IFS=$'\t' read -r _ wasm json; do pairs+=("$wasm" "$json"); done <"$work/in.list"
n=$((${#pairs[@]} / 2))
echo "--- in scope"
runner "${pairs[@]}" && ok "$host: the $n in-scope programs pass" || fail "$host: in-scope programs fail"

echo "--- excluded (informational; a PASS here is not an error)"
pairs=()
while IFS=$'\t' read -r _ wasm json; do pairs+=("$wasm" "$json"); done <"$work/out.list"
[ ${#pairs[@]} = 0 ] || runner "${pairs[@]}" |
  sed 's/^FAIL /excluded, fails: /; s/^PASS /NOTE: excluded but passes: /'

echo "--- sabotages (each must fail)"
while IFS=$'\t' read -r what wasm json why; do
  res=$(runner "$wasm" "$json") && rc=0 || rc=$?
  if [ $rc = 1 ] && grep -q "^FAIL .*$why" <<<"$res"; then
    ok "$host: sabotage $what fails: $(head -n 1 <<<"$res")"
  else
    fail "$host: sabotage $what: exit $rc: $res"
  fi
done <"$work/sabotage.list"
summary
