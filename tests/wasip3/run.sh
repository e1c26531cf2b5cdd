#!/usr/bin/env bash
# wasip3-shaped modules as current toolchains emit them (docs/abi.md, "What
# current toolchains produce"), rewritten by wasm-taskwrap and run in wasmtime:
#
#   run.sh CLI WASM_TOOLS WASMTIME WAT2WASM WASM_VALIDATE NODE XXD CLANG WASM_LD SRC FIXTURES WORK
#
# build.sh makes three modules:
#   component.wasm  component.wat + libc.wat, a reactor for wasip3.wit: LLVM's
#                   wasip3 ABI imports (env.__wasm_{get,set}_{stack_pointer,
#                   tls_base}), __init_stack_pointer/__init_tls_base, passive
#                   TLS and .data segments with memory.init/data.drop,
#                   extended-const initialisers, every code index padded to 5
#                   bytes as wasm-ld leaves them (call_indirect's table index
#                   too), target_features with +libcall-thread-context, and a
#                   __wasm_task_hook that sets up stack and TLS through the
#                   libcalls as wasi-libc's does;
#   pie.wasm        the same library linked position-independent (a core
#                   module: global.get __memory_base; i32.const; i32.add),
#                   with a WASI import for --stub-wasi to renumber around;
#   refs.wasm       refs.wat: ref.func, return_call, return_call_indirect,
#                   padded, behind a WASI import (a core module);
#   hook.wasm       hook.c, built by clang 14 and wasm-ld 14.
# Checked:
#   - each module carries what it claims (wasm.mjs inspect);
#   - each rewrite's plan (expected *.plan), --check, wasm-validate,
#     wasm-tools validate, idempotence, and wasm.mjs compare: only the
#     sections a rewrite must change changed, everything else (the globals,
#     the padded call_indirect, target_features, ...) byte-identical;
#   - what wasm-tools 1.262's `component new` makes of the env.__wasm_*
#     imports; that it adds every hook wrapper to the original module and
#     none to the rewritten one;
#   - in wasmtime: the component wit-component hooks and the rewritten one
#     return the same, expected values, which a hook-less build does not;
#     the core module pie.wasm, rewritten plain and with --stub-wasi, run
#     with env.wat preloaded;
#   - self-checks: a wrapper with another hook code, corrupted padding and
#     target_features bytes, compressed indices, a wrong renumbered call are
#     refused by --check, change what wasmtime returns, or are reported by
#     wasm.mjs compare.
# fixtures/wasip3-*.hex hold component.wasm's and pie.wasm's bytes (the golden
# tests pin their outputs); BLESS=1 rewrites them and the expected plans.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
cli=$(realpath "$1") wasm_tools=$2 wasmtime=$3 wat2wasm=$4 wasm_validate=$5 node=$6 xxd=$7
clang=$8 wasm_ld=$9 src=$(realpath "${10}") fixtures=$(realpath "${11}") work=${12}
rm -rf "$work"
mkdir -p "$work"
work=$(realpath "$work")
cd "$work"
wasm_mjs() { "$node" "$src/wasm.mjs" "$@"; }

bash "$src/build.sh" "$src" "$work/build" "$wat2wasm" "$wasm_validate" "$node" "$wasm_tools" \
  "$clang" "$wasm_ld" || die "build.sh failed"
cp build/component.wasm build/pie.wasm build/refs.wasm build/hook.wasm build/env.wasm .

# ---- what the tools need ----
# wabt 1.0.32 accepts extended constant expressions only with
# --enable-extended-const, in wat2wasm and in wasm-validate alike.
if "$wat2wasm" build/component.src.wat -o /dev/null 2> wat2wasm.stderr; then
  fail "wat2wasm accepts extended-const initialisers without --enable-extended-const"
elif grep -q 'not valid in initializer expression: i32.add' wat2wasm.stderr; then
  ok "wat2wasm 1.0.32 needs --enable-extended-const"
else
  fail "wat2wasm: $(head -n 1 wat2wasm.stderr)"
fi
if "$wasm_validate" pie.wasm 2> /dev/null; then
  fail "wasm-validate accepts extended-const initialisers without --enable-extended-const"
else
  ok "wasm-validate 1.0.32 needs --enable-extended-const"
fi

# ---- what the modules carry ----
claims() { # MODULE DESCRIPTION EXPRESSION: a JavaScript test of `m`, the inspect JSON
  if "$node" -e 'const m = JSON.parse(process.argv[1]); process.exit(eval(process.argv[2]) ? 0 : 1)' \
    "$(wasm_mjs inspect "$1")" "$3"; then ok "$1: $2"
  else fail "$1 does not carry $2: $(wasm_mjs inspect "$1")"; fi
}
libcalls="['get_stack_pointer', 'set_stack_pointer', 'get_tls_base', 'set_tls_base'].every((n) => m.imports.includes('env.__wasm_' + n))"
for mod in component.wasm pie.wasm; do
  claims $mod "the env.__wasm_{get,set}_{stack_pointer,tls_base} imports" "$libcalls"
  claims $mod "__init_stack_pointer and __init_tls_base" "m.globals.includes('__init_stack_pointer') && m.globals.includes('__init_tls_base')"
  claims $mod "passive .tdata and .data, memory.init and data.drop" "m.passiveData === 2 && m.memoryInit === 2 && m.dataDrop === 1"
  claims $mod "call_indirect with 5-byte type and table indices" "m.callIndirect.length === 1 && m.callIndirect[0] === '80808080008080808000'"
  claims $mod "target_features +libcall-thread-context +call-indirect-overlong +extended-const" \
    "['libcall-thread-context', 'call-indirect-overlong', 'extended-const'].every((f) => m.features.includes('+' + f))"
  claims $mod "an exported table" "m.exports.includes('table:__indirect_function_table')"
  claims $mod "every call, load/store offset, i32.const padded" \
    "m.paddedFuncRefs['10'] === m.calls && m.paddedMemarg === m.memargs && m.paddedConst === m.consts"
  claims $mod "__wasm_task_hook" "m.exports.includes('func:__wasm_task_hook')"
done
claims component.wasm "extended-const initialisers (i32.add, i32.sub, i32.mul)" \
  "['add', 'sub', 'mul'].every((o) => m.inits.includes('i32.const i32.const i32.' + o))"
claims pie.wasm "extended-const initialisers on env.__memory_base" \
  "m.imports.includes('env.__memory_base') && m.inits.filter((i) => i === 'global.get i32.const i32.add').length === 8"
claims pie.wasm "a WASI import between the env imports" "m.imports[1] === 'wasi_snapshot_preview1.sched_yield'"
claims refs.wasm "5-byte indices in ref.func, return_call, return_call_indirect" \
  "m.paddedFuncRefs.d2 === 3 && m.paddedFuncRefs['12'] === 1 && m.returnCallIndirect[0] === '80808080008080808000'"
claims hook.wasm "the env.__wasm_* libcall imports" "$libcalls"
claims hook.wasm "wasm-ld's call_indirect with 5-byte type and table indices" \
  "m.callIndirect.length > 0 && m.callIndirect.every((h) => h === '80808080008080808000')"
claims hook.wasm "wasm-ld's target_features" "m.features.includes('+reference-types')"
claims hook.wasm "wasm-ld's padded call, load/store offset and i32.const immediates" \
  "m.paddedFuncRefs['10'] > 0 && m.paddedMemarg > 0 && m.paddedConst > 0"
claims hook.wasm "a WASI import" "m.imports.includes('wasi_snapshot_preview1.sched_yield')"

# The fixtures are component.wasm's and pie.wasm's bytes: "#" lines, then xxd -p.
for pair in wasip3-reactor:component wasip3-pie-stub:pie; do
  fx=$fixtures/${pair%%:*}.hex mod=${pair#*:}.wasm
  if blessing; then
    sed -n '/^#/p' "$fx" > "$fx.new"
    "$xxd" -p "$mod" >> "$fx.new"
    mv "$fx.new" "$fx"
    echo "blessed $fx"
  fi
  if sed -e 's/#.*//' "$fx" | "$xxd" -r -p | cmp -s - "$mod"; then
    ok "$(basename "$fx") holds $mod as build.sh makes it"
  else
    fail "$(basename "$fx") does not hold $mod as build.sh makes it (BLESS=1 regenerates it)"
  fi
done

# ---- rewriting ----
rewrite() { # NAME INPUT [--stub IMPORT --] [TASKWRAP-ARGS...]: writes NAME.wasm
  local name=$1 in=$2 status=0
  shift 2
  local cmp_args=()
  if [ "${1:-}" = --stub ]; then cmp_args=("$1" "$2"); shift 3; fi
  "$cli" "$@" --plan "$in" -o "$name.wasm" > "$name.plan" 2> "$name.stderr" || status=$?
  # (everything after needs the output: a failed rewrite ends the test)
  [ "$status" -eq 0 ] && [ ! -s "$name.stderr" ] || die "$name: exit $status: $(cat "$name.stderr")"
  check_golden "$name.plan" "$src/$name.plan" || true
  if "$cli" --check "$@" "$in" "$name.wasm" 2> "$name.check"; then ok "$name: --check"
  else fail "$name: --check: $(cat "$name.check")"; fi
  if "$wasm_validate" --enable-extended-const --enable-tail-call "$name.wasm" 2> "$name.validate"; then ok "$name: wasm-validate"
  else fail "$name: wasm-validate: $(cat "$name.validate")"; fi
  if "$wasm_tools" validate "$name.wasm" 2> "$name.validate"; then ok "$name: wasm-tools validate"
  else fail "$name: wasm-tools validate: $(cat "$name.validate")"; fi
  # (a second --stub-wasi run warns that there is nothing left to stub)
  "$cli" "$@" "$name.wasm" -o "$name.again.wasm" 2> "$name.again.stderr"
  if cmp -s "$name.wasm" "$name.again.wasm"; then ok "$name: a second run is a no-op"
  else fail "$name: a second run changed the output"; fi
  if wasm_mjs compare "$in" "$name.wasm" "${cmp_args[@]}" > "$name.compare"; then
    ok "$name: function, export, code, name changed as they must$([ ${#cmp_args[@]} = 0 ] ||
      echo '; import, global, element renumbered'), every other byte kept"
  else
    fail "$name: wasm.mjs compare:"
    cat "$name.compare"
  fi
}

rewrite component-tw component.wasm
rewrite hook-tw hook.wasm --stub sched_yield -- --stub-wasi
rewrite pie-tw pie.wasm
rewrite pie-stub pie.wasm --stub sched_yield -- --stub-wasi
rewrite refs-stub refs.wasm --stub sched_yield -- --stub-wasi

# ---- components ----
# NAME.ref: wit-component hooks the original; NAME.tw: the rewritten
# module; NAME.unhooked: no hook export and no wrapper (--exclude matches
# every export; the hook export goes in any case), the reference for what
# the hook does. hook.wasm's WASI import needs a stub (or an adapter) in a
# component: its original, hooked by wit-component, is the one stubbed
# with the hook export kept and nothing wrapped.
"$cli" --exclude '*' component.wasm -o component-unhooked.wasm
"$cli" --stub-wasi --keep-hook-export --exclude '*' hook.wasm -o hook-stubbed.wasm
"$cli" --stub-wasi --exclude '*' hook.wasm -o hook-unhooked.wasm
for name in component hook; do
  original=$name
  [ $name = hook ] && original=hook-stubbed
  for c in $original:ref $name-tw:tw $name-unhooked:unhooked; do
    in=${c%%:*}.wasm out=$name.${c#*:}
    "$wasm_tools" component new "$in" -o "$out.wasm" 2> "$out.stderr" ||
      die "wasm-tools component new $in: $(cat "$out.stderr")"
    [ ! -s "$out.stderr" ] || fail "wasm-tools component new $in said: $(cat "$out.stderr")"
    "$wasm_tools" print "$out.wasm" > "$out.wat"
  done
done

# wit-component 0.262 resolves the libcalls of LLVM's wasip3 ABI so: the
# stack pointer to the per-task context slot 0 (canon context.get/set i32 0),
# the TLS base to a get/set pair over one mutable global of its shim module
# (so one TLS base per component instance, not per task). The env
# instance lists them in the module's import order.
block() { sed -n "/^  (core $2 \$$3 /,/^  )/p" "$1"; }
cat > env.expected <<'EOF'
    (export "__wasm_get_stack_pointer" (func $"context.get 0"))
    (export "__wasm_get_tls_base" (func $$get-tls-base))
    (export "__wasm_set_stack_pointer" (func $"context.set 0"))
    (export "__wasm_set_tls_base" (func $$set-tls-base))
EOF
for c in component.ref component.tw hook.ref hook.tw; do
  block $c.wat instance env > $c.env
  if grep '^    (export ' $c.env | LC_ALL=C sort | cmp -s - env.expected &&
    grep -qE '^  \(core func \$"context\.get 0" \(;[0-9]+;\) \(canon context\.get i32 0\)\)$' $c.wat &&
    grep -qE '^  \(core func \$"context\.set 0" \(;[0-9]+;\) \(canon context\.set i32 0\)\)$' $c.wat &&
    [ "$(block $c.wat module wit-component-shim-module |
         sed -n -e '/^    (func \$\$get-tls-base /,/^    )/p' -e '/^    (func \$\$set-tls-base /,/^    )/p' |
         grep -cE '^ +global\.(get|set) 0$')" = 2 ]; then
    ok "$c: env.__wasm_{get,set}_stack_pointer -> context.get/set i32 0, the TLS base -> a shim global"
  else
    fail "$c: the env instance is not what wasm-tools 1.262 made of it:"
    cat $c.env
  fi
done
# wit-component wraps every lifted export of the original: component.wasm
# 12 wrappers with 22 hook calls (echo's H(1) moves into cabi_post_echo's),
# hook.wasm 5 with 10. The rewritten modules export no hook, so it adds none:
# component's fixup module only runs _initialize (the wrapped one) as its
# start function and fills the task.return slot; hook's has no fixup module.
wrappers() { block "$1" module wit-component-fixup | grep -c "$2" || true; }
for c in component:12:22 hook:5:10; do
  IFS=: read -r name n h <<< "$c"
  got="$(wrappers $name.ref.wat '^    (func ') $(wrappers $name.ref.wat 'call \$__wasm_task_hook$')"
  [ "$got" = "$n $h" ] && ok "$name.ref: wit-component's fixup module has $n wrappers, $h hook calls" ||
    fail "$name.ref: wit-component's fixup module has $got wrappers and hook calls, expected $n $h"
  if [ "$(wrappers $name.tw.wat '^    (func ')" = 0 ] &&
    ! grep -qF '(export "__wasm_task_hook"' $name.tw.wat &&
    output_lacks __wasm_task_hook block $name.tw.wat module wit-component-fixup; then
    ok "$name.tw: no hook wrapper in the component, no hook export"
  else
    fail "$name.tw: wit-component added wrappers to the rewritten module, or a hook is left"
  fi
done
output_has -F '(start $_initialize)' block component.tw.wat module wit-component-fixup &&
  ok "component.tw: the fixup module starts _initialize" || fail "component.tw: no start _initialize"

# In wasmtime (no -W flag needed: async lifts are on by default in 49;
# -C cache=n: nothing written to the compilation cache under $HOME).
invoke() { # COMPONENT CALL: its result, or "trap"
  "$wasmtime" run -C cache=n --invoke "$2" "$1" 2> /dev/null || echo trap
}
same_results() { # NAME CALL=EXPECTED...: NAME.ref and NAME.tw return EXPECTED
  local name=$1 entry call want r_ref r_tw
  shift
  for entry in "$@"; do
    call=${entry%%=*} want=${entry#*=}
    r_ref=$(invoke $name.ref.wasm "$call") r_tw=$(invoke $name.tw.wasm "$call")
    if [ "$r_ref" = "$want" ] && [ "$r_tw" = "$want" ]; then ok "$name $call = $want (wit-component's hooks and wasm-taskwrap's)"
    else fail "$name $call: wit-component's hooks $r_ref, wasm-taskwrap's $r_tw, expected $want"; fi
  done
}
unhooked_results() { # NAME CALL=EXPECTED...: NAME.unhooked returns EXPECTED
  local name=$1 entry r
  shift
  for entry in "$@"; do
    r=$(invoke $name.unhooked.wasm "${entry%%=*}")
    [ "$r" = "${entry#*=}" ] && ok "$name ${entry%%=*} without hooks = $r" ||
      fail "$name ${entry%%=*} without hooks: $r, expected ${entry#*=}"
  done
}
# 24560 = 0x5ff0: __init_stack_pointer 0x6000 below the hook's 16-byte task
# record; 28672 = 0x7000: __init_tls_base (the main stack and TLS block are
# free at every task start here); 5120 = 0x1400: the top of the hook's own
# stack. A trace has five words per hook call: code, previous stack
# pointer, the hook's stack pointer, the new one, the TLS base.
same_results component \
  'sp()=24560' \
  'tls-base()=28672' \
  'counter()=42' \
  'dispatch(1, 21)=42' \
  'dispatch(2, 21)=4294967275' \
  'data-word()=305419896' \
  'echo("wasip3")="wasip3"' \
  'trace()=[6, 0, 5120, 24560, 28672, 7, 24560, 5120, 0, 0, 0, 0, 5120, 24560, 28672]' \
  'acb()=[6, 0, 5120, 24560, 28672, 7, 24560, 5120, 0, 0, 2, 0, 5120, 24560, 28672, 4, 24560, 5120, 28672, 0, 3, 28672, 5120, 24560, 28672]'
# counter: .tdata's 41 copied into a fresh TLS block, plus one; data-word:
# .data, copied by memory.init in _initialize. trace: _initialize's start
# (6) and finish (7), then trace's own start (0). acb: start (2), blocked (4:
# the stack freed, the context slot keeps the TLS block), resumed (3: a stack
# again, the same TLS block). Without any hook call: no stack (sp() stores
# below address 0 and traps), no TLS block, an empty trace.
unhooked_results component 'sp()=trap' 'tls-base()=0' 'counter()=1' 'trace()=[]' 'acb()=[]'
same_results hook 'sp()=4096' 'tls-base()=0' 'counter()=42' 'dispatch(1, 21)=42' 'dispatch(2, 21)=4294967275' \
  'yield()=42'
unhooked_results hook 'counter()=1'

# ---- the core module in wasmtime, env.wat preloaded ----
run_core() { # MODULE EXPORT [ARGS...]: its result, or "trap"
  local m=$1 f=$2
  shift 2
  "$wasmtime" run -C cache=n --preload env=env.wasm --invoke "$f" "$m" "$@" 2> /dev/null || echo trap
}
# No host calls the hook of a core module: the original runs unhooked, the
# rewritten ones hook themselves.
declare -A core_unhooked=(['sp']=trap ['tls-base']=0 ['counter']=1 ['trace-at 0']=0 ['dispatch 1 21']=42)
for entry in 'sp=24560' 'tls-base=28672' 'counter=42' 'dispatch 1 21=42' 'dispatch 2 21=-21' \
  'data-word=305419896' 'yield=0' 'trace-at 0=6' 'trace-at 5=7' 'trace-at 10=0' 'trace-at 12=5120' \
  'trace-at 13=24560'; do
  call=${entry%%=*} want=${entry#*=}
  # shellcheck disable=SC2086  # the call is the export and its arguments
  r_tw=$(run_core pie-tw.wasm $call) r_stub=$(run_core pie-stub.wasm $call)
  if [ "$r_tw" = "$want" ] && [ "$r_stub" = "$want" ]; then ok "pie $call = $want (rewritten, and with --stub-wasi)"
  else fail "pie $call: rewritten $r_tw, with --stub-wasi $r_stub, expected $want"; fi
  if [ -n "${core_unhooked[$call]:-}" ]; then
    # shellcheck disable=SC2086
    r=$(run_core pie.wasm $call)
    [ "$r" = "${core_unhooked[$call]}" ] && ok "pie $call, original = $r" ||
      fail "pie $call, original: $r, expected ${core_unhooked[$call]}"
  fi
done

# refs: 0x800 is the hook's stack pointer, 7 $seven's result.
for entry in 'via-ref=2055' 'tail=2048' 'tail-indirect=2048'; do
  r=$(run_core refs-stub.wasm "${entry%%=*}") r0=$(run_core refs.wasm "${entry%%=*}")
  [ "$r" = "${entry#*=}" ] && [ "$r0" = $((${entry#*=} - 2048)) ] &&
    ok "refs ${entry%%=*} = $r with --stub-wasi, $r0 originally" ||
    fail "refs ${entry%%=*}: $r with --stub-wasi, $r0 originally, expected ${entry#*=}, $((${entry#*=} - 2048))"
done

# ---- self-checks: sabotaged outputs are caught ----
refused() { # WHAT INPUT OUTPUT [ARGS...]: --check must refuse OUTPUT
  local what=$1 in=$2 out=$3
  shift 3
  if "$cli" --check "$@" "$in" "$out" 2> check.stderr; then fail "--check accepts $what"
  elif grep -q "error:" check.stderr; then ok "--check refuses $what: $(head -n 1 check.stderr | sed 's/^[^ ]*: //')"
  else fail "--check on $what: $(cat check.stderr)"; fi
}
reported() { # WHAT INPUT OUTPUT [COMPARE-ARGS...]: wasm.mjs compare must report OUTPUT
  local what=$1 in=$2 out=$3
  shift 3
  if wasm_mjs compare "$in" "$out" "$@" > compare.out; then fail "wasm.mjs compare misses $what"
  else ok "wasm.mjs compare reports $what: $(grep -m1 problem: compare.out | sed 's/^ *problem: //')"; fi
}
patch_byte() { # FILE OFFSET HEX: a copy with that byte replaced, to stdout
  head -c "$2" "$1"
  printf "\\x$3"
  tail -c +"$(($2 + 2))" "$1"
}
offset() { # MODULE KEY: a file offset from wasm.mjs inspect
  "$node" -e 'console.log(JSON.parse(process.argv[1])[process.argv[2]])' "$(wasm_mjs inspect "$1")" "$2"
}
# 1. The tls-base wrapper starts with H(1) (a finish) instead of H(0).
wasm_mjs set-hook-code component-tw.wasm sabotaged-hook.wasm tls-base 0 1
refused "a wrapper calling H(1) for H(0)" component.wasm sabotaged-hook.wasm
"$wasm_tools" component new sabotaged-hook.wasm -o sabotaged-hook.component.wasm
r=$(invoke sabotaged-hook.component.wasm 'tls-base()')
[ "$r" != 28672 ] && ok "that wrapper's task sees TLS base $r, not 28672" ||
  fail "wasmtime does not notice a wrapper that calls H(1) for H(0)"
# 2. A padding byte of the 5-byte call_indirect table index (80 -> 81: table 1).
patch_byte component-tw.wasm "$(offset component-tw.wasm callIndirectTable)" 81 > sabotaged-table.wasm
refused "a call_indirect table index 81 80 80 80 00" component.wasm sabotaged-table.wasm
# 3. target_features: "+" -> "-" on its first feature.
patch_byte component-tw.wasm "$(($(offset component-tw.wasm targetFeatures) + 1))" 2d > sabotaged-features.wasm
refused "a changed target_features byte" component.wasm sabotaged-features.wasm
reported "a changed target_features byte" component.wasm sabotaged-features.wasm
# 4. The output's padded indices compressed (as wasm-ld --compress-relocations would).
wasm_mjs narrow hook-tw.wasm sabotaged-narrow.wasm > /dev/null
refused "compressed code indices" hook.wasm sabotaged-narrow.wasm
reported "compressed code indices" hook.wasm sabotaged-narrow.wasm
# 5. A renumbered, padded call index of the --stub-wasi output (80 -> 81: 128 more).
patch_byte pie-stub.wasm "$(($(offset pie-stub.wasm paddedCall) + 1))" 81 > sabotaged-call.wasm
refused "a renumbered call index off by 128" pie.wasm sabotaged-call.wasm --stub-wasi
reported "a renumbered call index off by 128" pie.wasm sabotaged-call.wasm --stub sched_yield
# 6. A plain rewrite is no --stub-wasi rewrite.
reported "a plain rewrite taken for a --stub-wasi one" pie.wasm pie-tw.wasm --stub sched_yield

summary
