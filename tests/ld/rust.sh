#!/usr/bin/env bash
# ld-rust: wasm-taskwrap-ld as the --wasm-ld-path of the wasm-component-ld
# that rustc runs for wasm32-wasip3, given the Rust way: `-C link-arg=...` in
# .cargo/config.toml's [target.wasm32-wasip3] rustflags, and in RUSTFLAGS.
# The crate (rust/lib.rs) is no_core, so no standard library for the target
# is needed; cargo builds it offline. Checks, in wasmtime and in the
# component: the hook runs before the body (run() returns 0) and
# wit-component adds no hook wrappers; a sabotaged rewrite (--exclude=run)
# is caught; the real linker is rustc's rust-lld, found on the PATH rustc
# gives the linker, not a wasm-ld further on PATH.
# Environment (tests.cmake): LDW CARGO CLD WASM_TOOLS WASMTIME SRC WORK.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh" || exit 1
for v in LDW CARGO CLD WASM_TOOLS WASMTIME SRC WORK; do
  [ -n "${!v:-}" ] || die "$v is not set"
done
ldw=$(realpath "$LDW")
rm -rf "$WORK" && mkdir -p "$WORK/crate/.cargo" && cd "$WORK" || exit 1
work=$(pwd -P)
cp "$SRC/rust/Cargo.toml" "$SRC/rust/lib.rs" "$SRC/rust/world.wit" crate/
world=$work/crate/world.wit
# A wasm-ld that must never run: rustc puts its own directory (rust-lld)
# first on the linker's PATH; wasm-taskwrap-ld, like wasm-component-ld, must
# take that rust-lld and not this wasm-ld further on.
mkdir decoy
printf '#!/bin/sh\necho "$*" >> %q\nexit 97\n' "$work/decoy.ran" > decoy/wasm-ld
chmod +x decoy/wasm-ld
export PATH="$work/decoy:$PATH" RUSTC_BOOTSTRAP=1 RUST_BACKTRACE=0
unset TASKWRAP_FLAGS TASKWRAP_WASM_LD RUSTFLAGS CARGO_ENCODED_RUSTFLAGS CARGO_BUILD_RUSTFLAGS

# config FLAG...: .cargo/config.toml with these rustflags for wasm32-wasip3.
config() {
  { echo '[target.wasm32-wasip3]'
    printf 'rustflags = ['
    local sep=
    for f in "$@"; do printf "%s'%s'" "$sep" "$f"; sep=', '; done
    echo ']'
  } > crate/.cargo/config.toml
}
# build NAME [ENV...]: cargo build --release of the crate; the component is NAME.wasm.
build() {
  local name=$1; shift
  (cd crate && env "$@" "$CARGO" build --offline --release --target wasm32-wasip3 \
    --target-dir "$work/target-$name") > "$name.log" 2>&1 &&
    cp "target-$name/wasm32-wasip3/release/hooked.wasm" "$name.wasm"
}
# run FILE: what run() returns in a fresh instance.
run() { "$WASMTIME" run --invoke 'run()' "$1" 2>&1; }
# hook_wrappers FILE: functions defined by the component's fixup module.
hook_wrappers() {
  "$WASM_TOOLS" print "$1" |
    awk '/^  \(core module \$wit-component-fixup/ { f = 1; next } f && /^  \)$/ { f = 0; next } f' |
    grep -c '^    (func (;' || true
}
# wrapped_ok NAME: run() is 0, no hook wrappers, no hook export left.
wrapped_ok() {
  local got
  got=$(run "$1.wasm")
  [ "$got" = 0 ] && [ "$(hook_wrappers "$1.wasm")" = 0 ] && output_lacks -F '"__wasm_task_hook"' "$WASM_TOOLS" print "$1.wasm"
}

# Without the wrapper, rustc's own wasm-component-ld. What its wit-component
# does with the hook depends on the version (rustc 1.95 bundles 0.5.21,
# wit-component 0.245.1, which does not know __wasm_task_hook: run() is 99),
# so it is reported, not checked.
config -C "link-arg=--component-type=$world"
if ! build plain; then
  skip "this cargo/rustc cannot build the no_core crate for wasm32-wasip3: $(grep -m1 'error' plain.log)"
  summary
  exit
fi
echo "without the wrapper (rustc's wasm-component-ld, $("$WASM_TOOLS" print plain.wasm | grep -o '"wit-component" "[^"]*"' | head -n1)): run() = $(run plain.wasm)"

# .cargo/config.toml: [target.wasm32-wasip3] rustflags.
config -C "link-arg=--component-type=$world" -C "link-arg=--wasm-ld-path=$ldw"
if build config; then
  wrapped_ok config && ok "config.toml rustflags: the hook runs first (run() = 0), no hook wrappers in the component" ||
    fail "config.toml: run() = $(run config.wasm), fixup functions $(hook_wrappers config.wasm)"
else
  fail "config.toml build: $(tail -n 20 config.log)"
fi

# RUSTFLAGS (which replaces config.toml's rustflags), here with
# wasm-component-ld 0.5.30 as the linker; without the wrapper its
# wit-component (0.257) adds the hook wrappers itself.
config
build plain-0530 RUSTFLAGS="-C linker=$CLD -C link-arg=--component-type=$world" ||
  fail "RUSTFLAGS build without the wrapper: $(tail -n 20 plain-0530.log)"
[ "$(run plain-0530.wasm)" = 0 ] && [ "$(hook_wrappers plain-0530.wasm)" -gt 0 ] &&
  ok "wasm-component-ld 0.5.30 alone: run() = 0, with wit-component's hook wrappers" ||
  fail "wasm-component-ld 0.5.30 alone: run() = $(run plain-0530.wasm), fixup functions $(hook_wrappers plain-0530.wasm)"
if build rustflags RUSTFLAGS="-C linker=$CLD -C link-arg=--component-type=$world -C link-arg=--wasm-ld-path=$ldw"; then
  wrapped_ok rustflags && ok "RUSTFLAGS: the hook runs first, no hook wrappers in the component" ||
    fail "RUSTFLAGS: run() = $(run rustflags.wasm), fixup functions $(hook_wrappers rustflags.wasm)"
else
  fail "RUSTFLAGS build: $(tail -n 20 rustflags.log)"
fi

# A sabotaged rewrite that leaves run without its hooks is caught.
config -C "link-arg=--component-type=$world" -C "link-arg=--wasm-ld-path=$ldw"
if build sabotage TASKWRAP_FLAGS=--exclude=run; then
  ! wrapped_ok sabotage && [ "$(run sabotage.wasm)" = 99 ] &&
    ok "sabotage (TASKWRAP_FLAGS=--exclude=run): caught, run() = 99" || fail "sabotage not caught"
else
  fail "sabotage build: $(tail -n 20 sabotage.log)"
fi

[ ! -e decoy.ran ] && ok "the real linker was rustc's rust-lld, not a wasm-ld further on PATH" ||
  fail "the wasm-ld on PATH ran: $(cat decoy.ran)"
summary
