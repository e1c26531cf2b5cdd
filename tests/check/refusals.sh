#!/usr/bin/env bash
# check-refusals: what wasm-taskwrap copies untouched and what it refuses,
# through the command line and through wasm-taskwrap-ld, whose linker here
# is a fake that writes a given module at its -o (so the wrapper rewrites
# exactly the module under test):
#   - a module without a hook whose component-type section cannot be decoded
#     (the historical 0x03 encoding) is copied byte for byte, exit 0, also by
#     the linker wrapper; --init-once guards it without reading the world.
#     Control: the same section beside a hook is refused;
#   - a module without a hook whose other sections' contents are malformed
#     (an unknown type form or import kind, a function without a body) is
#     copied byte for byte. Control: beside a hook, or with --init-once, it
#     is refused at the offset of the error;
#   - a shared library (wasm-tools component link's lib-c, with a dylink.0
#     section) exporting __wasm_task_hook keeps it under its private name,
#     directly and through wasm-taskwrap-ld (-shared too); with
#     --keep-hook-export it is refused (exit 1, no output, why); a library
#     without a hook (lib-foo) is copied, or with --abi task-hook imports
#     it. Control: lib-c without its custom sections is rewritten as a
#     module;
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

# ---- no hook, malformed contents: copied ---------------------------------------
# Only the framing and the export section are read until there is something
# to rewrite: a type section with an unknown form (0x77), an import of an
# unknown kind (0x09), a function without a body. Control: each beside a
# hook export (function 0) is refused at the byte the parse stops at, and
# --init-once, which rewrites any module, refuses it too, as do -t and
# --verify=full, which give the whole module to libwabt.
printf '\x00asm\x01\x00\x00\x00' > head.bin
hook_export() { printf '\x07\x14\x01\x10__wasm_task_hook\x00\x00'; }
mod() { # NAME BYTES...: the header, then the sections given in printf form
  local name=$1; shift
  { cat head.bin; printf "$@"; } > "$name.wasm"
  { cat head.bin; printf "$@"; hook_export; } > "$name-hook.wasm"
}
mod bad-type-form '\x01\x02\x01\x77'
mod bad-import-kind '\x02\x06\x01\x01m\x01n\x09'
mod bad-no-body '\x01\x04\x01\x60\x00\x00\x03\x02\x01\x00'
for m in bad-type-form:0xb:'malformed type form 0x77' \
         bad-import-kind:0xf:'malformed import kind 0x09' \
         bad-no-body:0x28:'function and code section have inconsistent lengths'; do
  IFS=: read -r m at msg <<< "$m"
  "$tw" $m.wasm -o $m.out.wasm 2> $m.err && cmp -s $m.wasm $m.out.wasm &&
    ok "$m, no hook: copied byte for byte" || fail "$m, no hook: exit $?: $(cat $m.err)"
  "$tw" --check $m.wasm $m.wasm 2> $m.check.err && ok "$m, no hook: --check takes the copy" ||
    fail "$m --check: $(cat $m.check.err)"
  "$tw" $m-hook.wasm -o $m-hook.out.wasm 2> $m-hook.err
  st=$?
  [ "$st" = 1 ] && [ ! -e $m-hook.out.wasm ] &&
    grep -qx "wasm-taskwrap: $m-hook.wasm:$at: error: $msg.*" $m-hook.err &&
    ok "control: $m beside a hook is refused at $at" || fail "control $m: exit $st: $(cat $m-hook.err)"
  "$tw" --init-once $m.wasm -o $m.once.wasm 2> $m.once.err
  st=$?
  [ "$st" = 1 ] && [ ! -e $m.once.wasm ] && grep -q "$msg" $m.once.err &&
    ok "control: $m, --init-once: refused" || fail "control $m --init-once: exit $st: $(cat $m.once.err)"
  # Text output and --verify=full hand the whole module to libwabt: the
  # error is then ours, at its offset, not libwabt's.
  for opt in -t --verify=full; do
    rm -f $m.whole.out
    "$tw" $opt $m.wasm -o $m.whole.out 2> $m.whole.err
    st=$?
    [ "$st" = 1 ] && [ ! -e $m.whole.out ] && grep -q "^wasm-taskwrap: $m.wasm:0x[0-9a-f]*: error: $msg" $m.whole.err &&
      ok "$m, no hook, $opt: refused in its own words" || fail "$m $opt: exit $st: $(cat $m.whole.err)"
  done
done
# A function import, then an import of an unknown kind, before a function,
# its body and a name section naming a function out of range: nothing of
# what the parse got to may count (the counted import once made the
# functions look renumbered, the name section was dropped as one that
# cannot be, and the copy became a rewrite that its check refused).
{ cat head.bin
  printf '\x01\x04\x01\x60\x00\x00\x02\x0c\x02\x01m\x01f\x00\x00\x01m\x01n\x09\x03\x02\x01\x00'
  printf '\x0a\x04\x01\x02\x00\x0b\x00\x0b\x04name\x01\x04\x01\x05\x01f'; } > bad-import-named.wasm
"$tw" bad-import-named.wasm -o bad-import-named.out.wasm 2> bad-import-named.err &&
  cmp -s bad-import-named.wasm bad-import-named.out.wasm && [ ! -s bad-import-named.err ] &&
  ok "bad import kind, a body and a name section, no hook: copied byte for byte, no warning" ||
  fail "bad-import-named: exit $?: $(cat bad-import-named.err)"
ld bad-type-form.wasm ld-bad-type-form.wasm 2> ld-bad.err && cmp -s bad-type-form.wasm ld-bad-type-form.wasm &&
  ok "wasm-taskwrap-ld: a malformed module without a hook passes through" ||
  fail "wasm-taskwrap-ld, bad-type-form: $(cat ld-bad.err)"

# ---- shared libraries (docs/abi.md, "Shared libraries") --------------------------
for lib in lib-c lib-c-no-realloc; do
  "$tw" $lib.wasm -o $lib.out.wasm --plan > $lib.plan 2> $lib.err &&
    "$tw" --check $lib.wasm $lib.out.wasm 2>> $lib.err &&
    grep -q '^library defines-hook ("dylink.0") export "__wasm_task_hook" renamed "__taskwrap_task_hook"$' $lib.plan &&
    "$WASM_TOOLS" print $lib.out.wasm > $lib.out.wat &&
    grep -q '(export "__taskwrap_task_hook" (func' $lib.out.wat && ! grep -q '(export "__wasm_task_hook"' $lib.out.wat &&
    ok "$lib: the library that defines the hook keeps it under its private name" ||
    fail "$lib: $(cat $lib.err $lib.plan)"
done
rm -f keep.wasm
"$tw" --keep-hook-export lib-c.wasm -o keep.wasm 2> keep.err
st=$?
[ "$st" = 1 ] && [ ! -e keep.wasm ] &&
  grep -q "^wasm-taskwrap: lib-c.wasm:0x[0-9a-f]*: error: --keep-hook-export: a shared library must not keep __wasm_task_hook exported" keep.err &&
  ok "lib-c: --keep-hook-export is refused, saying why" || fail "lib-c --keep-hook-export: exit $st: $(cat keep.err)"
ld lib-c.wasm ld-lib-c.wasm 2> ld-lib-c.err && cmp -s lib-c.out.wasm ld-lib-c.wasm &&
  ok "wasm-taskwrap-ld: the link of such a library rewrites it as wasm-taskwrap does" ||
  fail "wasm-taskwrap-ld, lib-c: $(cat ld-lib-c.err)"
# A -shared link is a library of a set: rewritten only when TASKWRAP_FLAGS
# chooses the library ABI, else passed through as before libraries could be
# rewritten (host options are not for libraries).
ld lib-c.wasm ld-lib-c-shared.wasm -shared 2> ld-shared.err && cmp -s lib-c.wasm ld-lib-c-shared.wasm &&
  ok "wasm-taskwrap-ld: a -shared link without --abi passes through" || fail "-shared: $(cat ld-shared.err)"
FLAGS="--abi task-hook" ld lib-c.wasm ld-lib-c-shared.wasm -shared 2> ld-shared.err &&
  cmp -s lib-c.out.wasm ld-lib-c-shared.wasm &&
  ok "wasm-taskwrap-ld: a -shared link under --abi task-hook is rewritten as wasm-taskwrap does" ||
  fail "-shared --abi: $(cat ld-shared.err)"
for f in --stub-wasi --init-once; do
  FLAGS=$f ld lib-c.wasm ld-lib-c-host.wasm -shared 2> ld-host.err && cmp -s lib-c.wasm ld-lib-c-host.wasm &&
    ok "wasm-taskwrap-ld: TASKWRAP_FLAGS=$f leaves a -shared link as the linker wrote it" ||
    fail "-shared $f: exit $?: $(cat ld-host.err)"
done
"$tw" lib-foo.wasm -o lib-foo.out.wasm 2> lib-foo.err && cmp -s lib-foo.wasm lib-foo.out.wasm &&
  ok "lib-foo: a library without the hook, without --abi, is copied unchanged" || fail "lib-foo: $(cat lib-foo.err)"
"$tw" --abi task-hook lib-foo.wasm -o lib-foo.abi.wasm 2> lib-foo.err &&
  "$tw" --abi task-hook --check lib-foo.wasm lib-foo.abi.wasm 2>> lib-foo.err &&
  LC_ALL=C grep -q '__taskwrap_task_hook' lib-foo.abi.wasm &&
  ok "lib-foo --abi task-hook: imports the hook under its private name" || fail "lib-foo --abi: $(cat lib-foo.err)"
"$tw" -v --abi task-hook lib-foo.wasm -o lib-foo.v.wasm 2> lib-foo.v.err &&
  grep -q 'renumbered every function index after the added import$' lib-foo.v.err &&
  ok "lib-foo -v: the renumbering is said to follow the added import" || fail "lib-foo -v: $(cat lib-foo.v.err)"
FLAGS="--abi task-hook" ld lib-foo.wasm ld-lib-foo.wasm -shared 2> ld-foo.err && cmp -s lib-foo.abi.wasm ld-lib-foo.wasm &&
  ok "wasm-taskwrap-ld -shared with TASKWRAP_FLAGS=--abi task-hook: the same library" ||
  fail "-shared lib-foo: $(cat ld-foo.err)"
"$tw" lib-c.stripped.wasm -o lib-c.stripped.out.wasm --plan > stripped.plan 2> stripped.err &&
  head -n 1 stripped.plan | grep -q '^abi task-hook ' && ! grep -q '^library' stripped.plan &&
  ! LC_ALL=C grep -q '__taskwrap_task_hook' lib-c.stripped.out.wasm &&
  ok "control: lib-c without its dylink.0 section is rewritten as a module (hook removed)" ||
  fail "control: $(cat stripped.err)"

# A library that takes the address of an export it wraps (GOT.func, what
# clang -fPIC emits for &f of an exported f): the link fills the slot from
# the export, the wrapper, so the pointer would start a task inside a task.
# Refused at the import; the control without the import is rewritten.
got_lib() { # NAME GOT-IMPORT EXPORTS
  printf '(module (@dylink.0 (mem-info (memory 0 4)))\n  %s\n  %s\n  %s)\n' "$2" \
    '(func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) i32.const 0)' "$3" |
    "$WASM_TOOLS" parse - -o "$1.wasm" || die "cannot assemble $1.wasm"
}
got_lib got-realloc '(import "GOT.func" "cabi_realloc" (global (mut i32)))' ''
got_lib got-hook '(import "GOT.func" "__wasm_task_hook" (global (mut i32)))' \
  '(func (export "__wasm_task_hook") (param i32))'
got_lib got-none '' ''
for m in got-realloc got-hook; do
  rm -f $m.out.wasm
  "$tw" --abi task-hook $m.wasm -o $m.out.wasm 2> $m.err
  st=$?
  [ "$st" = 1 ] && [ ! -e $m.out.wasm ] &&
    grep -q "^wasm-taskwrap: $m.wasm:0x[0-9a-f]*: error: a shared library takes the address of its export" $m.err &&
    ok "$m: a library taking the address of an export it rewrites is refused at the import" ||
    fail "$m: exit $st: $(cat $m.err)"
done
"$tw" --abi task-hook got-none.wasm -o got-none.out.wasm 2> got-none.err &&
  "$tw" --abi task-hook --check got-none.wasm got-none.out.wasm 2>> got-none.err &&
  ok "control: the same library without the GOT.func import is rewritten" || fail "got-none: $(cat got-none.err)"

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

# ---- globals appended after globals this reader cannot decode ------------------
# --init-once appends its flag to the global section. A global whose type
# comes from a proposal the reader does not know (stack switching's cont)
# cannot be walked, which says nothing of whether it is cut off: the module
# is rewritten as before, and the output is valid. (A last initialiser that
# the section's end cuts off is refused: golden bad-global-unterminated.)
cat > cont.wat << 'EOF'
(module (func $init) (func $run (result i32) i32.const 0)
  (global (mut (ref null cont)) (ref.null cont))
  (export "_initialize" (func $init)) (export "run" (func $run)))
EOF
"$WASM_TOOLS" parse cont.wat -o cont.wasm || die "cannot assemble cont.wat"
"$tw" --init-once cont.wasm -o cont.once.wasm 2> cont.err &&
  "$WASM_TOOLS" validate --features all cont.once.wasm 2>> cont.err &&
  ok "--init-once beside a global of an unknown proposal's type: rewritten, valid" ||
  fail "--init-once, cont global: $(cat cont.err)"
summary