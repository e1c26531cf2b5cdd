#!/usr/bin/env bash
# ld-component: wasm-taskwrap-ld as the --wasm-ld-path of the real
# wasm-component-ld (0.5.30), which clang 14 runs as its linker
# (-fuse-ld=<wasm-component-ld>). The reactor component.c, with the world
# component.wit (--component-type), linked twice:
#   plain    wasm-component-ld runs wasm-ld; wit-component (0.257.0, inside
#            wasm-component-ld) puts the hook wrappers in its fixup module
#   wrapped  -Wl,--wasm-ld-path=wasm-taskwrap-ld: the wrappers are in the core
#            module, the fixup module has none
# Checks: the arguments wasm-component-ld passes to the linker (a logging
# linker in between), with -Wl,--verbose too; of two --wasm-ld-path (as
# wasi-sdk's clang gives its own first) the last is run; the fixup modules;
# the core module (--skip-wit-component) equal to wasm-ld's rewritten by
# wasm-taskwrap; both components run in jco (Node.js) and in
# wasmtime (wast) with the same hook traces (component.mjs); a module the
# rewrite refuses fails the link with wasm-taskwrap's message; the @argfile
# wasm-component-ld writes when the command line is too long; and sabotaged
# wrappers are caught.
# Environment (tests.cmake): LDW TW CLANG WASM_LD CLD WASM_TOOLS WASMTIME NODE
# JCO_DIR SRC WORK.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh" || exit 1
for v in LDW TW CLANG WASM_LD CLD WASM_TOOLS WASMTIME NODE JCO_DIR SRC WORK; do
  [ -n "${!v:-}" ] || die "$v is not set"
done
ldw=$(realpath "$LDW") tw=$(realpath "$TW") cld=$(realpath "$CLD")
wit=$SRC/component.wit
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK" || exit 1
work=$(pwd -P)
"$CLANG" --target=wasm32-wasi -O1 -Wall -Wextra -Werror -c "$SRC/component.c" -o c.o ||
  die "cannot compile component.c"
"$CLANG" --target=wasm32-wasi -O1 -c "$SRC/bad-hook.c" -o bad-hook.o || die "cannot compile bad-hook.c"

# A linker that logs its arguments (one a line, after a line "--", and the
# contents of any @argfile) to $LINK_LOG, then runs wasm-ld.
cat > logging-ld << EOF
#!/usr/bin/env bash
set -euo pipefail
{ echo --; printf '%s\n' "\$@"
  for a in "\$@"; do case \$a in @*) echo "== \$a"; cat "\${a#@}"; echo "== end";; esac; done
} >> "\$LINK_LOG"
exec "$WASM_LD" "\$@"
EOF
chmod +x logging-ld

# link OUT [ARGS...]: clang links c.o with wasm-component-ld (the world from
# component.wit); ARGS add to the link line, e.g. the --wasm-ld-path.
link() {
  local out=$1; shift
  "$CLANG" --target=wasm32-wasi -mexec-model=reactor -fuse-ld="$cld" c.o \
    -Wl,--component-type="$wit" "$@" -o "$out"
}
# wrapped OUT [ARGS...]: link through wasm-taskwrap-ld (the last flag), which
# runs the logging linker.
wrapped() {
  local out=$1; shift
  LINK_LOG="$work/$out.log" TASKWRAP_WASM_LD="$work/logging-ld" link "$out" "$@" -Wl,--wasm-ld-path="$ldw"
}
# fixup FILE: the printed wit-component-fixup core module of a component.
fixup() {
  "$WASM_TOOLS" print "$1" | awk '/^  \(core module \$wit-component-fixup/ { f = 1; next } f && /^  \)$/ { f = 0; next } f'
}
# no_hook_wrappers FILE: the fixup module defines no function, its start
# function (if any) is the imported _initialize, and the hook is neither
# exported nor imported anywhere.
no_hook_wrappers() {
  local fx defined start
  fx=$(fixup "$1")
  defined=$(grep -c '^    (func (;' <<< "$fx")
  start=$(sed -n 's/^    (start \([0-9]*\))$/\1/p' <<< "$fx")
  [ "$defined" = 0 ] || return 1
  [ -z "$start" ] || grep -q "^    (import \"main\" \"_initialize\" (func (;$start;)" <<< "$fx" || return 1
  output_lacks -F '"__wasm_task_hook"' "$WASM_TOOLS" print "$1"
}
# no_temp_left: wasm-component-ld's temporary directory (beside the output) is gone.
no_temp_left() { [ -z "$(find . -maxdepth 1 -name '.tmp*')" ]; }
# traces_jco FILE: jco runs the plain component and FILE with the expected traces.
traces_jco() { "$NODE" "$SRC/component.mjs" jco "$JCO_DIR" "jco-$1" plain.wasm "$1" > "jco-$1.out" 2>&1; }
# traces_wasmtime KIND FILE: wasmtime runs FILE with the traces KIND expects.
traces_wasmtime() {
  "$NODE" "$SRC/component.mjs" wast "$1" "$2" > "$2.wast" &&
    "$WASMTIME" wast -W component-model-async=y "$2.wast" > "$2.wasmtime.out" 2>&1
}

# --- 1. the two links, and what the linker was given ----------------------
LINK_LOG=$work/plain.wasm.log link plain.wasm -Wl,--wasm-ld-path="$work/logging-ld" ||
  die "the plain link through wasm-component-ld failed"
wrapped tw.wasm 2> tw.err || { cat tw.err; die "the link through wasm-taskwrap-ld failed"; }
[ ! -s tw.err ] && ok "linked through wasm-component-ld --wasm-ld-path=wasm-taskwrap-ld" ||
  fail "the wrapped link printed: $(cat tw.err)"
no_temp_left && ok "no temporary directory left beside the output" || fail "left: $(ls -A)"

# What clang 14 would give wasm-ld itself (-###), as wasm-component-ld 0.5.30
# passes it on: -L and -l split from their values, --component-type and
# --wasm-ld-path taken out, and the output replaced by -o <tmpdir>/<name>, a
# new directory beside the output.
driver=$("$CLANG" -### --target=wasm32-wasi -mexec-model=reactor -fuse-ld="$WASM_LD" c.o -o OUT 2>&1 | tail -n1)
eval "set -- $driver"
shift
expect=()
while [ $# -gt 0 ]; do
  case $1 in
  -o) shift ;;
  -L?* | -l?*) expect+=("${1:0:2}" "${1:2}") ;;
  *) expect+=("$1") ;;
  esac
  shift
done
for out in plain tw; do
  mapfile -t got < <(sed 1d "$out.wasm.log")
  n=${#expect[@]}
  if [ "$(head -n1 "$out.wasm.log")" = -- ] && [ ${#got[@]} = $((n + 2)) ] &&
    [ "$(printf '%s\n' "${got[@]:0:n}")" = "$(printf '%s\n' "${expect[@]}")" ] && [ "${got[n]}" = -o ] &&
    [[ ${got[n + 1]} =~ ^$work/\.tmp[A-Za-z0-9]{6}/$out\.wasm$ ]]; then
    ok "$out: the linker got clang's wasm-ld arguments, then -o <tmpdir>/$out.wasm"
  else
    fail "$out: the linker got: $(printf '%q ' "${got[@]}")"
  fi
done
echo "wasm-component-ld ran the linker with: $(sed 1d tw.wasm.log | tr '\n' ' ')"

# wasi-sdk's clang passes --wasm-ld-path=<its wasm-ld> itself, before the
# user's -Wl, flags: the last one wins.
wrapped twice.wasm -Wl,--wasm-ld-path="$WASM_LD" 2> twice.err &&
  cmp -s twice.wasm tw.wasm && ok "of two --wasm-ld-path, the last is run" ||
  fail "two --wasm-ld-path: $(cat twice.err)"
# -Wl,--verbose is wasm-component-ld's own flag: it prints the linker's
# command line and passes --verbose to the linker too (before -o).
wrapped verbose.wasm -Wl,--verbose 2> verbose.err
st=$?
mapfile -t got < <(sed 1d verbose.wasm.log)
n=${#got[@]}
[ "$st" = 0 ] && [ "${got[n - 3]}" = --verbose ] && grep -q "^running \"$ldw\" " verbose.err &&
  cmp -s verbose.wasm tw.wasm && ok "-Wl,--verbose: the linker gets --verbose too; the same component" ||
  fail "--verbose: exit $st, linker got ${got[*]}"

"$WASM_TOOLS" validate plain.wasm && "$WASM_TOOLS" validate tw.wasm && ok "both components validate" ||
  fail "a component does not validate"
wrappers=$(fixup plain.wasm | grep -c '^    (func (;')
output_has '^    (import "main" "__wasm_task_hook"' fixup plain.wasm && [ "$wrappers" -gt 0 ] &&
  ok "plain: wit-component's fixup module has $wrappers hook wrappers" || fail "plain: no hook wrappers in the fixup module"
no_hook_wrappers tw.wasm && ok "wrapped: the fixup module has no hook wrappers (only _initialize as start)" ||
  { fixup tw.wasm; fail "wrapped: hook wrappers in the fixup module"; }

# The core module: with --skip-wit-component, wasm-component-ld has the
# linker write the output itself, and the wrapper rewrites it there; it is
# wasm-ld's module rewritten by wasm-taskwrap. The plan has one wrapper per
# function of the plain fixup module.
link core.plain.wasm -Wl,--skip-wit-component -Wl,--wasm-ld-path="$WASM_LD" &&
  "$TW" --json core.plain.wasm -o core.expect.wasm > core.plan.json || die "the core module route"
env TASKWRAP_WASM_LD="$WASM_LD" "$CLANG" --target=wasm32-wasi -mexec-model=reactor -fuse-ld="$cld" c.o \
  -Wl,--skip-wit-component -Wl,--wasm-ld-path="$ldw" -o core.wasm &&
  cmp -s core.wasm core.expect.wasm && "$TW" --check core.plain.wasm core.wasm &&
  ok "--skip-wit-component: the core module is wasm-ld's, rewritten (--check agrees)" ||
  fail "--skip-wit-component through the wrapper differs from wasm-ld + wasm-taskwrap"
grep -q "\"wrappers\":$wrappers[,}]" core.plan.json && ok "the plan's $wrappers wrappers replace the fixup module's" ||
  fail "plan: $(head -c 200 core.plan.json), fixup wrappers $wrappers"

# --- 2. the traces, in jco and in wasmtime ---------------------------------
if traces_jco tw.wasm; then
  ok "jco: the same hook traces with and without the wrapper, except at the post-return (component.mjs)"
else
  fail "jco traces: $(cat jco-tw.wasm.out)"
fi
cat jco-tw.wasm.out
traces_wasmtime wit-component plain.wasm && ok "wasmtime: the plain component's traces" ||
  fail "wasmtime, plain: $(head -n4 plain.wasm.wasmtime.out)"
traces_wasmtime taskwrap tw.wasm && ok "wasmtime: the wrapped component's traces" ||
  fail "wasmtime, wrapped: $(head -n4 tw.wasm.wasmtime.out)"
# The script does check: the plain component fails the wrapped one's.
! traces_wasmtime taskwrap plain.wasm && grep -q 'failed directive' plain.wasm.wasmtime.out &&
  ok "wasmtime: the wast script tells the two apart (post-return)" || fail "wasmtime: the wast script checks nothing"

# --- 3. a module the rewrite refuses ---------------------------------------
TASKWRAP_WASM_LD="$WASM_LD" "$CLANG" --target=wasm32-wasi -mexec-model=reactor -fuse-ld="$cld" bad-hook.o \
  -Wl,--wasm-ld-path="$ldw" -o bad.wasm 2> bad.err
st=$?
msg="^wasm-taskwrap-ld: $work/\.tmp[A-Za-z0-9]{6}/bad\.wasm:0x[0-9a-f]+: error: export \"__wasm_task_hook\" \(hook\) has type \[\] -> \[\], expected \[i32\] -> \[\]$"
[ "$st" = 1 ] && grep -Eq "$msg" bad.err && grep -qx 'error: failed to invoke LLD: exit status: 1' bad.err &&
  [ ! -e bad.wasm ] && no_temp_left &&
  ok "a refused rewrite fails the link: wasm-taskwrap's message, status 1, no output" ||
  fail "refused rewrite: clang exit $st: $(cat bad.err)"
TASKWRAP_WASM_LD="$WASM_LD" "$cld" --wasm-ld-path="$ldw" --no-entry --export=run bad-hook.o -o bad-direct.wasm 2> /dev/null
st=$?
[ "$st" = 1 ] && [ ! -e bad-direct.wasm ] && ok "wasm-component-ld itself exits 1" ||
  fail "wasm-component-ld exit $st"

# --- 4. the argfile wasm-component-ld writes --------------------------------
# One argument longer than Linux's limit for a single argument (128 KiB)
# makes execve fail with E2BIG; clang 14 then passes its own arguments in a
# response file, and wasm-component-ld, whose exec of the linker fails too,
# writes them to <tmpdir>/argfile_tmp (POSIX quoting: spaces and backslashes
# escaped) and runs `LINKER --rsp-quoting=posix @<tmpdir>/argfile_tmp -o
# <tmpdir>/<name>`. The object is in a directory with a space in its name.
mkdir -p "obj dir" && cp c.o "obj dir/c.o"
printf -- '-Wl,--export-if-defined=%s\n' "$(head -c 140000 /dev/zero | tr '\0' x)" > long.rsp
env LINK_LOG="$work/argfile.wasm.log" TASKWRAP_WASM_LD="$work/logging-ld" "$CLANG" --target=wasm32-wasi \
  -mexec-model=reactor -fuse-ld="$cld" "obj dir/c.o" -Wl,--component-type="$wit" @long.rsp \
  -Wl,--wasm-ld-path="$ldw" -o argfile.wasm 2> argfile.err
st=$?
line=$(sed -n 2,5p argfile.wasm.log | tr '\n' ' ')
[ "$st" = 0 ] && [[ $line =~ ^--rsp-quoting=posix\ @$work/\.tmp[A-Za-z0-9]{6}/argfile_tmp\ -o\ $work/\.tmp[A-Za-z0-9]{6}/argfile\.wasm\ $ ]] &&
  grep -qxF 'obj\ dir/c.o' argfile.wasm.log &&
  ok "wasm-component-ld wrote an @argfile: $(sed -n 2,3p argfile.wasm.log | tr '\n' ' ')" ||
  fail "argfile link: exit $st, linker got: $line $(cat argfile.err)"
cmp -s argfile.wasm tw.wasm && ok "the @argfile link makes the same component" || fail "the @argfile link differs"

# --- 5. sabotaged wrappers --------------------------------------------------
# Each sabotage must fail the checks listed (f: fixup module without hook
# wrappers, j: jco traces, w: wasmtime traces), and pass the others.
# exclude-sync     TASKWRAP_FLAGS=--exclude=sync: sync runs without hooks
# keep-hook        TASKWRAP_FLAGS=--keep-hook-export: wit-component hooks
#                  the wrappers again (every hook twice)
# no-rewrite       TASKWRAP_FLAGS='--abi init-task': nothing is rewritten, so
#                  wit-component adds its own wrappers; the traces differ only
#                  at the post-return (wit-component 0.257's hooks 10 and 11):
#                  with a later wit-component only the fixup check sees it
# corrupt-linker   TASKWRAP_WASM_LD runs wasm-ld and then removes the hook
#                  export: no hook is ever called
cat > corrupt-ld << EOF
#!/usr/bin/env bash
set -euo pipefail
"$WASM_LD" "\$@"
out=
while [ \$# -gt 0 ]; do [ "\$1" = -o ] && out=\$2; shift; done
"$tw" --exclude='*' "\$out" -o "\$out.corrupt"
mv "\$out.corrupt" "\$out"
EOF
chmod +x corrupt-ld
sabotage() { # NAME FAILS ENV...
  local name=$1 fails=$2 caught=""; shift 2
  if ! env TASKWRAP_WASM_LD="$WASM_LD" "$@" "$CLANG" --target=wasm32-wasi -mexec-model=reactor -fuse-ld="$cld" c.o \
    -Wl,--component-type="$wit" -Wl,--wasm-ld-path="$ldw" -o "$name.wasm" 2> "$name.err"; then
    fail "$name: the link failed: $(cat "$name.err")"
    return
  fi
  # (j and w count only a trace or result that differs, not a failure to run)
  no_hook_wrappers "$name.wasm" || caught+=f
  traces_jco "$name.wasm" || ! grep -q '^FAIL taskwrap ' "jco-$name.wasm.out" || caught+=j
  traces_wasmtime taskwrap "$name.wasm" || ! grep -q 'failed directive' "$name.wasm.wasmtime.out" || caught+=w
  local by=${caught/f/ fixup}
  by=${by/j/ jco}
  by=${by/w/ wasmtime}
  [ "$caught" = "$fails" ] && ok "sabotage $name: caught by:$by" ||
    fail "sabotage $name: failed checks '$caught', expected '$fails'"
}
sabotage exclude-sync jw TASKWRAP_FLAGS=--exclude=sync
sabotage keep-hook fjw TASKWRAP_FLAGS=--keep-hook-export
sabotage no-rewrite fjw "TASKWRAP_FLAGS=--abi init-task"
sabotage corrupt-linker jw TASKWRAP_WASM_LD="$work/corrupt-ld"
grep -q 'trace \[1,101,0\], expected \[1,0,101,1,0\]' jco-exclude-sync.wasm.out &&
  ok "the jco check names the step and both traces" || fail "jco message: $(head -n3 jco-exclude-sync.wasm.out)"
summary
