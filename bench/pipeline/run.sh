#!/usr/bin/env bash
# The post-link pipeline, stage by stage (see bench/floor.md, "The pipeline").
#
#   bash bench/pipeline/run.sh [--rounds N] [--mb SIZE] [--ruby FILE] [--out FILE]
#
# 1. A clang-built reactor (reactor.c, world reactor.wit; clang 14 and
#    wasi-libc): the steps after compiling, each a whole process, as a build
#    runs them: wasm-ld with the arguments clang gives it (-###), `wasm-tools
#    component embed` of the world (what wasm-component-ld does with
#    --component-type), wasm-taskwrap, `wasm-tools component new`. Also
#    `component new` of the embedded module without wasm-taskwrap (then
#    wit-component puts the hook wrappers in its fixup module).
# 2. A generated module of SIZE MB (bench/gen.mjs, default 50, about the
#    size of the hooked ruby.debug+stdlib), with its world: cp and floor
#    (bench/floor.c) for reference, embed, wasm-taskwrap, component new of
#    the rewritten module, and component new without wasm-taskwrap.
# 3. The hooked ruby module (FILE; default bench/build/work/ruby.debug+stdlib.wasm
#    when `bash bench/run.sh --only-ruby` has made it): cp, floor and
#    wasm-taskwrap. `component new` is tried once and its refusal reported:
#    ruby.wasm imports its host functions under the names of a pre-component
#    binding generator, which no WIT world can name.
# Each round runs every command in turn (load from other work hits them
# alike), always onto an existing output; bench/timeit.c times each as a whole
# process after a sync (untimed), as bench/run.sh does. The tables give the
# median, min and max wall time, each stage's share of its pipeline and peak
# RSS; a stage that fails, or an output that is not what it must be (the
# rewrite must change the module, the components must validate and have the
# world's exports, cp and floor must copy), stops the run with exit 1.
#   --rounds  interleaved rounds (default 11)
#   --mb      size of the generated module in MB (default 50; 0 skips it)
#   --ruby    the hooked ruby module ("" skips it)
#   --out     the Markdown file (default bench/pipeline/results.md)
# Environment: TW_PIPE_BUILD (default bench/pipeline/build) holds the build
# and the work files; TW_PIPE_TW a wasm-taskwrap binary to measure instead of
# building one; TW_WASM_TOOLS, TW_CLANG, TW_WASM_LD the tools (default:
# .tools/bin first on PATH, then clang or clang-14, wasm-ld or wasm-ld-14).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${TW_PIPE_BUILD:-$here/build}
export PATH=$root/.tools/bin:$PATH

rounds=11 mb=50 ruby=$root/bench/build/work/ruby.debug+stdlib.wasm out=$here/results.md
while [ $# -gt 0 ]; do
  case $1 in
    --rounds|--mb|--ruby|--out)
      [ $# -ge 2 ] || { echo "run.sh: $1 needs a value" >&2; exit 2; }
      case $1 in --rounds) rounds=$2 ;; --mb) mb=$2 ;; --ruby) ruby=$2 ;; --out) out=$2 ;; esac
      shift ;;
    *) echo "run.sh: unknown option $1 (see the head of this file)" >&2; exit 2 ;;
  esac
  shift
done
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --rounds must be a positive number" >&2; exit 2; }
[[ $mb =~ ^[0-9]+$ ]] || { echo "run.sh: --mb must be a whole number of MB" >&2; exit 2; }
log() { echo "pipeline: $*" >&2; }
die() { log "$*"; exit 1; }
tool() { # VAR NAME...: the first that is found
  local v=$1; shift
  if [ -n "${!v:-}" ]; then command -v "${!v}" && return; die "$v=${!v}: not found"; fi
  for n in "$@"; do command -v "$n" && return; done
  die "none of $* found (tools/install-deps.sh --tests installs them)"
}
wasm_tools=$(tool TW_WASM_TOOLS wasm-tools)
clang=$(tool TW_CLANG clang clang-14)
wasm_ld=$(tool TW_WASM_LD wasm-ld wasm-ld-14)
mkdir -p "$build/work"
work=$build/work

if [ -n "${TW_PIPE_TW:-}" ]; then
  tw=$(command -v "$TW_PIPE_TW") || die "TW_PIPE_TW=$TW_PIPE_TW: not found"
else
  log "building wasm-taskwrap (Release) in $build/release"
  cmake -S "$root" -B "$build/release" -DCMAKE_BUILD_TYPE=Release -DTW_BUILD_TESTS=OFF >/dev/null
  cmake --build "$build/release" --target wasm-taskwrap -j"$(nproc)" >/dev/null
  tw=$build/release/wasm-taskwrap
fi
cc -O2 -o "$build/timeit" "$root/bench/timeit.c"
cc -O2 -o "$build/floor" "$root/bench/floor.c"

# ---- the commands ------------------------------------------------------------------
# Each stage: an id (its group, r, g or b, a dot and a name), what the
# table calls it, its output and its command (quoted with %q). Reference
# stages (cp, floor) and alternatives have ids that start with "~": they are
# left out of the pipeline's total.
declare -A cmd out_of names
order=()
stage() { # ID NAME OUTPUT COMMAND...
  local id=$1 name=$2 o=$3; shift 3
  order+=("$id")
  cmd[$id]=$(printf '%q ' "$@")
  out_of[$id]=$o
  names[$id]=$name
}

# 1. the reactor
"$clang" --target=wasm32-wasi -O2 -Wall -Wextra -Werror -c "$here/reactor.c" -o "$work/reactor.o"
driver=$("$clang" -### --target=wasm32-wasi -mexec-model=reactor "$work/reactor.o" \
         -o "$work/r.linked.wasm" 2>&1 | tail -n1)
eval "set -- $driver"
shift # clang's own wasm-ld: the one found above is run instead, with the same arguments
ld_args=("$@")
"$wasm_ld" "${ld_args[@]}" || die "wasm-ld failed"
"$wasm_tools" component embed "$here/reactor.wit" "$work/r.linked.wasm" -o "$work/r.emb.wasm"
"$tw" "$work/r.emb.wasm" -o "$work/r.tw.wasm"
"$wasm_tools" component new "$work/r.tw.wasm" -o "$work/r.comp.wasm"
"$wasm_tools" component new "$work/r.emb.wasm" -o "$work/r.wc.wasm"
stage r.ld "wasm-ld" "$work/r.linked.wasm" "$wasm_ld" "${ld_args[@]}"
stage r.embed "wasm-tools component embed" "$work/r.emb.wasm" \
  "$wasm_tools" component embed "$here/reactor.wit" "$work/r.linked.wasm" -o "$work/r.emb.wasm"
stage r.tw "wasm-taskwrap" "$work/r.tw.wasm" "$tw" "$work/r.emb.wasm" -o "$work/r.tw.wasm"
stage r.new "wasm-tools component new" "$work/r.comp.wasm" \
  "$wasm_tools" component new "$work/r.tw.wasm" -o "$work/r.comp.wasm"
stage '~r.wc' "component new without wasm-taskwrap" "$work/r.wc.wasm" \
  "$wasm_tools" component new "$work/r.emb.wasm" -o "$work/r.wc.wasm"

# 2. the generated module
if [ "$mb" -gt 0 ]; then
  g=$work/gen-${mb}MB
  [ -f "$g.wasm" ] || { log "generating $mb MB"; node "$root/bench/gen.mjs" "$mb" "$g.wasm" "$g.wit"; }
  "$wasm_tools" component embed "$g.wit" "$g.wasm" -o "$g.emb.wasm"
  for f in cp floor; do cp "$g.emb.wasm" "$g.$f.wasm"; done
  "$tw" "$g.emb.wasm" -o "$g.tw.wasm"
  "$wasm_tools" component new "$g.tw.wasm" -o "$g.comp.wasm"
  "$wasm_tools" component new "$g.emb.wasm" -o "$g.wc.wasm"
  stage '~g.cp' "cp (reference)" "$g.cp.wasm" cp "$g.emb.wasm" "$g.cp.wasm"
  stage '~g.floor' "floor (reference)" "$g.floor.wasm" "$build/floor" "$g.emb.wasm" "$g.floor.wasm"
  stage g.embed "wasm-tools component embed" "$g.emb.wasm" \
    "$wasm_tools" component embed "$g.wit" "$g.wasm" -o "$g.emb.wasm"
  stage g.tw "wasm-taskwrap" "$g.tw.wasm" "$tw" "$g.emb.wasm" -o "$g.tw.wasm"
  stage g.new "wasm-tools component new" "$g.comp.wasm" \
    "$wasm_tools" component new "$g.tw.wasm" -o "$g.comp.wasm"
  stage '~g.wc' "component new without wasm-taskwrap" "$g.wc.wasm" \
    "$wasm_tools" component new "$g.emb.wasm" -o "$g.wc.wasm"
fi

# 3. ruby
ruby_refusal=""
if [ -n "$ruby" ]; then
  if [ -f "$ruby" ]; then
    rb=$work/ruby
    cp "$ruby" "$rb.wasm"
    for f in cp floor; do cp "$rb.wasm" "$rb.$f.wasm"; done
    "$tw" "$rb.wasm" -o "$rb.tw.wasm"
    printf 'package bench:ruby;\nworld empty {}\n' > "$rb.wit"
    "$wasm_tools" component embed "$rb.wit" "$rb.wasm" -o "$rb.emb.wasm"
    if "$wasm_tools" component new "$rb.emb.wasm" -o "$rb.comp.wasm" 2> "$rb.new.err"; then
      ruby_refusal="(accepted)"
    else
      ruby_refusal=$(grep -m1 'requires an import interface\|failed to resolve import' "$rb.new.err" ||
                     head -n1 "$rb.new.err")
      ruby_refusal=$(sed -E 's/^[[:space:]]*([0-9]+: )?//' <<< "$ruby_refusal")
    fi
    stage '~b.cp' "cp (reference)" "$rb.cp.wasm" cp "$rb.wasm" "$rb.cp.wasm"
    stage '~b.floor' "floor (reference)" "$rb.floor.wasm" "$build/floor" "$rb.wasm" "$rb.floor.wasm"
    stage b.tw "wasm-taskwrap" "$rb.tw.wasm" "$tw" "$rb.wasm" -o "$rb.tw.wasm"
  else
    log "no $ruby (bash bench/run.sh --only-ruby makes it; --ruby \"\" skips it): ruby skipped"
  fi
fi

# ---- checks: each output is what its stage must make ---------------------------------
exports_of() { "$wasm_tools" component wit "$1" | grep -c '^ *export ' || true; }
valid() { local f; for f; do "$wasm_tools" validate "$f" || return 1; done; }
changed() { ! cmp -s "$1" "$2"; }
check_outputs() {
  valid "$work/r.comp.wasm" "$work/r.wc.wasm" || die "a reactor component is invalid"
  [ "$(exports_of "$work/r.comp.wasm")" = 3 ] || die "the reactor component lacks the world's 3 exports"
  changed "$work/r.emb.wasm" "$work/r.tw.wasm" || die "wasm-taskwrap left the reactor unchanged"
  if [ "$mb" -gt 0 ]; then
    valid "$g.comp.wasm" "$g.wc.wasm" || die "a generated component is invalid"
    [ "$(exports_of "$g.comp.wasm")" = 16 ] || die "the generated component lacks the world's 16 exports"
    changed "$g.emb.wasm" "$g.tw.wasm" || die "wasm-taskwrap left the generated module unchanged"
    cmp -s "$g.emb.wasm" "$g.cp.wasm" && cmp -s "$g.emb.wasm" "$g.floor.wasm" || die "cp or floor did not copy"
  fi
  if [ -n "${rb:-}" ]; then
    changed "$rb.wasm" "$rb.tw.wasm" || die "wasm-taskwrap left ruby unchanged"
    cmp -s "$rb.wasm" "$rb.cp.wasm" && cmp -s "$rb.wasm" "$rb.floor.wasm" || die "cp or floor did not copy"
  fi
}
check_outputs
# The checks can fail: a copy of the input passed off as the rewrite, and a
# truncated component, are caught.
cp "$work/r.emb.wasm" "$work/r.sabotage.wasm"
head -c 100 "$work/r.comp.wasm" > "$work/r.cut.wasm"
! changed "$work/r.emb.wasm" "$work/r.sabotage.wasm" ||
  die "self-check failed: a copy of the input passes for the rewrite"
! valid "$work/r.cut.wasm" 2> /dev/null || die "self-check failed: a truncated component validates"
log "self-check: a copy passed off as the rewrite and a truncated component are caught"

# ---- measurement -----------------------------------------------------------------------
raw=$work/raw.tsv
: > "$raw"
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
log "$rounds rounds of ${#order[@]} commands"
for ((i = 1; i <= rounds; i++)); do
  for id in "${order[@]}"; do
    eval "c=(${cmd[$id]})"
    read -r wall rss code < <("$build/timeit" -s -e "${out_of[$id]}" - "${c[@]}")
    [ "$code" = 0 ] || die "${names[$id]} exited $code: ${cmd[$id]}"
    printf '%s\t%s\t%s\t%s\n' "$id" "$i" "$wall" "$rss" >> "$raw"
  done
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
check_outputs

# ---- report ------------------------------------------------------------------------------
size() { stat -c %s "$1"; }
{
  echo "# The post-link pipeline"
  echo
  echo "$(date -u +%Y-%m-%d), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'),"
  echo "$(nproc) cores, Linux $(uname -r); load average $load_start at the start, $load_end at the end;"
  echo "$rounds interleaved rounds, whole processes onto existing outputs (bench/timeit.c, sync first)."
  echo "wasm-tools $("$wasm_tools" --version | cut -d' ' -f2), $("$clang" --version | head -n1),"
  echo "wasm-taskwrap $("$tw" --version | cut -d' ' -f2)."
  awk -F'\t' -v names="$(for id in "${order[@]}"; do printf '%s=%s;' "$id" "${names[$id]}"; done)" \
      -v sizes="r=$(size "$work/r.emb.wasm");g=$( [ "$mb" -gt 0 ] && size "$g.emb.wasm" || echo 0);b=$( [ -n "${rb:-}" ] && size "$rb.wasm" || echo 0)" \
      -v refusal="$ruby_refusal" '
    function median(s,   a, n, i, j, t) {
      n = split(s, a, " ")
      for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    function minof(s,   a, n, i, m) { n = split(s, a, " "); m = a[1]; for (i = 2; i <= n; i++) if (a[i] < m) m = a[i]; return m }
    function maxof(s,   a, n, i, m) { n = split(s, a, " "); m = a[1]; for (i = 2; i <= n; i++) if (a[i] > m) m = a[i]; return m }
    BEGIN {
      n = split(names, kv, ";")
      for (i = 1; i <= n; i++) if (kv[i] != "") { split(kv[i], p, "="); name[p[1]] = p[2]; ids[++nid] = p[1] }
      split(sizes, sv, ";"); for (i in sv) { split(sv[i], p, "="); bytes[p[1]] = p[2] }
      title["r"] = "The reactor (reactor.c)"
      title["g"] = "A generated module (bench/gen.mjs)"
      title["b"] = "The hooked ruby.debug+stdlib"
    }
    { t[$1] = t[$1] " " $3; at[$1, $2] = $3; if ($4 > rss[$1]) rss[$1] = $4; if ($2 > nr) nr = $2 }
    END {
      for (k = 1; k <= nid; k++) { id = ids[k]; med[id] = median(t[id]) }
      split("r g b", groups, " ")
      for (gi = 1; gi <= 3; gi++) {
        grp = groups[gi]; total = 0; have = 0; floor_id = ""
        for (k = 1; k <= nid; k++) {
          id = ids[k]; g2 = id; sub(/^~/, "", g2); sub(/\..*/, "", g2)
          if (g2 != grp) continue
          have = 1
          if (id !~ /^~/) total += med[id]
          if (id ~ /floor$/) floor_id = id
        }
        if (!have) continue
        if (bytes[grp] < 1e6) printf "\n## %s, %.0f KB\n\n", title[grp], bytes[grp] / 1e3
        else printf "\n## %s, %.1f MB\n\n", title[grp], bytes[grp] / 1e6
        print "| stage | median ms | min | max | share of the pipeline | × floor (per round) | peak RSS MB |"
        print "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
        for (k = 1; k <= nid; k++) {
          id = ids[k]; g2 = id; sub(/^~/, "", g2); sub(/\..*/, "", g2)
          if (g2 != grp) continue
          share = id ~ /^~/ || grp == "b" ? "" : sprintf("%.0f%%", 100 * med[id] / total)
          xf = ""
          if (floor_id != "") { # the median of the ratios of each round
            r = ""; for (i = 1; i <= nr; i++) r = r " " at[id, i] / at[floor_id, i]
            xf = sprintf("%.2f", median(r))
          }
          printf "| %s | %.1f | %.1f | %.1f | %s | %s | %.1f |\n", name[id], med[id] * 1e3,
                 minof(t[id]) * 1e3, maxof(t[id]) * 1e3, share, xf, rss[id] / 1024
        }
        if (grp != "b") printf "| **the pipeline** | **%.1f** | | | 100%% | | |\n", total * 1e3
        if (grp == "b" && refusal != "") printf "\n`wasm-tools component new` on it: %s\n", refusal
      }
    }' "$raw"
} > "$out"
cat "$out"
log "written to $out"
