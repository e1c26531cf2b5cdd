#!/bin/bash
# go-wazero, go-node, go-wasmtime: run the Go guest that go-build made and
# rewrote (build.sh) in one host, and the sabotaged variants, which must fail.
#   run.sh wazero   WORK SRC
#   run.sh node     WORK SRC NODE
#   run.sh wasmtime WORK SRC WASMTIME
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
host=$1 work=$2 src=$3 tool=${4:-}
[ -f "$work/guest.tw.wasm" ] || die "no $work/guest.tw.wasm: go-build has not run"
out=$work/out-$host
rm -rf "$out" && mkdir -p "$out"

# The transcript with the two values that are not fixed replaced by the
# property checked: a time after 2020-01-01T00:00:00Z (1577836800) and before
# 2100, a rand_n N result in [0, N). A value without the property stays as it
# is and the comparison with expected.txt fails on it.
normalize() {
  awk '$1 == "now_unix" && NF == 2 && $2 ~ /^[0-9]+$/ && $2 + 0 > 1577836800 && $2 + 0 < 4102444800 {
         $2 = "<after-2020>" }
       $1 == "rand_n" && NF == 3 && $3 ~ /^[0-9]+$/ && $3 + 0 < $2 + 0 { $3 = "<in-range>" }
       { print }'
}

# transcript VARIANT [HOST FLAGS]: the host's transcript of guest.VARIANT.wasm
# into $out/VARIANT.txt, its exit status in $rc.
transcript() {
  local v=$1
  shift
  rc=0
  case $host in
  wazero) "$work/wazero-host" "$@" "$work/guest.$v.wasm" > "$out/$v$*.txt" 2>&1 || rc=$? ;;
  node) "$tool" "$src/node-host.mjs" "$work/guest.$v.wasm" > "$out/$v.txt" 2>&1 || rc=$? ;;
  esac
}
has_line() { grep -qxF -- "$2" "$1"; }

if [ "$host" != wasmtime ]; then
  # The rewrite: every export returns what it should and every fmt text
  # arrives through env.log, exactly.
  transcript tw
  if [ $rc = 0 ] && normalize < "$out/tw.txt" | diff -u "$src/expected.txt" -; then
    ok "$host: the rewrite runs without WASI or _initialize; results and env.log text as expected.txt"
  else
    fail "$host: the rewrite (exit $rc, transcript $out/tw.txt)"
  fi

  # Not rewritten: the module needs WASI, which this host does not have.
  transcript orig
  case $host in
  wazero) msg='error instantiate: module[wasi_snapshot_preview1] not instantiated' ;;
  node) msg='error instantiate: TypeError: WebAssembly.instantiate(): Import #0 module="wasi_snapshot_preview1" error: module is not an object or function' ;;
  esac
  [ $rc = 1 ] && has_line "$out/orig.txt" "$msg" &&
    ok "$host: not rewritten, instantiation fails for want of wasi_snapshot_preview1" ||
    fail "$host: not rewritten (exit $rc, $out/orig.txt)"

  # Without --init-once, the first export called is refused by Go's runtime,
  # its message arriving through env.log on fd 2.
  transcript noinit
  [ $rc = 1 ] &&
    has_line "$out/noinit.txt" 'log 2 "runtime: wasmexport function called before runtime initialization\n"' &&
    has_line "$out/noinit.txt" 'log 2 "\tcall _initialize first\n"' &&
    grep -q '^error greet: .*unreachable' "$out/noinit.txt" &&
    ok "$host: sabotage caught: without --init-once, greet aborts with Go's 'called before runtime initialization'" ||
    fail "$host: the rewrite without --init-once (exit $rc, $out/noinit.txt)"

  # The output import renamed: this host has no env.log2.
  transcript log2
  case $host in
  wazero) msg='error instantiate: "log2" is not exported in module "env"' ;;
  node) msg='error instantiate: LinkError: WebAssembly.instantiate(): Import #0 module="env" function="log2" error: function import requires a callable' ;;
  esac
  [ $rc = 1 ] && has_line "$out/log2.txt" "$msg" &&
    ok "$host: sabotage caught: the output import renamed, instantiation fails" ||
    fail "$host: the output import renamed (exit $rc, $out/log2.txt)"

  # No output import: the values are right but the text never arrives, and
  # the comparison sees it.
  transcript nooutput
  if [ $rc = 0 ] && ! grep -q '^log ' "$out/nooutput.txt" &&
     ! normalize < "$out/nooutput.txt" | diff -q "$src/expected.txt" - > /dev/null; then
    ok "$host: sabotage caught: without --stub-wasi-output no text arrives and the transcript differs"
  else
    fail "$host: the rewrite without --stub-wasi-output (exit $rc, $out/nooutput.txt)"
  fi

  # Guards that never set their flag: the second export call initialises the
  # Go runtime again, which it does not survive.
  transcript flag
  [ $rc = 1 ] && [ "$(head -n 2 "$out/flag.txt")" = $'log 1 "hello from Go 2\\n"\ngreet' ] &&
    has_line "$out/flag.txt" 'log 2 "randinit twice"' &&
    grep -q '^error alloc: .*unreachable' "$out/flag.txt" &&
    ok "$host: sabotage caught: a guard that does not set its flag re-runs _initialize (Go: randinit twice)" ||
    fail "$host: guards without their flag (exit $rc, $out/flag.txt)"
fi

if [ "$host" = wazero ]; then
  # The host of the original problem: WASI is there, _initialize is never
  # called, and Go refuses the first export call.
  transcript orig -wasi
  [ $rc = 1 ] &&
    [ "$(cat "$out/orig-wasi.txt")" = 'log 2 "runtime: wasmexport function called before runtime initialization\n"
log 2 "\tcall _initialize first\n"
error greet: wasm error: unreachable' ] &&
    ok "wazero: not rewritten, with WASI but no _initialize: Go's 'wasmexport function called before runtime initialization'" ||
    fail "wazero -wasi: not rewritten (exit $rc, $out/orig-wasi.txt)"
fi

if [ "$host" = wasmtime ]; then
  # The CLI defines no host functions: env.log comes from the preloaded
  # env.wasm (a trampoline into a table) and driver.wasm, the main module,
  # whose function in that table writes the guest's bytes with WASI fd_write
  # to the same fd. Each --invoke is a fresh process and instance; wasmtime
  # calls _initialize of the preloaded reactor itself (for the rewrite: its
  # guard, after which the export's guard must not initialise again).
  # wt VARIANT NAME [ARGS]: stdout in $out/V.NAME.out, stderr without the
  # CLI's "--invoke is experimental" warnings in $out/V.NAME.err, status $rc.
  # Each variant is compiled once (wasmtime compile, then --allow-precompiled)
  # rather than by every run; the compilation cache is off, so nothing is
  # kept outside the build tree.
  wt() {
    local v=$1 name=$2
    shift 2
    [ -f "$out/guest.$v.cwasm" ] ||
      "$tool" compile -C cache=n "$work/guest.$v.wasm" -o "$out/guest.$v.cwasm" || die "wasmtime compile $v"
    rc=0
    "$tool" run -C cache=n --allow-precompiled --preload "env=$work/env.wasm" \
      --preload "guest=$out/guest.$v.cwasm" --invoke "$name" "$work/driver.wasm" "$@" \
      > "$out/$v.$name.out" 2> "$out/$v.$name.err.raw" || rc=$?
    sed '/^warning: using `--invoke` with a function that .* is experimental and may break in the future$/d' \
      "$out/$v.$name.err.raw" > "$out/$v.$name.err"
  }
  is() { cmp -s <(printf %b "$2") "$1"; } # FILE TEXT (printf %b escapes)
  wt_exact() { # NAME STDOUT STDERR [ARGS]
    local name=$1 o=$2 e=$3
    shift 3
    wt tw "$name" "$@"
    [ $rc = 0 ] && is "$out/tw.$name.out" "$o" && is "$out/tw.$name.err" "$e" &&
      ok "wasmtime: $name${*:+ $*} prints and returns what it should" ||
      fail "wasmtime: $name${*:+ $*} (exit $rc, $out/tw.$name.out, $out/tw.$name.err.raw)"
  }
  wt_exact greet 'hello from Go 2\n' ''
  wt_exact tally_demo 'go=2\nhost=1\nwasm=1\n3\n' 'tally: 3 distinct\n'
  wt_exact shout_demo 'H\xc3\x89LLO W\xc3\x96RLD!\n14\n' ''
  wt_exact elapsed_ok '1\n' ''
  wt_exact pinned_count '0\n' ''
  wt tw now_unix
  [ $rc = 0 ] && [ "$(normalize < <(sed 's/^/now_unix /' "$out/tw.now_unix.out"))" = 'now_unix <after-2020>' ] &&
    ok "wasmtime: now_unix is after 2020 ($(cat "$out/tw.now_unix.out"))" ||
    fail "wasmtime: now_unix (exit $rc, $out/tw.now_unix.out)"
  wt tw rand_n 10
  [ $rc = 0 ] && [ "$(normalize < <(sed 's/^/rand_n 10 /' "$out/tw.rand_n.out"))" = 'rand_n 10 <in-range>' ] &&
    ok "wasmtime: rand_n 10 is in [0, 10) ($(cat "$out/tw.rand_n.out"))" ||
    fail "wasmtime: rand_n (exit $rc, $out/tw.rand_n.out)"

  wt log2 greet
  [ $rc != 0 ] && grep -qF 'unknown import: `env::log2` has not been defined' "$out/log2.greet.err" &&
    ok "wasmtime: sabotage caught: the output import renamed, instantiation fails" ||
    fail "wasmtime: the output import renamed (exit $rc, $out/log2.greet.err)"
  wt nooutput greet
  [ $rc = 0 ] && [ ! -s "$out/nooutput.greet.out" ] &&
    ok "wasmtime: sabotage caught: without --stub-wasi-output greet prints nothing" ||
    fail "wasmtime: the rewrite without --stub-wasi-output (exit $rc, $out/nooutput.greet.out)"
  wt flag greet
  [ $rc != 0 ] && grep -qxF 'fatal error: randinit twice' "$out/flag.greet.err" && [ ! -s "$out/flag.greet.out" ] &&
    ok "wasmtime: sabotage caught: guards without their flag initialise twice (wasmtime's _initialize, then greet's guard)" ||
    fail "wasmtime: guards without their flag (exit $rc, $out/flag.greet.err.raw)"
  # Not a failure to catch but a fact of this host: wasmtime initialises
  # preloaded reactors, so here the rewrite without --init-once works too.
  wt noinit greet
  [ $rc = 0 ] && is "$out/noinit.greet.out" 'hello from Go 2\n' &&
    ok "wasmtime: calls _initialize itself (the rewrite without --init-once runs here)" ||
    fail "wasmtime: the rewrite without --init-once (exit $rc, $out/noinit.greet.err.raw)"
fi
summary
