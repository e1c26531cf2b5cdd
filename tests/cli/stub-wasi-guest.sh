#!/usr/bin/env bash
# cli-stub-wasi-guest: the file stubs (docs/usage.md, "What the file stubs
# do") called directly by a hand-written guest (stub-wasi-guest.wat), with
# the guest's memory compared before and after each call
# (stub-wasi-guest.mjs): fd_read and fd_pread serve only the first
# non-empty iovec, an address range past 2^32 traps instead of wrapping to
# address 0, and path_open, fd_pread, fd_advise, path_readlink,
# fd_renumber and the calls that would change a file (fd_sync,
# fd_fdstat_set_flags, fd_filestat_set_times, fd_allocate, ...) answer
# wasmtime's errno on each kind of descriptor.
#   stub-wasi-guest.sh CLI WORK   env: NODE WAT2WASM
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cli=$(realpath "$1") work=$2
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
mkdir -p tree/sub && printf 'hello world\n' > tree/a.txt && printf 'zz' > tree/sub/z.txt &&
  printf 'u' > "tree/$(printf '\303\251\342\202\254\360\237\230\200')" &&
  printf 'AAAA\000\004\000\000PWNED!!!' > tree/bin || die "tree"
"$WAT2WASM" "$here/stub-wasi-guest.wat" -o small.wasm || die "wat2wasm"
sed 's/(memory (export "memory") 1)/(memory (export "memory") 65536)/' "$here/stub-wasi-guest.wat" > big.wat &&
  "$WAT2WASM" big.wat -o big.wasm || die "wat2wasm (4 GiB)"
for m in small big; do
  "$cli" --stub-wasi --stub-wasi-dir /d=tree $m.wasm -o $m.out.wasm 2> err.txt ||
    die "rewrite $m: $(cat err.txt)"
done
if "$NODE" "$here/stub-wasi-guest.mjs" small.out.wasm big.out.wasm > run.txt 2>&1; then
  ok "every case: $(grep -c '^ok' run.txt) checks"
else
  cat run.txt
  fail "a stub wrote outside its buffers or answered another errno"
fi
summary
