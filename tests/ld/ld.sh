#!/usr/bin/env bash
# ld-wrapper: wasm-taskwrap-ld as the linker clang runs (-fuse-ld=PATH).
#   ld.sh WASM_TASKWRAP_LD WASM_TASKWRAP CLANG WASM_LD SRC WORK
# Its output equals wasm-ld's output rewritten by wasm-taskwrap (with the
# options of TASKWRAP_FLAGS); a module without a hook, a relocatable link
# and a failed link pass through as wasm-ld made them; a failed rewrite fails
# the link with wasm-taskwrap's message and leaves the linker's output; an
# @argfile is read; wasm-ld is found on PATH past the wrapper itself.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh" || exit 1
ldw=$(realpath "$1") tw=$(realpath "$2") clang=$3 wasm_ld=$4 src=$5 work=$6
# (wasm_ld as given: lld is one binary that acts by the name it is run as)
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
cc() { "$clang" --target=wasm32-wasi -O1 -c "$src/$1.c" -o "$1.o" || die "cannot compile $1.c"; }
cc hook
cc bad-hook
printf 'int run(void) { return 3; }\n' > plain.c && "$clang" --target=wasm32-wasi -c plain.c -o plain.o
link() { # OUT OBJ [ENV...]: link a reactor through the wrapper
  local out=$1 obj=$2; shift 2
  env "$@" TASKWRAP_WASM_LD="$wasm_ld" "$clang" --target=wasm32-wasi -mexec-model=reactor \
    -fuse-ld="$ldw" "$obj" -Wl,--export=run -o "$out"
}
"$clang" --target=wasm32-wasi -mexec-model=reactor -fuse-ld="$wasm_ld" hook.o -Wl,--export=run -o hook.plain.wasm
"$tw" hook.plain.wasm -o hook.expect.wasm || die "wasm-taskwrap failed on the plain link"

link hook.wasm hook.o && cmp -s hook.wasm hook.expect.wasm &&
  ok "a hooked reactor: wasm-ld's output rewritten in place" || fail "hooked link differs from wasm-ld + wasm-taskwrap"
"$tw" --init-once hook.plain.wasm -o hook.once.expect.wasm
link hook.once.wasm hook.o TASKWRAP_FLAGS="--init-once --verify=full" &&
  cmp -s hook.once.wasm hook.once.expect.wasm && ok "TASKWRAP_FLAGS are the command line's" ||
  fail "TASKWRAP_FLAGS=--init-once"
"$tw" --check --init-once hook.plain.wasm hook.once.wasm && ok "--check agrees" || fail "--check of the linked module"

"$clang" --target=wasm32-wasi -mexec-model=reactor -fuse-ld="$wasm_ld" plain.o -Wl,--export=run -o plain.plain.wasm
link plain.wasm plain.o && cmp -s plain.wasm plain.plain.wasm &&
  ok "no hook: the linker's output, byte for byte" || fail "a module without a hook changed"

"$wasm_ld" -r hook.o -o rel.expect.o
TASKWRAP_WASM_LD="$wasm_ld" "$ldw" -r hook.o -o rel.o && cmp -s rel.o rel.expect.o &&
  ok "-r passes through" || fail "-r changed the object"

"$wasm_ld" --no-entry --no-such-option hook.o -o undef.plain.wasm 2> /dev/null
want=$?
TASKWRAP_WASM_LD="$wasm_ld" "$ldw" --no-entry --no-such-option hook.o -o undef.wasm 2> undef.err
got=$?
[ "$got" = "$want" ] && [ "$got" != 0 ] && grep -q 'no-such-option' undef.err && [ ! -e undef.wasm ] &&
  ok "a failed link: the linker's status ($got) and message" || fail "failed link: exit $got, want $want"

link bad.wasm bad-hook.o 2> bad.err
st=$?
[ "$st" = 1 ] && grep -q "^wasm-taskwrap-ld: bad.wasm:0x[0-9a-f]*: error: .*__wasm_task_hook.* has type" bad.err &&
  ok "a failed rewrite fails the link with wasm-taskwrap's message" ||
  fail "failed rewrite: exit $st: $(cat bad.err)"
# (clang removes a failed link's output; run directly, the wrapper leaves it.)
TASKWRAP_WASM_LD="$wasm_ld" "$ldw" --no-entry --export=run bad-hook.o -o bad-direct.wasm 2> /dev/null
st=$?
"$wasm_ld" --no-entry --export=run bad-hook.o -o bad-plain.wasm
[ "$st" = 1 ] && cmp -s bad-direct.wasm bad-plain.wasm &&
  ok "a failed rewrite leaves the linker's output as it wrote it" || fail "failed rewrite: exit $st, output changed"

mkdir -p "out dir"
printf '%s\n' "-m wasm32 --no-entry --export=run" \
  "-L$(dirname "$(dirname "$wasm_ld")")" "hook.o -o 'out dir/arg.wasm'" > args.rsp
"$wasm_ld" --no-entry --export=run hook.o -o argplain.wasm &&
  "$tw" argplain.wasm -o arg.expect.wasm
TASKWRAP_WASM_LD="$wasm_ld" "$ldw" @args.rsp 2> arg.err && cmp -s "out dir/arg.wasm" arg.expect.wasm &&
  ok "an @argfile (POSIX quoting) is read for the output" || fail "@argfile: $(cat arg.err)"

mkdir -p bin
ln -sf "$ldw" bin/wasm-ld
PATH="$work/bin:$(dirname "$wasm_ld"):$PATH" bin/wasm-ld --no-entry --export=run \
  hook.o -o path.wasm 2> path.err && cmp -s path.wasm arg.expect.wasm &&
  ok "wasm-ld found on PATH past the wrapper itself" || fail "PATH lookup: $(cat path.err)"

link flags.wasm hook.o TASKWRAP_FLAGS="--frobnicate" 2> flags.err
[ $? = 1 ] && grep -q "TASKWRAP_FLAGS: unknown option '--frobnicate'" flags.err &&
  ok "a bad TASKWRAP_FLAGS fails the link" || fail "bad flags: $(cat flags.err)"
# The same parser as the command line's: a switch takes no value, a
# valued option needs one.
link flags2.wasm hook.o TASKWRAP_FLAGS="--init-once=x" 2> flags2.err
[ $? = 1 ] && grep -q "TASKWRAP_FLAGS: --init-once takes no value" flags2.err &&
  ok "TASKWRAP_FLAGS: a switch given a value fails the link" || fail "--init-once=x: $(cat flags2.err)"
link flags3.wasm hook.o TASKWRAP_FLAGS="--only" 2> flags3.err
[ $? = 1 ] && grep -q "TASKWRAP_FLAGS: --only needs a pattern" flags3.err &&
  ok "TASKWRAP_FLAGS: a valued option without its value fails the link" || fail "--only: $(cat flags3.err)"
summary
