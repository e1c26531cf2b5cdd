#!/usr/bin/env bash
# check-refusals: what wasm-taskwrap copies untouched and what it refuses,
# through the command line and through wasm-taskwrap-ld, whose linker here
# is a fake that writes a given module at its -o (so the wrapper rewrites
# exactly the module under test):
#   - a module without a hook whose component-type section cannot be decoded
#     (the historical 0x03 encoding) is copied byte for byte, exit 0, also by
#     the linker wrapper; --init-once guards it without reading the world.
#     Control: the same section beside a hook is refused;
#   - a shared library (wasm-tools component link's lib-c, with a dylink.0
#     section) exporting __wasm_task_hook is refused: exit 1, no output, a
#     message saying why and what to do; a -shared link passes through; a
#     library without a hook (lib-foo) is copied. Control: lib-c without its
#     custom sections is rewritten;
#   - --stub-wasi-output names that are not UTF-8, or in
#     wasi_snapshot_preview1, are usage errors (exit 2, no output) on the
#     command line, with --check too, and fail the link in TASKWRAP_FLAGS.
#     Control: env:log is accepted.
#   refusals.sh WASM_TASKWRAP WASM_TASKWRAP_LD FIXTURES SHARED WORK
#   env: WAT2WASM, WASM_TOOLS (wat2wasm 1.0.32 drops the @dylink.0
#   annotation, so lib-*.wat are assembled by wasm-tools parse), XXD
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh" || exit 1
tw=$(realpath "$1") ldw=$(realpath "$2") fixtures=$3 shared=$4 work=$5
WAT2WASM=${WAT2WASM:-wat2wasm} WASM_TOOLS=${WASM_TOOLS:-wasm-tools} XXD=${XXD:-xxd}
link_dir=$shared/wit-component/v0.257-realloc-task-hook-link
[ -f "$link_dir/lib-c.wat" ] || die "no $link_dir/lib-c.wat"
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1

hex() { sed -e 's/#.*//' "$fixtures/$1.hex" | "$XXD" -r -p > "$1.wasm" || die "cannot read $1.hex"; }
hex world-historical-no-hook
hex bad-world-historical
"$WASM_TOOLS" parse "$link_dir/lib-c.wat" -o lib-c.wasm || die "cannot assemble lib-c.wat"
"$WASM_TOOLS" parse "$link_dir-no-cabi-realloc/lib-c.wat" -o lib-c-no-realloc.wasm ||
  die "cannot assemble the other lib-c.wat"
"$WASM_TOOLS" parse "$link_dir/lib-foo.wat" -o lib-foo.wasm || die "cannot assemble lib-foo.wat"
"$WASM_TOOLS" strip --all lib-c.wasm -o lib-c.stripped.wasm || die "cannot strip lib-c"
for f in lib-c lib-c-no-realloc lib-foo; do
  LC_ALL=C grep -q 'dylink\.0' "$f.wasm" || die "$f.wasm has no dylink.0 section"
done
! LC_ALL=C grep -q 'dylink' lib-c.stripped.wasm || die "the stripped lib-c kept its dylink.0 section"

# The fake linker: writes $FAKE_MODULE at the path after -o.
cat > fake-ld << 'EOF'
#!/usr/bin/env bash
out=a.out
while [ $# -gt 0 ]; do [ "$1" = -o ] && out=$2; shift; done
cp "$FAKE_MODULE" "$out"
EOF
chmod +x fake-ld
# ld MODULE OUT [ARGS...]: link "through" wasm-taskwrap-ld; FLAGS is TASKWRAP_FLAGS.
ld() {
  local module=$1 out=$2; shift 2
  rm -f "$out"
  FAKE_MODULE=$module TASKWRAP_WASM_LD=$work/fake-ld TASKWRAP_FLAGS=${FLAGS:-} \
    "$ldw" --no-entry "$@" x.o -o "$out"
}

# ---- no hook, an undecodable world: copied -------------------------------------
m=world-historical-no-hook
"$tw" $m.wasm -o $m.out.wasm 2> $m.err && cmp -s $m.wasm $m.out.wasm &&
  ok "no hook, undecodable component-type section: copied byte for byte" ||
  fail "no hook, undecodable world: exit $?: $(cat $m.err)"
"$tw" --init-once $m.wasm -o $m.once.wasm --plan > $m.once.plan 2> $m.once.err &&
  grep -q '^init-once flag=global:0 guards=2$' $m.once.plan &&
  "$tw" --check --init-once $m.wasm $m.once.wasm &&
  ok "no hook, undecodable world, --init-once: guarded without reading the world" ||
  fail "--init-once: $(cat $m.once.err $m.once.plan)"
ld $m.wasm ld-$m.wasm 2> ld-$m.err && cmp -s $m.wasm ld-$m.wasm &&
  ok "wasm-taskwrap-ld: the linker's output of such a module, untouched" ||
  fail "wasm-taskwrap-ld failed the link: $(cat ld-$m.err)"
FLAGS=--init-once ld $m.wasm ld-$m.once.wasm 2> ld-$m.once.err && cmp -s $m.once.wasm ld-$m.once.wasm &&
  ok "wasm-taskwrap-ld, TASKWRAP_FLAGS=--init-once: the command line's output" ||
  fail "wasm-taskwrap-ld --init-once: $(cat ld-$m.once.err)"
"$tw" bad-world-historical.wasm -o bad.out.wasm 2> bad.err
st=$?
[ "$st" = 1 ] && [ ! -e bad.out.wasm ] && grep -q 'historical (0x03) world encoding' bad.err &&
  ok "control: the same section beside a hook is refused" || fail "control: exit $st: $(cat bad.err)"

# ---- shared libraries ------------------------------------------------------------
for lib in lib-c lib-c-no-realloc; do
  "$tw" $lib.wasm -o $lib.out.wasm 2> $lib.err
  st=$?
  [ "$st" = 1 ] && [ ! -e $lib.out.wasm ] &&
    grep -q "^wasm-taskwrap: $lib.wasm:0x[0-9a-f]*: error: a shared library (dylink.0 section) exports __wasm_task_hook: .*does not rewrite shared libraries.*must stay exported for \`wasm-tools component link\`" $lib.err &&
    ok "$lib: a shared library with the hook is refused, saying why and what to do" ||
    fail "$lib: exit $st: $(cat $lib.err)"
done
"$tw" --keep-hook-export lib-c.wasm --dry-run > /dev/null 2> keep.err
[ $? = 1 ] && grep -q 'dylink.0' keep.err && ok "lib-c: refused with --keep-hook-export too" ||
  fail "lib-c --keep-hook-export: $(cat keep.err)"
ld lib-c.wasm ld-lib-c.wasm 2> ld-lib-c.err
st=$?
[ "$st" = 1 ] && grep -q "^wasm-taskwrap-ld: ld-lib-c.wasm:0x[0-9a-f]*: error: a shared library (dylink.0 section)" ld-lib-c.err &&
  ok "wasm-taskwrap-ld: the link of such a library fails with that message" ||
  fail "wasm-taskwrap-ld, lib-c: exit $st: $(cat ld-lib-c.err)"
ld lib-c.wasm ld-lib-c-shared.wasm -shared 2> ld-shared.err && cmp -s lib-c.wasm ld-lib-c-shared.wasm &&
  ok "wasm-taskwrap-ld: a -shared link passes through" || fail "-shared: $(cat ld-shared.err)"
"$tw" lib-foo.wasm -o lib-foo.out.wasm 2> lib-foo.err && cmp -s lib-foo.wasm lib-foo.out.wasm &&
  ok "lib-foo: a library without a hook is copied unchanged" || fail "lib-foo: $(cat lib-foo.err)"
"$tw" lib-c.stripped.wasm -o lib-c.stripped.out.wasm --plan > stripped.plan 2> stripped.err &&
  head -n 1 stripped.plan | grep -q '^abi task-hook ' && ! cmp -s lib-c.stripped.wasm lib-c.stripped.out.wasm &&
  ok "control: lib-c without its dylink.0 section is rewritten" || fail "control: $(cat stripped.err)"

# ---- the names --stub-wasi-output adds ---------------------------------------------
"$WAT2WASM" - -o wasi.wasm << 'EOF' || die "cannot assemble wasi.wasm"
(module
  (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_initialize")))
EOF
bad_names=($'--stub-wasi-output=\xff:\xfe' $'--stub-wasi-output=env:\xfe' \
           '--stub-wasi-output=wasi_snapshot_preview1:fd_write')
reasons=('module name is not valid UTF-8' 'import name is not valid UTF-8' \
         'cannot be in wasi_snapshot_preview1')
for k in 0 1 2; do
  rm -f named.wasm
  "$tw" --stub-wasi "${bad_names[$k]}" wasi.wasm -o named.wasm 2> named.err
  st=$?
  [ "$st" = 2 ] && [ ! -e named.wasm ] &&
    grep -q -- "^wasm-taskwrap: --stub-wasi-output: the .*${reasons[$k]}" named.err &&
    ok "--stub-wasi-output ${reasons[$k]}: a usage error" || fail "name $k: exit $st: $(cat named.err)"
  "$tw" --check --stub-wasi "${bad_names[$k]}" wasi.wasm wasi.wasm 2> check.err
  st=$?
  [ "$st" = 2 ] && ok "--check with it: a usage error" || fail "--check, name $k: exit $st: $(cat check.err)"
  FLAGS="--stub-wasi ${bad_names[$k]}" ld wasi.wasm ld-named.wasm 2> ld-named.err
  st=$?
  [ "$st" != 0 ] && grep -q "TASKWRAP_FLAGS: --stub-wasi-output: " ld-named.err &&
    ok "TASKWRAP_FLAGS with it fails the link" || fail "TASKWRAP_FLAGS, name $k: exit $st: $(cat ld-named.err)"
done
"$tw" --stub-wasi --stub-wasi-output=env:log wasi.wasm -o named.wasm 2> named.err &&
  "$tw" --check --stub-wasi --stub-wasi-output=env:log wasi.wasm named.wasm &&
  ok "control: --stub-wasi-output env:log is added and checked" || fail "env:log: $(cat named.err)"
summary
