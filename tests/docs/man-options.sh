#!/usr/bin/env bash
# docs-man-options: man/wasm-taskwrap.1 lists every option of
# `wasm-taskwrap --help` (long and short forms) and no other, and in its
# --verify and --abi items exactly the values the help gives;
# man/wasm-taskwrap-ld.1 lists, under ENVIRONMENT, every TASKWRAP_* variable
# that src/ld.c names and no other; every option shown in the usage blocks
# and command lines of README.md and docs/usage.md is in --help; both pages
# render without a groff warning. Self-checks: a man page with an option, a
# --verify value (as a word, or as --verify=VALUE moved to another item), an
# --abi value or a variable deleted, a help text and a linker source with
# one more, a README and a docs/usage.md showing an invented option, and a
# page with an unknown macro must each be caught.
#   man-options.sh CLI REPO WORK        (PYTHON3 in the environment, if set)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
cli=$1 repo=$2 work=$3
py=${PYTHON3:-python3}
check="$repo/tests/docs/man_options.py"
man1="$repo/man/wasm-taskwrap.1" man_ld="$repo/man/wasm-taskwrap-ld.1" ld_c="$repo/src/ld.c"
rm -rf "$work" && mkdir -p "$work"

"$cli" --help > "$work/help.txt" || die "wasm-taskwrap --help failed"

# The real pages agree with the real programs.
if "$py" "$check" cli "$work/help.txt" "$man1" > "$work/cli.out"; then
  ok "wasm-taskwrap.1 lists exactly the options of --help"
else
  fail "wasm-taskwrap.1 and --help differ:"; cat "$work/cli.out"
fi
readme="$repo/README.md" usage="$repo/docs/usage.md"
if "$py" "$check" usage "$work/help.txt" "$readme" "$usage" > "$work/usage.out"; then
  ok "README.md and docs/usage.md show only options of --help"
else
  fail "README.md or docs/usage.md shows an option --help lacks:"; cat "$work/usage.out"
fi
if "$py" "$check" ld "$ld_c" "$man_ld" > "$work/ld.out"; then
  ok "wasm-taskwrap-ld.1 lists exactly the TASKWRAP_* variables of src/ld.c"
else
  fail "wasm-taskwrap-ld.1 and src/ld.c differ:"; cat "$work/ld.out"
fi

# caught MODE SOURCE MAN PATTERN WHAT: the comparison must fail and say PATTERN.
caught() {
  local out rc=0
  out=$("$py" "$check" "$1" "$2" "$3") || rc=$?
  if [ "$rc" -eq 1 ] && grep -qF -e "$4" <<< "$out"; then ok "self-check: $5 is caught"
  else fail "self-check: $5 is not caught (exit $rc): $out"; fi
}
# An option deleted from the man page: its .TP and its tag line.
awk '/^\.TP$/ { tp = $0; next } tp != "" && /^\.B \\-\\-fsync$/ { tp = ""; skip = 1; next }
     tp != "" { print tp; tp = "" } { print }' "$man1" > "$work/no-fsync.1"
cmp -s "$man1" "$work/no-fsync.1" && die "the self-check found no --fsync item to delete"
caught cli "$work/help.txt" "$work/no-fsync.1" "option --fsync is in --help" "a man page without --fsync"
# One more option in the help text.
sed 's/^      --fsync .*/&\n      --frobnicate       do nothing/' "$work/help.txt" > "$work/help-extra.txt"
caught cli "$work/help-extra.txt" "$man1" "option --frobnicate is in --help" "a help text with --frobnicate"
# A --verify value missing from the man page's --verify item: as
# --verify=VALUE (deleted, or moved into the --check item), and as a word.
grep -v '^\.BR \\-\\-verify=fast ,$' "$man1" > "$work/no-fast.1"
cmp -s "$man1" "$work/no-fast.1" && die "the self-check found no --verify=fast line to delete"
caught cli "$work/help.txt" "$work/no-fast.1" "--verify=VALUE fast" "a man page without --verify=fast"
awk '/^\.SH / { sec = $2 } /^\.BR \\-\\-verify=fast ,$/ { next } { print }
     sec == "OPTIONS" && /^\.B \\-\\-check$/ { print "Not \\-\\-verify=fast." }' "$man1" > "$work/moved-fast.1"
grep -q '^Not .*verify=fast' "$work/moved-fast.1" || die "the self-check found no --check item"
caught cli "$work/help.txt" "$work/moved-fast.1" "--verify=VALUE fast" "--verify=fast only in the --check item"
sed 's/^\.BR none :$/.BR nothing :/' "$man1" > "$work/no-none.1"
cmp -s "$man1" "$work/no-none.1" && die "the self-check found no '.BR none :' line"
caught cli "$work/help.txt" "$work/no-none.1" "--verify value none" "a --verify item without the word none"
# An --abi value missing from the man page's --abi item.
grep -v '^\.B task-hook$' "$man1" > "$work/no-task-hook.1"
cmp -s "$man1" "$work/no-task-hook.1" && die "the self-check found no '.B task-hook' line"
caught cli "$work/help.txt" "$work/no-task-hook.1" "--abi value task-hook" "an --abi item without task-hook"
# An invented option in README.md's usage block, and on a command line of
# docs/usage.md.
sed 's/^      --dry-run .*/&\n      --frobnicate       do nothing/' "$readme" > "$work/README-extra.md"
cmp -s "$readme" "$work/README-extra.md" && die "the self-check found no --dry-run line in README.md"
caught usage "$work/help.txt" "$work/README-extra.md" "option --frobnicate is shown here" "README.md showing --frobnicate"
{ cat "$usage"; printf '\n```sh\nwasm-taskwrap --verify-all app.wasm -o out.wasm   # --ignored\n```\n'; } > "$work/usage-extra.md"
caught usage "$work/help.txt" "$work/usage-extra.md" "option --verify-all is shown here" "docs/usage.md showing --verify-all"
# A variable deleted from the ld page, and one more read by the linker wrapper.
grep -v '^\.B TASKWRAP_FLAGS$' "$man_ld" > "$work/no-flags.1"
caught ld "$ld_c" "$work/no-flags.1" "variable TASKWRAP_FLAGS" "an ld page without TASKWRAP_FLAGS"
{ cat "$ld_c"; echo 'static const char *extra(void) { return getenv("TASKWRAP_EXTRA"); }'; } > "$work/ld-extra.c"
caught ld "$work/ld-extra.c" "$man_ld" "variable TASKWRAP_EXTRA" "a linker wrapper reading TASKWRAP_EXTRA"

# Rendering: groff with every warning, where groff is installed.
if command -v groff > /dev/null; then
  for page in "$man1" "$man_ld"; do
    warnings=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
    [ -z "$warnings" ] && ok "$(basename "$page") renders without warnings" ||
      fail "$(basename "$page"): $warnings"
  done
  { cat "$man1"; echo '.FROB x'; } > "$work/bad-macro.1"
  warnings=$(groff -man -Tutf8 -ww -z "$work/bad-macro.1" 2>&1)
  [ -n "$warnings" ] && ok "self-check: an unknown macro is caught" ||
    fail "self-check: groff let an unknown macro pass"
else
  skip "groff not installed: the pages' rendering is not checked"
fi
summary
