#!/usr/bin/env bash
# referenced.wat through --stub-wasi: the output, printed with numeric
# indices, must be referenced.expected.wat (written by hand), and the name
# section must name a, b, d1, d2 and then the three stubs, in that order.
# Usage: referenced.sh TASKWRAP WORKDIR VERIFY   (env WAT2WASM WASM2WAT
#        WASM_OBJDUMP WASM_VALIDATE)
set -euo pipefail
CLI=${1:?usage: referenced.sh TASKWRAP WORKDIR VERIFY}
WORK=${2:?}
VERIFY=${3:?}
HERE=$(cd "$(dirname "$0")" && pwd)
WAT2WASM=${WAT2WASM:-wat2wasm} WASM2WAT=${WASM2WAT:-wasm2wat}
WASM_OBJDUMP=${WASM_OBJDUMP:-wasm-objdump} WASM_VALIDATE=${WASM_VALIDATE:-wasm-validate}
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK"
"$WAT2WASM" --enable-tail-call --debug-names "$HERE/referenced.wat" -o in.wasm
"$CLI" --stub-wasi --verify="$VERIFY" in.wasm -o out.wasm
"$WASM_VALIDATE" --enable-tail-call out.wasm
"$WASM2WAT" --enable-tail-call --no-check --no-debug-names out.wasm >out.wat
diff -u "$HERE/referenced.expected.wat" out.wat || { echo "FAIL: the output differs from referenced.expected.wat"; exit 1; }
"$WASM_OBJDUMP" -x out.wasm | sed -n '/^ - name: "name"/,$s/^ - func\[\([0-9]*\)\] <\(.*\)>$/\1 \2/p' >names.txt
cat >names.want <<'NAMES'
0 a
1 b
2 d1
3 d2
4 taskwrap:wasi_snapshot_preview1.fake_void
5 taskwrap:wasi_snapshot_preview1.fd_close
6 taskwrap:wasi_snapshot_preview1.fake_fn
NAMES
diff -u names.want names.txt || { echo "FAIL: function names differ"; exit 1; }
echo "referenced: output and names as expected"
