#!/usr/bin/env bash
# The shared link fixtures (wit-component's realloc-task-hook-link and
# -link-no-cabi-realloc): lib-c (which defines __wasm_task_hook) rewritten
# with no option, lib-foo with --abi task-hook, then linked by `wasm-tools
# component link`. The component validates, lib-c exports the hook as
# __taskwrap_task_hook, lib-foo imports it from env, and no core module
# outside the two libraries names the hook (the fixup module wraps
# nothing). Control: the original libraries' component does name it there.
# Then --check-link over consistent and inconsistent sets: exit 0, or exit
# 1 naming the library at fault; a warning for a library that imports
# another's wrapped export.
#   link.sh WASM_TASKWRAP SHARED WORK      env: WASM_TOOLS
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh" || exit 1
tw=$(realpath "$1") shared=$2 work=$3
WASM_TOOLS=${WASM_TOOLS:-wasm-tools}
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1

# hook_outside WAT: the core modules other than $c and $foo that name a
# task hook, one per line.
hook_outside() {
  awk '/^  \(/ { name = "" } /^  \(core module \$/ { name = $3 }
       /task_hook/ && name != "" && name != "$c" && name != "$foo" { print name }' "$1" | sort -u
}

for fx in link link-no-cabi-realloc; do
  dir=$shared/wit-component/v0.257-realloc-task-hook-$fx
  [ -f "$dir/lib-c.wat" ] || die "no $dir/lib-c.wat"
  mkdir -p "$fx" && cd "$fx" || die "cannot enter $fx"
  for lib in c foo; do
    "$WASM_TOOLS" component embed "$dir/lib-$lib.wit" "$dir/lib-$lib.wat" -o lib-$lib.wasm ||
      die "$fx: cannot embed lib-$lib"
  done
  "$tw" lib-c.wasm -o c.tw.wasm 2> c.err && "$tw" --check lib-c.wasm c.tw.wasm 2>> c.err &&
    "$tw" --abi task-hook lib-foo.wasm -o foo.tw.wasm 2> foo.err &&
    "$tw" --abi task-hook --check lib-foo.wasm foo.tw.wasm 2>> foo.err &&
    ok "$fx: lib-c and lib-foo rewritten and checked" || fail "$fx: $(cat c.err foo.err)"
  "$WASM_TOOLS" component link c=c.tw.wasm foo=foo.tw.wasm -o linked.wasm 2> link.err &&
    "$WASM_TOOLS" validate linked.wasm 2>> link.err && "$WASM_TOOLS" print linked.wasm > linked.wat &&
    ok "$fx: the rewritten libraries link, and the component validates" ||
    fail "$fx: component link: $(cat link.err)"
  grep -q '(export "__taskwrap_task_hook" (func' linked.wat &&
    grep -q '(import "env" "__taskwrap_task_hook" (func' linked.wat &&
    ! grep -q '(export "__wasm_task_hook"' linked.wat && ! grep -q '"__wasm_task_hook" (func' linked.wat &&
    ok "$fx: lib-foo imports from env the hook lib-c exports under its private name" ||
    fail "$fx: the hook's private name is not where it belongs"
  outside=$(hook_outside linked.wat)
  [ -n "$(grep -c 'core module \$wit-component-fixup' linked.wat)" ] && [ -z "$outside" ] &&
    ok "$fx: no core module outside the libraries names the hook" ||
    fail "$fx: modules outside the libraries name the hook: $outside"
  # Control: linked from the original libraries, the fixup module calls it.
  "$WASM_TOOLS" component link c=lib-c.wasm foo=lib-foo.wasm -o original.wasm &&
    "$WASM_TOOLS" print original.wasm > original.wat &&
    hook_outside original.wat | grep -q 'wit-component-fixup' &&
    ok "control: $fx linked from the original libraries calls the hook from the fixup module" ||
    fail "control: $fx: the check above cannot see a hook outside the libraries"
  cd .. || exit 1
done

# ---- --check-link ---------------------------------------------------------------
cd link || exit 1
# check_link EXIT PATTERN ARGS...: --check-link exits EXIT, and its standard
# error matches PATTERN (empty: is empty).
check_link() {
  local want=$1 pattern=$2 st=0
  shift 2
  "$tw" --check-link "$@" > cl.out 2> cl.err || st=$?
  if [ "$st" = "$want" ] && { [ -z "$pattern" ] && [ ! -s cl.err ] || { [ -n "$pattern" ] && grep -q -- "$pattern" cl.err; }; }; then
    ok "--check-link $*: exit $want"
  else
    fail "--check-link $*: exit $st (want $want): $(cat cl.err)"
  fi
}
check_link 0 '' c=c.tw.wasm foo=foo.tw.wasm
grep -q '^c: c.tw.wasm: defines the hook under its private name (rewritten)$' cl.out &&
  grep -q '^foo: foo.tw.wasm: imports the hook under its private name (rewritten)$' cl.out &&
  ok "--check-link says what each library is" || fail "--check-link's lines: $(cat cl.out)"
check_link 0 '' c=lib-c.wasm foo=lib-foo.wasm
check_link 1 '^wasm-taskwrap: lib-c.wasm:0x[0-9a-f]*: error: library c still exports __wasm_task_hook beside rewritten libraries' \
  c=lib-c.wasm foo=foo.tw.wasm
check_link 1 '^wasm-taskwrap: lib-foo.wasm:0x[0-9a-f]*: error: library foo has exports the task hook must wrap ("baz") and was not rewritten' \
  c=c.tw.wasm foo=lib-foo.wasm
check_link 1 '^wasm-taskwrap: foo.tw.wasm:0x[0-9a-f]*: error: library foo imports env.__taskwrap_task_hook, and no library of the set exports it' \
  foo=foo.tw.wasm
check_link 1 'error: library c2 defines the task hook, and so does library c' \
  c=c.tw.wasm c2=lib-c.wasm foo=foo.tw.wasm
check_link 1 'error: library c is given twice' c=c.tw.wasm c=c.tw.wasm foo=foo.tw.wasm
cp c.tw.wasm libc.so
check_link 0 '' libc.so foo=foo.tw.wasm
grep -q '^libc.so: libc.so: ' cl.out && ok "--check-link names a library after its file, as component link does" ||
  fail "file name: $(cat cl.out)"
# Two versions of one library are two names (component link's own).
cp foo.tw.wasm libfoo.1.so && cp foo.tw.wasm libfoo.2.so
check_link 0 '' libc.so libfoo.1.so libfoo.2.so
check_link 2 "'c=' names no file" c= foo=foo.tw.wasm
"$WASM_TOOLS" strip --all lib-c.wasm -o plain.wasm
check_link 1 '^wasm-taskwrap: plain.wasm:0x0: error: not a shared library' plain.wasm foo=foo.tw.wasm
# A library that calls the hook itself through env.__wasm_task_hook: once
# the hook has its private name nothing exports that.
"$WASM_TOOLS" parse -o caller.wasm - << 'EOF' || die "cannot assemble caller.wasm"
(module (@dylink.0 (mem-info (memory 0 4)))
  (import "env" "__wasm_task_hook" (func (param i32))))
EOF
check_link 1 '^wasm-taskwrap: caller.wasm:0x[0-9a-f]*: error: library caller.wasm imports env.__wasm_task_hook, which no library exports once the hook has its private name' \
  c=c.tw.wasm foo=foo.tw.wasm caller.wasm
check_link 0 '' c=lib-c.wasm foo=lib-foo.wasm caller.wasm
# The init-task pair: the definer keeps both under their private names, the
# other library imports __taskwrap_init_task for its _initialize.
"$WASM_TOOLS" parse -o init-c.wasm - << 'EOF' || die "cannot assemble init-c.wasm"
(module (@dylink.0 (mem-info (memory 0 4)))
  (func (export "__wasm_init_task")) (func (export "__wasm_init_async_task")))
EOF
"$WASM_TOOLS" parse -o init-foo.wasm - << 'EOF' || die "cannot assemble init-foo.wasm"
(module (@dylink.0 (mem-info (memory 0 4))) (func (export "_initialize")))
EOF
"$tw" init-c.wasm -o init-c.tw.wasm && "$tw" --abi init-task init-foo.wasm -o init-foo.tw.wasm &&
  ok "init-task: both libraries rewritten" || fail "init-task: the rewrite failed"
check_link 0 '' --abi init-task c=init-c.tw.wasm foo=init-foo.tw.wasm
check_link 1 'error: library foo imports env.__taskwrap_init_task, and no library of the set exports it' \
  --abi init-task c=init-c.wasm foo=init-foo.tw.wasm
check_link 1 'error: library foo has exports the task hook must wrap ("_initialize") and was not rewritten.*--abi init-task' \
  --abi init-task c=init-c.tw.wasm foo=init-foo.wasm
# Without --abi the private names present choose the ABI; both ABIs' names
# in one set, a private import of the wrong type, or an --abi that is not
# the set's own cannot link.
check_link 0 '' c=init-c.tw.wasm foo=init-foo.tw.wasm
check_link 1 'error: library foo has exports the task hook must wrap ("_initialize") and was not rewritten' \
  c=init-c.tw.wasm foo=init-foo.wasm
check_link 1 '^wasm-taskwrap: init-foo.tw.wasm:0x[0-9a-f]*: error: library foo holds the init-task pair.s private names, and library c the task hook.s' \
  c=c.tw.wasm foo=init-foo.tw.wasm
check_link 1 'error: library c was rewritten with --abi init-task, not the --abi given' \
  --abi task-hook c=init-c.tw.wasm foo=init-foo.tw.wasm
"$WASM_TOOLS" parse -o wrongty.wasm - << 'EOF' || die "cannot assemble wrongty.wasm"
(module (@dylink.0 (mem-info (memory 0 4)))
  (import "env" "__taskwrap_task_hook" (func (param i64))))
EOF
check_link 1 '^wasm-taskwrap: wrongty.wasm:0x[0-9a-f]*: error: library w imports the hook under its private name with a type that is not the hook.s' \
  c=c.tw.wasm foo=foo.tw.wasm w=wrongty.wasm
# A library that calls lib-foo's cabi_realloc through env: a warning (its
# calls would run the hook inside a task), the set still consistent.
"$WASM_TOOLS" parse -o user.wasm - << 'EOF' || die "cannot assemble user.wasm"
(module (@dylink.0 (mem-info (memory 0 4)))
  (import "env" "cabi_realloc" (func (param i32 i32 i32 i32) (result i32))))
EOF
check_link 0 '^wasm-taskwrap: user.wasm:0x[0-9a-f]*: warning: library user.wasm imports env.cabi_realloc, which library foo exports wrapped' \
  c=c.tw.wasm foo=foo.tw.wasm user.wasm
check_link 0 'warning: library user.wasm imports env.cabi_realloc, which library foo exports wrapped' \
  c=lib-c.wasm foo=lib-foo.wasm user.wasm
# The same library taking the address of that cabi_realloc (GOT.func): an
# error once the set is rewritten (the slot holds the wrapper), none before.
"$WASM_TOOLS" parse -o pointer.wasm - << 'EOF' || die "cannot assemble pointer.wasm"
(module (@dylink.0 (mem-info (memory 0 4)))
  (import "GOT.func" "cabi_realloc" (global (mut i32))))
EOF
check_link 1 '^wasm-taskwrap: pointer.wasm:0x[0-9a-f]*: error: library pointer.wasm takes the address of cabi_realloc through GOT.func, which library foo exports wrapped' \
  c=c.tw.wasm foo=foo.tw.wasm pointer.wasm
check_link 0 '' c=lib-c.wasm foo=lib-foo.wasm pointer.wasm
check_link 2 'no library given'
check_link 2 'unknown option' --bogus c=c.tw.wasm
summary
