#!/usr/bin/env bash
# DWARF and --stub-wasi: the tool must warn exactly when the code offsets of
# the original functions change (DWARF addresses are offsets into the code
# section's contents), and --strip-debug must drop every .debug_* section,
# nothing else, and the warning with them.
# Offsets are measured independently: wasm-objdump -d gives each body's file
# offset, minus the code section's start from wasm-objdump -h.
# Usage: dwarf.sh TASKWRAP WORKDIR VERIFY(full|fast)
#   env CLANG WAT2WASM WASM_OBJDUMP WASM_VALIDATE
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
CLI=${1:?usage: dwarf.sh TASKWRAP WORKDIR VERIFY}
WORK=${2:?}
VERIFY=${3:?}
CLANG=${CLANG:-clang} WAT2WASM=${WAT2WASM:-wat2wasm}
WASM_OBJDUMP=${WASM_OBJDUMP:-wasm-objdump} WASM_VALIDATE=${WASM_VALIDATE:-wasm-validate}
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK"
WARNING='warning: DWARF code offsets change (a function index or the function count no longer fits its LEB128): the .debug_* sections are stale; --strip-debug drops them'

# Appends a custom section NAME with an ASCII PAYLOAD (short: one-byte sizes).
add_custom() { # FILE NAME PAYLOAD
  local n=$((1 + ${#2} + ${#3}))
  printf "\\x00\\x$(printf %02x "$n")\\x$(printf %02x "${#2}")%s%s" "$2" "$3" >>"$1"
}
# "NAME OFFSET" per original function: body offset from the start of the
# code section's contents (the stubs, named taskwrap:*, are left out).
offsets() { # FILE
  local code
  code=$("$WASM_OBJDUMP" -h "$1" | sed -n 's/^ *Code start=\(0x[0-9a-f]*\) .*/\1/p')
  [ -n "$code" ] || { echo "no code section in $1" >&2; return 1; }
  "$WASM_OBJDUMP" -d "$1" | grep -E '^[0-9a-f]+ func\[' | grep -v '<taskwrap:' |
    while read -r off _ name; do echo "$name $((0x$off - code))"; done
}
# "NAME SIZE" per section.
sections() { # FILE
  "$WASM_OBJDUMP" -h "$1" | sed -n 's/^ *\([A-Za-z]*\) start=.*(size=\(0x[0-9a-f]*\)).*count.*/\1 \2/p;
                                    s/^ *Custom start=.*(size=\(0x[0-9a-f]*\)) "\(.*\)"$/custom:\2 \1/p'
}

# check NAME IN.wasm EXPECT: EXPECT is "moved" when the construction makes
# code offsets change, "kept" when it must not. A case passes (ok) when none
# of its checks fails.
check() {
  local name=$1 in=$2 expect=$3 moved=kept warned=no failed_before=$TW_FAILED
  local out=$name.out.wasm strip=$name.strip.wasm
  local ndebug
  ndebug=$(sections "$in" | grep -c '^custom:\.debug_' || true)
  [ "$ndebug" -gt 0 ] || fail "$name: the input has no .debug_* section"
  local st=0
  "$CLI" --stub-wasi --verify="$VERIFY" "$in" -o "$out" 2>"$name.err" || st=$?
  [ $st -eq 0 ] || { fail "$name: exit status $st ($(cat "$name.err"))"; return; }
  offsets "$in" >"$name.in.offsets"
  offsets "$out" >"$name.out.offsets"
  [ -s "$name.in.offsets" ] || fail "$name: no function found by wasm-objdump -d"
  cmp -s "$name.in.offsets" "$name.out.offsets" || moved=moved
  grep -qF -- "$WARNING" "$name.err" && warned=yes
  echo "$name: $(wc -l <"$name.in.offsets") functions, offsets $moved, warning: $warned, $ndebug .debug_* sections"
  [ "$moved" = "$expect" ] || fail "$name: code offsets $moved, expected $expect:
$(diff "$name.in.offsets" "$name.out.offsets" | head -5)"
  if [ "$moved" = moved ] && [ $warned = no ]; then fail "$name: offsets change but no warning: $(cat "$name.err")"; fi
  if [ "$moved" = kept ] && [ -s "$name.err" ]; then fail "$name: offsets kept but stderr says: $(cat "$name.err")"; fi
  "$WASM_VALIDATE" "$out" || fail "$name: wasm-validate rejects the output"

  # --strip-debug: exit 0, no warning, the same sections minus .debug_*.
  "$CLI" --stub-wasi --strip-debug --verify="$VERIFY" "$in" -o "$strip" 2>"$name.strip.err" || st=$?
  [ $st -eq 0 ] || { fail "$name --strip-debug: exit status $st ($(cat "$name.strip.err"))"; return; }
  [ -s "$name.strip.err" ] && fail "$name --strip-debug: stderr says: $(cat "$name.strip.err")"
  sections "$out" | grep -v '^custom:\.debug_' >"$name.want.sections" || true
  sections "$strip" >"$name.strip.sections"
  [ "$(grep -c . "$name.want.sections")" -ge 3 ] || fail "$name: wasm-objdump -h parse found too few sections"
  diff "$name.want.sections" "$name.strip.sections" >/dev/null ||
    fail "$name --strip-debug: sections differ from the output's minus .debug_*:
$(diff "$name.want.sections" "$name.strip.sections" | head -8)"
  offsets "$strip" | cmp -s - "$name.out.offsets" || fail "$name --strip-debug: code offsets differ from without it"
  "$WASM_VALIDATE" "$strip" || fail "$name --strip-debug: wasm-validate rejects the output"
  if [ "$TW_FAILED" -eq "$failed_before" ]; then ok "$name"; fi
}

# 1. clang -g -O0, linked without -O, calling printf: wasm-ld writes call
# indices as 5-byte LEBs, so nothing moves and there is no warning.
cat >hello.c <<'EOF'
#include <stdio.h>
int main(void) { printf("hello %d\n", 42); return 0; }
EOF
"$CLANG" --target=wasm32-wasi -g -O0 -c hello.c -o hello.o
"$CLANG" --target=wasm32-wasi -g hello.o -o hello.wasm
grep -q wasi_snapshot_preview1 hello.wasm || fail "hello.wasm imports nothing from WASI"
check clang-printf hello.wasm kept

# Modules from wat2wasm (minimal LEBs) with DWARF-named sections added, and
# two other custom sections that --strip-debug must keep ("debug_nodot" is
# not .debug_*).
wat_module() { # NAME: reads the text on stdin
  "$WAT2WASM" --debug-names - -o "$1.wasm"
  add_custom "$1.wasm" .debug_info 'info'
  add_custom "$1.wasm" .debug_line 'line'
  add_custom "$1.wasm" other 'x'
  add_custom "$1.wasm" debug_nodot 'y'
}
funcs() { for i in $(seq 0 $(($1 - 1))); do echo "  (func \$f$i (result i32) i32.const $i)"; done; }

# 2. A call to the removed import at index 0 (1-byte LEB) must become a call
# to its stub at index 130, which needs 2 bytes: offsets move.
{
  echo '(module (import "wasi_snapshot_preview1" "fd_close" (func $close (param i32) (result i32)))'
  echo '  (func $caller (export "caller") (param i32) (result i32) local.get 0 call $close)'
  funcs 129
  echo ')'
} | wat_module call-grows
check call-grows call-grows.wasm moved

# 3. The same with 120 functions: the stub's index 121 fits one byte.
{
  echo '(module (import "wasi_snapshot_preview1" "fd_close" (func $close (param i32) (result i32)))'
  echo '  (func $caller (export "caller") (param i32) (result i32) local.get 0 call $close)'
  funcs 119
  echo ')'
} | wat_module call-fits
check call-fits call-fits.wasm kept

# 4. 127 bodies and one uncalled import: 128 bodies need a 2-byte count,
# so every body moves by one.
{
  echo '(module (import "wasi_snapshot_preview1" "sched_yield" (func $y (result i32)))'
  funcs 127
  echo ')'
} | wat_module count-grows
check count-grows count-grows.wasm moved

# 5. The import's index grows only outside the code (element segment,
# global initialiser): code offsets stay, no warning.
{
  echo '(module (import "wasi_snapshot_preview1" "fd_close" (func $close (param i32) (result i32)))'
  echo '  (table 1 funcref) (elem (i32.const 0) $close) (global funcref (ref.func $close))'
  funcs 130
  echo ')'
} | wat_module grows-outside-code
check grows-outside-code grows-outside-code.wasm kept

summary
