#!/usr/bin/env bash
# tools-two-commands: the README's two commands, in the README's order, on
# a clean clone: `bash tools/example.sh` shows every wrapper whole, and then
# `bash tools/test.sh` finds tests in build/ (which the example configured
# first, without tests) as well as in build-asan/. The second command is run
# as `--list`: configuring and listing is what the example could spoil, and
# the full suite is what runs this test.
#   two-commands.sh REPO SHARED WORK
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
repo=$1 shared=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
if ! git -C "$repo" rev-parse --git-dir > /dev/null 2>&1; then
  skip "not a git checkout: no clean clone to make"
  summary
  exit 0
fi
git clone -q "$repo" "$work/main"
ln -s "$shared" "$work/shared" # beside the clone, where CI has it
cd "$work/main"

bash tools/example.sh > example.txt 2>&1 || die "tools/example.sh failed: $(tail -5 example.txt)"
wrappers=$(grep -c '^  (func \$taskwrap:' example.txt || true)
[ "$wrappers" = 8 ] && ok "the example shows its 8 wrappers" || fail "the example shows $wrappers wrappers, want 8"
# Whole: the async-callback wrapper's last instructions are shown, and every
# wrapper ends with the closing parenthesis of its func.
awk '/\(func \$taskwrap:_async-lift_fetch/ { p = 1 } p && /^  \(func/ && !/_async-lift_fetch/ { exit } p' \
  example.txt > async.txt
grep -q 'select' async.txt && grep -q 'local.get 1)$' async.txt &&
  ok "the async wrapper is shown whole" || fail "the async wrapper is cut: $(cat async.txt)"

bash tools/test.sh --list > list.txt 2>&1 || die "tools/test.sh --list failed: $(tail -5 list.txt)"
for dir in build build-asan; do
  n=$(sed -n "/^== $dir /{n;p}" list.txt | sed -n 's/^Total Tests: //p')
  if [ -n "$n" ] && [ "$n" -gt 50 ]; then ok "$dir/ has $n tests after the example"
  else fail "$dir/ lists ${n:-no} tests: $(cat list.txt)"; fi
done
summary
