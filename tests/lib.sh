# Shared by the test scripts (bash); source it before any cd:
#   . "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# It sets no shell options: each script keeps its own set -e/-u/pipefail.
#
# Counters and the closing summary:
#   ok [MESSAGE]      one check passed ("ok   MESSAGE"; silent without one)
#   fail MESSAGE      one check failed ("FAIL MESSAGE"); the script goes on
#   skip [MESSAGE]    one check not run ("skipped MESSAGE"; silent without one)
#   die MESSAGE       "FAIL MESSAGE" and exit 1 at once
#   summary           prints "N passed, N failed" (", N skipped" added when
#                     something was skipped) alone on a line, and returns
#                     non-zero if anything failed: end a script with it.
# The counters are TW_PASSED, TW_FAILED and TW_SKIPPED.
#
# Searching a command's output (never "CMD | grep -q": under pipefail, grep
# leaving at the first match can kill CMD with SIGPIPE, and the pipeline
# then fails, or passes under "!", by timing alone):
#   output_has [-F] PATTERN CMD [ARGS...]
#       0 when CMD succeeds and a line of its whole output matches, 1 when
#       none does, 2 when CMD fails
#   output_lacks [-F] PATTERN CMD [ARGS...]
#       0 when CMD succeeds and no line matches, 1 when one does, 2 when CMD
#       fails (a failed CMD never counts as "lacks")
#
# Golden files:
#   blessing                 true when BLESS=1 (rewrite the expected files)
#   check_golden ACTUAL EXPECTED
#       with BLESS=1: copies ACTUAL to EXPECTED; otherwise diffs them (diff -u
#       shows the change): a match counts as ok, a difference or a missing
#       EXPECTED as fail, and then check_golden returns 1.

TW_PASSED=0 TW_FAILED=0 TW_SKIPPED=0

ok() {
  TW_PASSED=$((TW_PASSED + 1))
  [ $# -eq 0 ] || echo "ok   $*"
}

fail() {
  TW_FAILED=$((TW_FAILED + 1))
  echo "FAIL $*"
}

skip() {
  TW_SKIPPED=$((TW_SKIPPED + 1))
  [ $# -eq 0 ] || echo "skipped $*"
}

die() {
  fail "$@"
  exit 1
}

summary() {
  if [ "$TW_SKIPPED" -eq 0 ]; then
    echo "$TW_PASSED passed, $TW_FAILED failed"
  else
    echo "$TW_PASSED passed, $TW_FAILED failed, $TW_SKIPPED skipped"
  fi
  [ "$TW_FAILED" -eq 0 ]
}

output_has() {
  local opt=() out
  [ "$1" != -F ] || { opt=(-F); shift; }
  local pat=$1; shift
  out=$("$@") || return 2
  grep -q "${opt[@]}" -e "$pat" <<< "$out"
}

output_lacks() {
  local rc=0
  output_has "$@" || rc=$?
  case $rc in
    0) return 1 ;;
    1) return 0 ;;
    *) return "$rc" ;;
  esac
}

blessing() {
  [ "${BLESS:-0}" = 1 ]
}

check_golden() { # ACTUAL EXPECTED
  local actual=$1 expected=$2
  if blessing; then
    cp "$actual" "$expected" || die "cannot write $expected"
    echo "blessed $expected"
  elif [ ! -f "$expected" ]; then
    fail "missing expected file $expected (run with BLESS=1 and review)"
    return 1
  elif ! diff -u "$expected" "$actual"; then
    fail "$expected differs (if the change is intended: run with BLESS=1 and review)"
    return 1
  else
    ok
  fi
}
