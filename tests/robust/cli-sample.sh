#!/usr/bin/env bash
# The CLI refuses malformed modules cleanly:
#   cli-sample.sh CLI WORK MALFORMED.LIST INVALID.LIST KNOWN...
# For every module of MALFORMED.LIST (and every 10th of INVALID.LIST):
#   wasm-taskwrap M -o out.wasm   exits 1, prints one line
#   "wasm-taskwrap: M:0xOFFSET: error: ..." and leaves neither out.wasm nor
#   a temporary .tw* file behind. A malformed module it accepts (exit 0: the reader
#   copies the malformed part as bytes) must then be refused the same way
#   with --verify full. Invalid modules are only ever refused by
#   --verify full, so they are run with it. Modules that a KNOWN file
#   (reject.c --known) lists for their mode are skipped.
# Shell builtins only inside the loop: a process per check would dominate.
set -uo pipefail
shopt -s nullglob
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh" || exit 1
cli=$(realpath "$1") work=$2 malformed=$(realpath "$3") invalid=$(realpath "$4") || exit 1
shift 4
known_files=()
for f in "$@"; do known_files+=("$(realpath "$f")") || exit 1; done
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1

declare -A listed
for known in "${known_files[@]}"; do
  while IFS=$'\t' read -r mode key _; do
    case "$mode" in malformed | invalid) listed["$mode $key"]=1 ;; esac
  done <"$known"
done

fast=0 full=0
re='^wasm-taskwrap: .*:0x[0-9a-f]+: error: '

# refused NAME MODULE [OPTIONS...]: runs the CLI and checks for a clean
# refusal. Returns 0 if so, 2 if it exited 0, 1 on any other failure.
refused() {
  local name=$1 m=$2 st err left
  shift 2
  left=(out.wasm*)
  [ ${#left[@]} = 0 ] || rm -f "${left[@]}"
  "$cli" "$m" -o out.wasm "$@" >stdout.txt 2>stderr.txt
  st=$?
  if [ "$st" = 0 ]; then
    rm -f out.wasm
    return 2
  fi
  err=$(<stderr.txt)
  left=(out.wasm .tw*)
  [ -e out.wasm ] || left=("${left[@]:1}")
  local what="$name ${*:-(default)}"
  if [[ "$err" == *Sanitizer* || "$err" == *"runtime error:"* ]]; then
    fail "$what: sanitizer report:"
    echo "$err"
  elif [ "$st" != 1 ]; then
    fail "$what: exit $st, want 1: $err"
  elif [[ "$err" == *$'\n'* ]]; then
    fail "$what: more than one line on stderr: $err"
  elif [[ "$err" != "wasm-taskwrap: $m:0x"* || ! "$err" =~ $re ]]; then
    fail "$what: stderr is not 'wasm-taskwrap: $m:0xOFFSET: error: ...': $err"
  elif [ ${#left[@]} != 0 ]; then
    fail "$what: left behind: ${left[*]}"
  else
    return 0
  fi
  return 1
}

# run_list LIST MODE STEP: checks every STEP-th module of a reject.c list.
run_list() {
  local list=$1 mode=$2 step=$3 src="" i=0 path wline text name r
  while IFS=$'\t' read -r path wline text; do
    case "$path" in
    "# source: "*) src=${path#"# source: "}; continue ;;
    "" | "#"*) continue ;;
    esac
    i=$((i + 1))
    [ $(((i - 1) % step)) = 0 ] || continue
    name="$src:$wline (${path##*/})"
    if [ -n "${listed["$mode $src:$wline"]:-}" ]; then
      skip
      continue
    fi
    if [ "$mode" = malformed ]; then
      refused "$name" "$path"
      r=$?
      if [ "$r" = 0 ]; then ok; fast=$((fast + 1)); continue; fi
      [ "$r" = 1 ] && continue
    fi
    refused "$name" "$path" --verify full
    r=$?
    if [ "$r" = 0 ]; then
      ok; full=$((full + 1))
    elif [ "$r" = 2 ]; then
      fail "$name: accepted by --verify full (expected \"$text\")"
    fi
  done <"$list"
}

run_list "$malformed" malformed 1
run_list "$invalid" invalid 10

echo "refused by default (--verify fast): $fast; refused only by --verify full: $full; skipped (known): $TW_SKIPPED"
[ $((TW_PASSED + TW_FAILED)) != 0 ] || fail "no module checked"
summary
