# Shared by the scale scripts (run.sh, world-wasi.sh); sourced, not run.

# median_ms RUNS CMD...: run CMD RUNS times (its output discarded: warnings
# too), print the median wall time in ms (to the µs); fails if CMD fails.
median_ms() {
  local runs=$1 t=() s e
  shift
  for _ in $(seq "$runs"); do
    s=$(date +%s%N)
    "$@" > /dev/null 2>&1 || { echo "median_ms: $* failed" >&2; return 1; }
    e=$(date +%s%N)
    t+=($(( (e - s) / 1000 )))
  done
  printf '%s\n' "${t[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p" | awk '{printf "%.2f", $1 / 1000}'
}

# median_times RUNS CMD...: the same, printing "WALL CPU": the medians of the
# wall time and of the CPU time (user + system, of CMD and its children) in
# ms, to the ms. On a machine others use too, CPU time is the steadier.
median_times() {
  local runs=$1 walls=() cpus=() t
  shift
  for _ in $(seq "$runs"); do
    t=$( { TIMEFORMAT='%3R %3U %3S'; time "$@" > /dev/null 2>&1; } 2>&1 ) ||
      { echo "median_times: $* failed" >&2; return 1; }
    read -r wall user sys <<< "$t"
    walls+=("$wall") cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')")
  done
  local mid=$(( (runs + 1) / 2 ))
  echo "$(printf '%s\n' "${walls[@]}" | sort -g | sed -n "${mid}p" | awk '{printf "%.0f", $1 * 1000}')" \
    "$(printf '%s\n' "${cpus[@]}" | sort -g | sed -n "${mid}p" | awk '{printf "%.0f", $1 * 1000}')"
}

# machine_line: CPUs, model and memory, for the header of a table.
machine_line() {
  echo "$(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)," \
    "$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)"
}

# load_line: the load average (1, 5, 15 min).
load_line() { cut -d ' ' -f 1-3 /proc/loadavg; }
