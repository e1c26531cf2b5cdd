#!/usr/bin/env bash
# Interleaved comparison of builds of zero-copy-output.diff's variants, all
# with --verify=none (the writev prototype cannot run the fast check), plus
# cp and dd+fsync; median wall ms and peak RSS MB of RUNS runs, and a check
# that every variant writes the same bytes as the unchanged build.
#   compare.sh TIMEIT DIR FILE [RUNS]
# DIR holds one build per variant: DIR/b-NAME/wasm-taskwrap, NAME in
#   base (no macro), nofsync, direct (DIRECT_CODE+RESERVE), allfsync (+MMAP),
#   all (+NOFSYNC), writev (DIRECT_CODE+RESERVE+MMAP+WRITEV), writevnofsync
set -euo pipefail
timeit=$1 dir=$2 f=$3 n=${4:-7}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
vs="cp dd base nofsync direct allfsync all writev writevnofsync"
declare -A W R
for ((i = 0; i < n; i++)); do
  for v in $vs; do
    case $v in
      cp) cmd=(cp "$f" "$out/$v.wasm") ;;
      dd) cmd=(dd "if=$f" "of=$out/$v.wasm" bs=256M conv=fsync status=none) ;;
      *) cmd=("$dir/b-$v/wasm-taskwrap" --verify none "$f" -o "$out/$v.wasm") ;;
    esac
    read -r w r _ < <("$timeit" "$out/$v.wasm" "${cmd[@]}")
    W[$v]+="$w " R[$v]+="$r "
  done
done
med() { tr ' ' '\n' | grep . | sort -g | awk -v k="$1" '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]*k}'; }
for v in $vs; do
  echo "$v wall_ms=$(med 1000 <<<"${W[$v]}") rss_MB=$(med 0.001024 <<<"${R[$v]}")"
done
for v in nofsync direct allfsync all writev writevnofsync; do
  cmp -s "$out/base.wasm" "$out/$v.wasm" || echo "$v: output DIFFERS from base"
done
