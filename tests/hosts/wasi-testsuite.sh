#!/bin/bash
# hosts-wasi-testsuite-rewrite: rewrite every C, AssemblyScript and Rust
# program of wasi-testsuite twice:
#   NAME.wasm       --stub-wasi alone: validated, and every one must
#                   instantiate with an empty import object (no imports left);
#   NAME.run.wasm   --stub-wasi with the program's run configuration baked
#                   in (suite-flags.mjs: argv[0] and args, env, root as the
#                   preopen "/"), plus --stub-wasi-output=host:write when its
#                   JSON checks stdout; validated, and accepted by --check
#                   (which must refuse a rewrite with a changed argument).
# and the sabotaged rewrites: a changed argument, a changed variable, no
# argv[0], a tree with one byte changed, one entry missing or one entry
# added, and an expectation with another exit code. For suite-hosts.sh
# (hosts-wasi-testsuite in Node.js, -wasmtime, -wazero) it leaves
#   WORK/in.list        NAME<TAB>WASM<TAB>JSON, the in-scope programs of
#                       wasi-testsuite-scope.txt (which must all pass)
#   WORK/out.list       the same for the excluded ones (run for the log)
#   WORK/sabotage.list  WHAT<TAB>WASM<TAB>JSON<TAB>the runner's message
#                       (each must fail with it: the exit code, or a trap
#                       without proc_exit for a failed C assert)
#   wasi-testsuite.sh CLI NODE WASM-VALIDATE SHARED SRC WORK
set -u
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
cli=$1 node=$2 validate=$3 shared=$4 src=$5 work=$6
rm -rf "$work" && mkdir -p "$work/sabotage" || exit 1
suite=$shared/wasi-testsuite/tests
# The Rust programs' root, rust/testsuite/wasm32-wasip1/fs-tests.dir, is not
# in the shared copy of the suite (upstream it holds one empty file, .keep):
# the same tree made here stands in for it.
mkdir -p "$work/roots/fs-tests.dir" && : >"$work/roots/fs-tests.dir/.keep" || exit 1

declare -A scope
while read -r prog sc _; do
  case $prog in '' | '#'*) continue ;; esac
  scope[$prog]=$sc
done <"$src/wasi-testsuite-scope.txt"

# flags_of WASM JSON: the options for JSON's run configuration ('-': none)
# in the array flags, with the output import when the JSON checks stdout.
flags_of() {
  mapfile -d '' flags < <("$node" "$src/suite-flags.mjs" "$1" "$2" "$work/roots") &&
    [ ${#flags[@]} -ge 2 ] || { echo "suite-flags.mjs failed on $2"; return 1; }
  if [ "$2" != - ] && grep -q '"stdout"' "$2"; then flags+=(--stub-wasi-output=host:write); fi
}

# rewrite WASM JSON-FOR-FLAGS OUT: the --stub-wasi rewrite with the run
# configuration of JSON-FOR-FLAGS baked in; validated, and accepted by
# --check with the same options.
rewrite() {
  local w=$1 j=$2 o=$3 flags=()
  flags_of "$w" "$j" &&
    "$cli" --stub-wasi "${flags[@]}" "$w" -o "$o" && "$validate" "$o" &&
    "$cli" --check --stub-wasi "${flags[@]}" "$w" "$o"
}

n_in=0 n_out=0 n_run=0
plain=()
: >"$work/in.list"
: >"$work/out.list"
declare -A seen
for lang in c assemblyscript rust; do
  for w in "$suite/$lang/testsuite/wasm32-wasip1/"*.wasm; do
    prog=$lang/$(basename "$w" .wasm)
    seen[$prog]=1
    j=${w%.wasm}.json
    [ -f "$j" ] || j=-
    o=$work/${prog//\//-}
    if ! "$cli" --stub-wasi "$w" -o "$o.wasm" || ! "$validate" "$o.wasm"; then
      fail "$prog: --stub-wasi output missing or invalid"; continue
    fi
    plain+=("$o.wasm")
    if ! rewrite "$w" "$j" "$o.run.wasm"; then
      fail "$prog: the rewrite with its run configuration is missing or invalid"; continue
    fi
    n_run=$((n_run + 1))
    case ${scope[$prog]:-} in
      in) n_in=$((n_in + 1))
          printf '%s\t%s\t%s\n' "$prog" "$o.run.wasm" "$j" >>"$work/in.list" ;;
      out) n_out=$((n_out + 1))
           printf '%s\t%s\t%s\n' "$prog" "$o.run.wasm" "$j" >>"$work/out.list" ;;
      *) fail "$prog: not classified in wasi-testsuite-scope.txt" ;;
    esac
  done
done
for prog in "${!scope[@]}"; do
  [ -n "${seen[$prog]:-}" ] || fail "$prog: listed but not in $suite"
done
n=${#scope[@]}
[ ${#plain[@]} = "$n" ] && [ $n_run = "$n" ] && ok "rewritten and valid: $n programs, each twice; in scope $n_in, excluded $n_out" ||
  fail "rewritten and valid: ${#plain[@]} programs alone and $n_run with their configuration, not $n and $n"

# Without the new options nothing changes: no imports left, every output
# instantiates with {} (none has a start function, so this runs no code).
output_has -F "instantiated with {}: ${#plain[@]}" "$node" -e 'const fs = require("fs");
  for (const f of process.argv.slice(1))
    new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(f)), {});
  console.log(`instantiated with {}: ${process.argv.length - 1}`);' "${plain[@]}" &&
  ok "the plain --stub-wasi rewrites instantiate with {}" || fail "a plain --stub-wasi rewrite does not instantiate with {}"

# --- sabotages. Each rewrites a program with a configuration that differs
# from its JSON by one thing (a JSON written next to the changed tree, since
# root is relative to the JSON), or checks it against another expectation.
sab=$work/sabotage
: >"$work/sabotage.list"
# sabotage WHAT PROG JSON-FOR-FLAGS EXPECTATION-JSON FAILURE
sabotage() {
  local what=$1 prog=$2 jf=$3 je=$4 why=$5 w
  w=$suite/${prog%%/*}/testsuite/wasm32-wasip1/${prog#*/}.wasm
  if rewrite "$w" "$jf" "$sab/$what.wasm"; then
    printf '%s\t%s\t%s\t%s\n' "$what" "$sab/$what.wasm" "$je" "$why" >>"$work/sabotage.list"
  else
    fail "sabotage $what: the rewrite failed"
  fi
}
as=$suite/assemblyscript/testsuite/wasm32-wasip1 c=$suite/c/testsuite/wasm32-wasip1
# edit_json FROM TO JS: TO is FROM's JSON after the statement JS on it (j).
edit_json() {
  "$node" -e 'const fs = require("fs"), [from, to, edit] = process.argv.slice(1);
    const j = JSON.parse(fs.readFileSync(from, "utf8"));
    new Function("j", edit)(j);
    fs.writeFileSync(to, JSON.stringify(j));' "$@"
}
edit_json "$as/args_get-multiple-arguments.json" "$sab/arg.json" 'j.args[2] = "4"'
edit_json "$as/environ_get-multiple-variables.json" "$sab/env.json" 'j.env.a = "texT"'
# AssemblyScript's abort (a failed assert) is proc_exit(255); wasi-libc's
# traps.
as_abort='exit code 255, expected 0' c_abort='trap without proc_exit'
sabotage arg assemblyscript/args_get-multiple-arguments "$sab/arg.json" \
  "$as/args_get-multiple-arguments.json" "$as_abort"
sabotage env assemblyscript/environ_get-multiple-variables "$sab/env.json" \
  "$as/environ_get-multiple-variables.json" "$as_abort"
# No argv[0]: the program rewritten without the new options (argc 0).
if "$cli" --stub-wasi "$as/args_sizes_get-no-arguments.wasm" -o "$sab/no-argv0.wasm"; then
  printf '%s\t%s\t%s\t%s\n' no-argv0 "$sab/no-argv0.wasm" - "$as_abort" >>"$work/sabotage.list"
fi
for t in byte missing extra nofile; do
  cp -r "$c/fs-tests.dir" "$sab/tree-$t" && chmod -R u+w "$sab/tree-$t"
  printf '{ "root": "tree-%s" }\n' "$t" >"$sab/tree-$t.json"
done
printf 'd+t' | dd of="$sab/tree-byte/pread.txt" bs=1 seek=4 conv=notrunc status=none # "d-t" at 4
cmp -s "$c/fs-tests.dir/pread.txt" "$sab/tree-byte/pread.txt" && fail "the byte of pread.txt did not change"
rm "$sab/tree-missing/fopendir.dir/file-1"
: >"$sab/tree-extra/fopendir.dir/file-2"
rm "$sab/tree-nofile/file"
sabotage byte c/pread-with-access "$sab/tree-byte.json" "$c/pread-with-access.json" "$c_abort"
sabotage missing c/fdopendir-with-access "$sab/tree-missing.json" "$c/fdopendir-with-access.json" "$c_abort"
sabotage extra c/fdopendir-with-access "$sab/tree-extra.json" "$c/fdopendir-with-access.json" "$c_abort"
sabotage nofile c/fopen-with-access "$sab/tree-nofile.json" "$c/fopen-with-access.json" "$c_abort"
# The right module against another exit code.
echo '{ "exit_code": 34 }' >"$sab/exit-34.json"
printf '%s\t%s\t%s\t%s\n' exit-34 "$work/assemblyscript-proc_exit-failure.run.wasm" "$sab/exit-34.json" \
  'exit code 33, expected 34' >>"$work/sabotage.list"

# --check compares the embedded configuration too: the rewrite with one
# argument changed is refused against the JSON's options.
flags=()
flags_of "$as/args_get-multiple-arguments.wasm" "$as/args_get-multiple-arguments.json" &&
  ! "$cli" --check --stub-wasi "${flags[@]}" "$as/args_get-multiple-arguments.wasm" "$sab/arg.wasm" 2>"$sab/check.err" &&
  grep -q 'error: ' "$sab/check.err" && ok "--check refuses the rewrite with a changed argument: $(head -n 1 "$sab/check.err")" ||
  fail "--check accepts the rewrite with a changed argument"

[ "$(wc -l <"$work/sabotage.list")" = 8 ] && ok "8 sabotages" || fail "$(wc -l <"$work/sabotage.list") sabotages, not 8"
summary
