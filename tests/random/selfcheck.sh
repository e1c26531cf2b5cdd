#!/usr/bin/env bash
# Proves that random-preservation can fail: preservation.sh runs on seeds 1-2
# with a sabotaged "CLI" in place of wasm-taskwrap and must report each seed
# as failed, for the right reason:
#   copy      writes the input unchanged (no wrappers, hook export kept):
#             the hook calls are missing from the trace
#   result    rewrites correctly, then changes hashMemory's djb2 seed
#             constant (5381 -> 5382): one export returns a different value
#   truncate  rewrites correctly, then drops the last byte: wasm-validate
# Usage: selfcheck.sh CLI WORKDIR   (env as for preservation.sh)
# Internally the sabotaged CLI is: selfcheck.sh --as-cli MODE CLI ARGS...
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh" || exit 1

if [ "${1:-}" = --as-cli ]; then
  mode=$2 real=$3; shift 3
  out=${*: -1} in=${*: -3:1}             # preservation.sh passes ... IN -o OUT
  [ "$mode" = copy ] && exec cp "$in" "$out"
  "$real" "$@" || exit
  cmp -s "$in" "$out" && exit 0          # nothing rewritten: leave it alone
  case $mode in
    result) "${WASM2WAT:-wasm2wat}" "$out" -o "$out.wat" &&
            sed -i '0,/i32.const 5381$/s//i32.const 5382/' "$out.wat" &&
            "${WAT2WASM:-wat2wasm}" "$out.wat" -o "$out" ;;
    truncate) head -c -1 "$out" > "$out.cut" && mv "$out.cut" "$out" ;;
  esac
  exit
fi

CLI=${1:?usage: selfcheck.sh CLI WORKDIR}
WORK=${2:?usage: selfcheck.sh CLI WORKDIR}
rm -rf "$WORK" && mkdir -p "$WORK" || exit 1
check() {  # MODE EXPECTED-REASON
  local fake=$WORK/cli-$1
  printf '#!/usr/bin/env bash\nexec bash %q --as-cli %q %q "$@"\n' "$here/selfcheck.sh" "$1" "$CLI" > "$fake"
  chmod +x "$fake"
  bash "$here/preservation.sh" "$fake" "$WORK/$1" 2 1 > "$WORK/$1.log" 2>&1
  local rc=$? n
  n=$(grep -c -- "^FAIL [12]: $2" "$WORK/$1.log")
  if [ "$rc" -ne 0 ] && [ "$n" -eq 2 ] && grep -q '^0 passed, 2 failed$' "$WORK/$1.log"; then
    ok "$1: both seeds fail: $(grep -m1 '^FAIL' "$WORK/$1.log")"
  else
    fail "$1: expected both seeds to fail with '$2' (rc $rc):"; cat "$WORK/$1.log"
  fi
}
check copy "the output's trace differs from the input's: < \[LoggingExternalInterface logging 77700\]"
check result "the output's trace differs from the input's: < \[fuzz-exec\] note result: hashMemory => "
check truncate "wasm-validate rejects the output"
summary
