#!/usr/bin/env bash
# path.sh KIND CLI LD WORK: the commands were built with the platform layer
# KIND (src/platform.h):
#   linux  the fast paths are there: copy_file_range and prctl imported,
#          /proc/self/fd named (O_TMPFILE's linkat and the descriptor check)
#   posix  none of them: no copy_file_range, prctl, mremap or linkat import,
#          no /proc path at all
# Sabotage: a small program that has what KIND must not (or lacks what it
# must have) is checked too, and must fail.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
kind=$1 cli=$2 ld=$3 work=$4
nm=${NM:-nm} cc=${CC:-cc}
mkdir -p "$work" && cd "$work" || exit 1

fast_imports='^(copy_file_range|prctl|mremap|linkat)$'

# The undefined dynamic symbols of a binary, one name a line (no version).
imports() { "$nm" -D --undefined-only "$1" | awk '{print $NF}' | sed 's/@.*//'; }

# check KIND BINARY: 0 when BINARY was built with KIND's platform layer.
check() {
  local k=$1 bin=$2 syms
  syms=$(imports "$bin") || return 2
  if [ "$k" = posix ]; then
    ! grep -Eq "$fast_imports" <<< "$syms" && ! grep -aq '/proc/' "$bin"
  else
    grep -xq copy_file_range <<< "$syms" && grep -xq prctl <<< "$syms" &&
      grep -aq '/proc/self/fd' "$bin"
  fi
}

for bin in "$cli" "$ld"; do
  if check "$kind" "$bin"; then ok "$(basename "$bin"): the $kind platform layer"
  else fail "$(basename "$bin"): not the $kind platform layer: $(imports "$bin" | grep -E "$fast_imports" | tr '\n' ' ')"; fi
done

# The other kind of binary: Linux's fast paths for posix, none for linux.
cat > other.c <<'C'
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>
int main(int argc, char **argv) {
  (void)argv;
#ifdef WITH_FAST
  if (argc > 5) copy_file_range(0, NULL, 1, NULL, 1, 0), prctl(PR_SET_PDEATHSIG, 9);
  puts("/proc/self/fd");
#endif
  return argc > 9;
}
C
if [ "$kind" = posix ]; then flags=-DWITH_FAST; else flags=; fi
if "$cc" $flags -o other other.c 2> cc.txt; then
  if check "$kind" ./other; then fail "sabotage: a binary of the other kind passes the $kind check"
  else ok "sabotage: a binary of the other kind fails the $kind check"; fi
else
  fail "sabotage: cannot compile the other kind of binary: $(cat cc.txt)"
fi
summary
