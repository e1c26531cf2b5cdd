# shellcheck shell=bash
# Sourced by the golden runners (run-golden.sh, tests/windows/golden.sh):
# a fixture's settings and its module. A fixture is fixtures/NAME.wat or
# fixtures/NAME.hex; its settings are comment lines, ";; KEY: value" in a
# .wat, "# KEY: value" in a .hex (run-golden.sh lists the keys).
# env WAT2WASM, XXD, WASM_TOOLS: the tools.

# fixture_setting FILE KEY: the value of the first KEY line, or nothing.
fixture_setting() {
  local comment=';;'
  [ "${1##*.}" = hex ] && comment='#'
  sed -n "s/^$comment $2: //p" "$1" | head -n 1
}

# fixture_module FILE NAME: FILE's module as NAME.wasm in the working
# directory: assembled with its WAT2WASM flags (.wat) or read from its hex
# bytes (.hex), then each EMBED line's WIT world (beside FILE) embedded, in
# order. Returns non-zero, saying why, when a step fails.
fixture_module() {
  local file=$1 name=$2 ext=${1##*.} dir comment=';;' watflags embed wit rest
  dir=$(dirname "$file")
  [ "$ext" = hex ] && comment='#'
  watflags=$(fixture_setting "$file" WAT2WASM)
  # shellcheck disable=SC2086  # the flags are a word list
  case "$ext" in
    wat) "$WAT2WASM" --enable-all $watflags "$file" -o "$name.wasm" || return 1 ;;
    hex) sed -e 's/#.*//' "$file" | "$XXD" -r -p > "$name.wasm" || return 1 ;;
    *) echo "$name: unknown fixture type .$ext" >&2; return 1 ;;
  esac
  while read -r embed; do
    [ -n "$embed" ] || continue
    wit=${embed%% *} rest=${embed#* }
    # shellcheck disable=SC2086  # the world options are a word list
    "$WASM_TOOLS" component embed "$dir/$wit" $rest "$name.wasm" -o "$name.embedded.wasm" ||
      { echo "$name: component embed $embed failed" >&2; return 1; }
    mv "$name.embedded.wasm" "$name.wasm"
  done < <(sed -n "s/^$comment EMBED: //p" "$file")
}
