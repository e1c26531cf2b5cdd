#!/usr/bin/env bash
# plain-build, subproject-*: the sources built anew, as a user or a parent
# project meets them, each in a Release build of its own under WORK.
#   plain-build   `cmake -S . -B build` (no TW_BUILD_TESTS) where no test tool
#                 is found: PATH=/usr/bin:/bin and TW_DOT_TOOLS an empty
#                 directory, so wasm-tools, wasmtime and wasm-component-ld
#                 (and whatever else is not in /usr/bin) are missing. The
#                 configure says so in one line naming them and
#                 tools/install-deps.sh --tests, defines no test, and build
#                 and install succeed. The same configure with
#                 -DTW_BUILD_TESTS=ON fails naming them; with OFF it says
#                 nothing of them. The control: with the tools, the tests are
#                 there.
#   subproject-add-subdirectory, subproject-fetchcontent
#                 tests/package/subproject builds the sources as a part of
#                 itself (add_subdirectory; FetchContent of the source
#                 package cpack makes, by a file:// URL): no test and no
#                 target of ours beyond the library and the commands;
#                 taskwrap::taskwrap links, taskwrap::wasm-taskwrap runs in
#                 a custom command, and taskwrap_post_link rewrites a module
#                 in place.
# Environment (tests/package/tests.cmake): CMAKE CPACK CTEST BUILD SRC WORK CLI
# WAT2WASM.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
export LC_ALL=C
step=$1
work=$WORK/$step
rm -rf "$work" && mkdir -p "$work"
jobs=(-j2)

# configure LOG ARGS...: cmake, with its output in LOG; its status returned.
configure() {
  local log=$1
  shift
  "$CMAKE" "$@" > "$log" 2>&1
}
# test_count DIR: the number of tests ctest lists in DIR.
test_count() {
  "$CTEST" --test-dir "$1" -N | sed -n 's/^Total Tests: //p'
}

case $step in
plain-build)
  notools=$work/no-tools
  mkdir -p "$notools"
  plain=(env PATH=/usr/bin:/bin "$CMAKE" -S "$SRC" -DCMAKE_BUILD_TYPE=Release
         -DTW_DOT_TOOLS="$notools")
  # The user's recipe: configure, build, install.
  "${plain[@]}" -B "$work/build" > "$work/configure.log" 2>&1 ||
    { cat "$work/configure.log"; die "the plain configure failed"; }
  line=$(grep 'tests not built' "$work/configure.log" || true)
  echo "configure says: $line"
  [ "$(grep -c . <<< "$line")" = 1 ] && ok "one line about the tests" ||
    fail "want one 'tests not built' line: $(cat "$work/configure.log")"
  for want in wasm-tools wasmtime wasm-component-ld 'tools/install-deps.sh --tests'; do
    [[ $line == *"$want"* ]] && ok "it names $want" || fail "it does not name $want"
  done
  [ ! -e "$work/build/tests" ] && [ "$(test_count "$work/build")" = 0 ] &&
    ok "no tests configured" || fail "the plain build configured tests"
  "$CMAKE" --build "$work/build" "${jobs[@]}" > "$work/build.log" 2>&1 ||
    { tail -n 30 "$work/build.log"; die "the plain build failed"; }
  "$CMAKE" --install "$work/build" --prefix "$work/prefix" > "$work/install.log" 2>&1 ||
    { cat "$work/install.log"; die "the plain install failed"; }
  [ "$("$work/prefix/bin/wasm-taskwrap" --version)" = "$("$CLI" --version)" ] &&
    ok "build and install: $("$work/prefix/bin/wasm-taskwrap" --version)" || fail "the installed --version"
  for f in bin/wasm-taskwrap-ld share/man/man1/wasm-taskwrap.1 share/man/man1/wasm-taskwrap-ld.1; do
    [ -f "$work/prefix/$f" ] && ok "installed $f" || fail "not installed: $f"
  done

  # Explicit ON: every test or a failed configure that says why.
  if configure "$work/on.log" "${plain[@]}" -B "$work/build-on" -DTW_BUILD_TESTS=ON; then
    fail "TW_BUILD_TESTS=ON configured without the test tools"
  else
    ok "TW_BUILD_TESTS=ON fails without the test tools"
  fi
  grep 'TW_BUILD_TESTS=ON' -A3 "$work/on.log" || true
  for want in wasm-tools 'tools/install-deps.sh --tests'; do
    grep -qF -- "$want" "$work/on.log" && ok "the error names $want" ||
      fail "the error does not name $want: $(cat "$work/on.log")"
  done
  # Explicit OFF: nothing looked up, nothing said.
  configure "$work/off.log" "${plain[@]}" -B "$work/build-off" -DTW_BUILD_TESTS=OFF ||
    { cat "$work/off.log"; die "TW_BUILD_TESTS=OFF"; }
  ! grep -q 'tests not built\|wasm-tools' "$work/off.log" && ok "OFF says nothing of test tools" ||
    fail "OFF still looks for test tools: $(cat "$work/off.log")"
  # Control: the same sources with the tools (this run's PATH, .tools/bin)
  # do configure the tests, so "no tests" above was the tools' doing.
  configure "$work/auto.log" -S "$SRC" -B "$work/build-auto" -DCMAKE_BUILD_TYPE=Release ||
    { cat "$work/auto.log"; die "the configure with the test tools"; }
  n=$(test_count "$work/build-auto")
  [ -n "$n" ] && [ "$n" -gt 50 ] && ! grep -q 'tests not built' "$work/auto.log" &&
    ok "control: with the tools, $n tests" || fail "control: with the tools, ${n:-no} tests"
  ;;

subproject-add-subdirectory | subproject-fetchcontent)
  mode=${step#subproject-}
  mode=${mode//-/_}
  "$WAT2WASM" --debug-names "$SRC/fixtures/example.wat" -o "$work/example.wasm"
  args=(-DTW_PARENT_MODE="$mode" -DEXAMPLE_WASM="$work/example.wasm")
  if [ "$mode" = add_subdirectory ]; then
    args+=(-DTW_SOURCE="$SRC")
  else
    # The source package (cpack's CPackSourceConfig.cmake of the build under
    # test), as a release would publish it.
    "$CPACK" --config "$BUILD/CPackSourceConfig.cmake" -B "$work/source" > "$work/source.log" 2>&1 ||
      { cat "$work/source.log"; die "cpack of the sources"; }
    tarball=("$work"/source/*-Source.tar.gz)
    [ ${#tarball[@]} = 1 ] && [ -f "${tarball[0]}" ] || die "no source package: $(ls "$work/source")"
    tar -tzf "${tarball[0]}" > "$work/source.files"
    ! grep -qE '^[^/]+/(build[^/]*|\.tools|\.git)(/|$)' "$work/source.files" &&
      ok "the source package has no build tree, .tools or .git" ||
      fail "the source package has: $(grep -E '^[^/]+/(build[^/]*|\.tools|\.git)(/|$)' "$work/source.files" | head)"
    args+=(-DTW_URL="file://${tarball[0]}")
  fi
  build=$work/build
  configure "$work/configure.log" -S "$SRC/tests/package/subproject" -B "$build" \
    -DCMAKE_BUILD_TYPE=Release "${args[@]}" || { cat "$work/configure.log"; die "configuring the parent"; }
  grep -F 'taskwrap-parent:' "$work/configure.log"
  ok "the parent configures ($mode): the subproject defines no tests"
  ! grep -q 'tests not built' "$work/configure.log" && ok "no test tools looked for" ||
    fail "the subproject looked for test tools"
  "$CMAKE" --build "$build" "${jobs[@]}" > "$work/build.log" 2>&1 ||
    { tail -n 30 "$work/build.log"; die "building the parent"; }
  ok "the parent builds"
  [ "$(test_count "$build")" = 0 ] && ok "ctest -N in the parent: 0 tests" ||
    fail "the parent lists tests: $("$CTEST" --test-dir "$build" -N)"
  out=$("$build/consumer") || { echo "$out"; die "the consumer"; }
  [ "$(tail -n1 <<< "$out")" = "consumer: ok" ] && ok "taskwrap::taskwrap links and works" ||
    fail "the consumer: $out"
  "$CLI" "$work/example.wasm" -o "$work/expected.wasm"
  ! cmp -s "$work/example.wasm" "$work/expected.wasm" || die "the example is not rewritten at all"
  cmp -s "$build/example.out.wasm" "$work/expected.wasm" &&
    ok "taskwrap::wasm-taskwrap in a custom command" || fail "example.out.wasm differs"
  cmp -s "$build/module.wasm" "$work/expected.wasm" &&
    ok "taskwrap_post_link rewrote module.wasm in place" || fail "module.wasm is not the rewritten module"
  ;;

*) die "unknown step $step" ;;
esac
summary
