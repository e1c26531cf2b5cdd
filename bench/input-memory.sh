#!/usr/bin/env bash
# Peak memory and wall time of the default rewrite against `cp`, with the
# input in three page-cache states:
#   cp       the input written by `cp` (as a build copies a module)
#   write    written by a single write() of the whole file (as a linker that
#            writes its output at once; the page cache then holds it in
#            large folios, which a mapping of the file maps whole)
#   evicted  written once, then dropped from the page cache before every run
#            (posix_fadvise POSIX_FADV_DONTNEED): read from the disk
# Each round runs `cp IN OUT-cp` and `wasm-taskwrap IN -o OUT-tw` in turn on
# every state, each onto an existing output, with bench/timeit.c (a sync
# first, untimed; wall time and ru_maxrss of the finished process). Prints a
# Markdown table of medians: peak RSS (and × the input's size), wall time,
# and the median of the per-round ratios to `cp`.
#
#   bash bench/input-memory.sh [-n ROUNDS] [TW [MODULE]]
# TW: the binary to measure (default bench/build/release/wasm-taskwrap, made
# by bench/run.sh); MODULE: default the hooked ruby.debug+stdlib.wasm that
# `bash bench/run.sh --only-ruby` leaves in bench/build/work. ROUNDS: 9.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=${TW_BENCH_BUILD:-$here/build}
rounds=9
if [ "${1:-}" = -n ]; then rounds=$2; shift 2; fi
tw=$(realpath "${1:-$build/release/wasm-taskwrap}")
module=$(realpath "${2:-$build/work/ruby.debug+stdlib.wasm}")
[ -x "$tw" ] || { echo "input-memory: no binary $tw (run bench/run.sh first)" >&2; exit 2; }
[ -f "$module" ] || { echo "input-memory: no module $module (bash bench/run.sh --only-ruby)" >&2; exit 2; }
work=$build/input-memory
mkdir -p "$work"
cc -O2 -o "$work/timeit" "$here/timeit.c"

# The three inputs, and an existing output for each command.
cp "$module" "$work/in-cp.wasm"
python3 - "$module" "$work" <<'PY'
import os, sys
data = open(sys.argv[1], 'rb').read()
for name in ('in-write.wasm', 'in-evicted.wasm'):
    fd = os.open(os.path.join(sys.argv[2], name), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    assert os.write(fd, data) == len(data)  # one write() of the whole file
    os.fsync(fd)
    os.close(fd)
PY
evict() {
  python3 -c 'import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY); os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED); os.close(fd)' "$1"
}
states=(cp write evicted)
for s in "${states[@]}"; do
  cp "$module" "$work/out-cp-$s.wasm"
  cp "$module" "$work/out-tw-$s.wasm"
done

raw=$work/raw.tsv
: > "$raw"
for round in $(seq "$rounds"); do
  for s in "${states[@]}"; do
    in=$work/in-$s.wasm
    [ "$s" = evicted ] && evict "$in"
    read -r wall rss code < <("$work/timeit" -s -e "$work/out-cp-$s.wasm" - cp "$in" "$work/out-cp-$s.wasm")
    printf '%s\t%s\tcp\t%s\t%s\t%s\n' "$round" "$s" "$wall" "$rss" "$code" >> "$raw"
    [ "$s" = evicted ] && evict "$in"
    read -r wall rss code < <("$work/timeit" -s -e "$work/out-tw-$s.wasm" - "$tw" "$in" -o "$work/out-tw-$s.wasm")
    printf '%s\t%s\ttw\t%s\t%s\t%s\n' "$round" "$s" "$wall" "$rss" "$code" >> "$raw"
  done
done
cmp -s "$work/out-tw-cp.wasm" "$work/out-tw-evicted.wasm" || { echo "input-memory: outputs differ" >&2; exit 1; }

python3 - "$raw" "$(stat -c %s "$module")" "$rounds" "$tw" <<'PY'
import statistics, sys
raw, size, rounds, tw = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
runs = {}
for line in open(raw):
    r, s, tool, wall, rss, code = line.split('\t')
    if int(code) != 0:
        sys.exit(f"input-memory: {tool} failed (exit {code.strip()}) in round {r}, state {s}")
    runs.setdefault((s, tool), {})[r] = (float(wall), int(rss))
mb = size / 1e6
print(f"{tw} on a {mb:.1f} MB module, median of {rounds} rounds\n")
print("| input written by | peak RSS, MB (× input) | wall, ms | `cp`, ms | wall × `cp` |")
print("| --- | ---: | ---: | ---: | ---: |")
for s, label in (('cp', '`cp`'), ('write', 'one `write()`'), ('evicted', 'evicted from the page cache')):
    tw_runs, cp_runs = runs[(s, 'tw')], runs[(s, 'cp')]
    rss = statistics.median(v[1] for v in tw_runs.values()) / 1024 * 1.048576
    wall = statistics.median(v[0] for v in tw_runs.values()) * 1e3
    cpw = statistics.median(v[0] for v in cp_runs.values()) * 1e3
    ratio = statistics.median(tw_runs[r][0] / cp_runs[r][0] for r in tw_runs)
    print(f"| {label} | {rss:.1f} ({rss / mb:.2f}×) | {wall:.1f} | {cpw:.1f} | {ratio:.2f}× |")
PY
