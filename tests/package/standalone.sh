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
#                 -DTW_BUILD_TESTS=ON fails naming them and AUTO and OFF;
#                 with OFF it says nothing of them. Go and cargo, when
#                 missing, are named with where they come from. The value:
#                 auto is AUTO, no is OFF, maybe and the empty value fail
#                 naming the allowed ones. A cache from when TW_BUILD_TESTS
#                 was a BOOL option: ON becomes AUTO (said once), OFF stays.
#                 tools/install-deps.sh --tests, with no Go or Rust, or an
#                 old Go, stops before installing anything, naming them.
#                 The control: with the tools, the tests are there.
#   subproject-add-subdirectory, subproject-fetchcontent
#                 tests/package/subproject builds the sources as a part of
#                 itself (add_subdirectory; FetchContent of the source
#                 package cpack makes, by a file:// URL): no test and no
#                 target of ours beyond the library and the commands;
#                 taskwrap::taskwrap links, taskwrap::wasm-taskwrap runs in
#                 a custom command, and taskwrap_post_link rewrites a module
#                 in place. The parent's install has none of our files (and
#                 its own) unless it sets TW_INSTALL=ON; then it has them
#                 all, our documents under share/doc/wasm-taskwrap although
#                 the parent's GNUInstallDirs DOCDIR is its own. fetchcontent
#                 also checks the source package leaves out a build tree
#                 inside the sources whatever its name.
# Environment (tests/package/tests.cmake): CMAKE CPACK CTEST BUILD SRC WORK CLI
# WAT2WASM DOT_TOOLS (the build's TW_DOT_TOOLS).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/install-manifest.sh" # installed_files, install_manifest
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
# cached DIR: TW_BUILD_TESTS's line in DIR's cache.
cached() { grep '^TW_BUILD_TESTS:' "$1/CMakeCache.txt"; }
# test_count DIR: the number of tests ctest lists in DIR.
test_count() {
  "$CTEST" --test-dir "$1" -N | sed -n 's/^Total Tests: //p'
}

case $step in
plain-build)
  notools=$work/no-tools
  mkdir -p "$notools"
  # plain LOG ARGS...: the sources configured where no test tool is found.
  plain() {
    local log=$1
    shift
    env PATH=/usr/bin:/bin "$CMAKE" -S "$SRC" -DCMAKE_BUILD_TYPE=Release -DTW_DOT_TOOLS="$notools" \
      "$@" > "$log" 2>&1
  }
  # The user's recipe: configure, build, install.
  plain "$work/configure.log" -B "$work/build" ||
    { cat "$work/configure.log"; die "the plain configure failed"; }
  line=$(grep 'tests not built' "$work/configure.log" || true)
  echo "configure says: $line"
  [ "$(grep -c . <<< "$line")" = 1 ] && ok "one line about the tests" ||
    fail "want one 'tests not built' line: $(cat "$work/configure.log")"
  for want in wasm-tools wasmtime wasm-component-ld 'tools/install-deps.sh --tests'; do
    [[ $line == *"$want"* ]] && ok "it names $want" || fail "it does not name $want"
  done
  # Go and Rust are not install-deps.sh's: named with where they come from.
  if ! PATH=/usr/bin:/bin command -v go > /dev/null; then
    [[ $line == *"install Go >= 1.26"* ]] && ok "it says to install Go >= 1.26" || fail "it does not say how to get Go"
  fi
  if ! PATH=/usr/bin:/bin command -v cargo > /dev/null; then
    [[ $line == *"Rust with rustup"* ]] && ok "it says to install Rust with rustup" || fail "it does not say how to get cargo"
  fi
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
  if plain "$work/on.log" -B "$work/build-on" -DTW_BUILD_TESTS=ON; then
    fail "TW_BUILD_TESTS=ON configured without the test tools"
  else
    ok "TW_BUILD_TESTS=ON fails without the test tools"
  fi
  # (CMake wraps the message: read as one line)
  said=$(sed -n '/TW_BUILD_TESTS=ON/,/^$/p' "$work/on.log" | tr -s ' \n' '  ')
  echo "the error: $said"
  for want in wasm-tools 'tools/install-deps.sh --tests' '-DTW_BUILD_TESTS=AUTO'; do
    [[ $said == *"$want"* ]] && ok "the error names $want" ||
      fail "the error does not name $want: $(cat "$work/on.log")"
  done
  if ! PATH=/usr/bin:/bin command -v go > /dev/null; then
    [[ $said == *"install Go >= 1.26"* ]] && ok "the error says to install Go" || fail "the error does not say how to get Go"
  fi
  # Explicit OFF: nothing looked up, nothing said.
  plain "$work/off.log" -B "$work/build-off" -DTW_BUILD_TESTS=OFF ||
    { cat "$work/off.log"; die "TW_BUILD_TESTS=OFF"; }
  ! grep -q 'tests not built\|wasm-tools' "$work/off.log" && ok "OFF says nothing of test tools" ||
    fail "OFF still looks for test tools: $(cat "$work/off.log")"

  # The value, in any case or boolean spelling; anything else refused.
  vals=$work/build-values
  plain "$work/values-auto.log" -B "$vals" -DTW_BUILD_TESTS=auto ||
    { cat "$work/values-auto.log"; fail "-DTW_BUILD_TESTS=auto failed"; }
  grep -q 'tests not built' "$work/values-auto.log" && [ "$(cached "$vals")" = TW_BUILD_TESTS:STRING=AUTO ] &&
    ok "auto is AUTO" || fail "auto: $(cached "$vals"); $(cat "$work/values-auto.log")"
  plain "$work/values-no.log" -B "$vals" -DTW_BUILD_TESTS=no ||
    { cat "$work/values-no.log"; fail "-DTW_BUILD_TESTS=no failed"; }
  ! grep -q 'tests not built' "$work/values-no.log" && [ "$(cached "$vals")" = TW_BUILD_TESTS:STRING=OFF ] &&
    ok "no is OFF" || fail "no: $(cached "$vals"); $(cat "$work/values-no.log")"
  for bad in maybe ''; do
    if plain "$work/values-bad.log" -B "$vals" "-DTW_BUILD_TESTS=$bad"; then
      fail "-DTW_BUILD_TESTS='$bad' configured"
    elif tr -s ' \n' '  ' < "$work/values-bad.log" | grep -q "TW_BUILD_TESTS is \"$bad\": it takes AUTO, ON or OFF"; then
      ok "-DTW_BUILD_TESTS='$bad' fails naming AUTO, ON and OFF"
    else
      cat "$work/values-bad.log"; fail "-DTW_BUILD_TESTS='$bad': not the message naming the values"
    fi
  done

  # A cache from when TW_BUILD_TESTS was an option(): the build-off tree with
  # its entry as that option wrote it.
  old=$work/build-off
  sed -i 's/^TW_BUILD_TESTS:.*/TW_BUILD_TESTS:BOOL=ON/' "$old/CMakeCache.txt"
  plain "$old/reconf.log" -B "$old" ||
    { cat "$old/reconf.log"; fail "reconfiguring a cache with TW_BUILD_TESTS:BOOL=ON failed"; }
  grep -q 'TW_BUILD_TESTS was the boolean ON .* it is now AUTO' "$old/reconf.log" &&
    grep -q 'tests not built' "$old/reconf.log" && [ "$(cached "$old")" = TW_BUILD_TESTS:STRING=AUTO ] &&
    ok "an old TW_BUILD_TESTS:BOOL=ON is AUTO, and says so" ||
    fail "an old BOOL ON: $(cached "$old"); $(cat "$old/reconf.log")"
  plain "$old/again.log" -B "$old" && ! grep -q 'was the boolean' "$old/again.log" &&
    ok "said once" || fail "the second configure: $(cat "$old/again.log")"
  sed -i 's/^TW_BUILD_TESTS:.*/TW_BUILD_TESTS:BOOL=OFF/' "$old/CMakeCache.txt"
  plain "$old/reconf-off.log" -B "$old" && [ "$(cached "$old")" = TW_BUILD_TESTS:STRING=OFF ] &&
    ! grep -q 'tests not built' "$old/reconf-off.log" && ok "an old TW_BUILD_TESTS:BOOL=OFF stays OFF" ||
    fail "an old BOOL OFF: $(cached "$old"); $(cat "$old/reconf-off.log")"

  # tools/install-deps.sh --tests checks for Go and Rust before anything
  # else. Run with a PATH of stand-ins only: nothing there can install.
  fake=$work/fake-bin
  mkdir -p "$fake"
  deps=(env "PATH=$fake" "$BASH" "$SRC/tools/install-deps.sh" --tests)
  printf '#!%s\necho go1.25.3\n' "$BASH" > "$fake/go" && chmod +x "$fake/go"
  if "${deps[@]}" > "$work/deps.log" 2>&1; then fail "install-deps.sh --tests went on with Go 1.25 and no Rust"
  elif grep -q 'Go >= 1.26 (this go is go1.25.3' "$work/deps.log" && grep -q 'cargo (Rust with rustup' "$work/deps.log" &&
       ! grep -q 'installing' "$work/deps.log"; then ok "install-deps.sh --tests stops first, naming Go >= 1.26 and rustup"
  else cat "$work/deps.log"; fail "install-deps.sh --tests: not the message naming Go and Rust"; fi
  # The control: with a Go 1.26 and cargo and rustc it goes past the check
  # (and then stops: no dpkg-query or apt-get among the stand-ins).
  printf '#!%s\necho go1.26.0\n' "$BASH" > "$fake/go"
  for t in cargo rustc; do printf '#!%s\necho "%s 1.90.0"\n' "$BASH" "$t" > "$fake/$t" && chmod +x "$fake/$t"; done
  "${deps[@]}" > "$work/deps-ok.log" 2>&1 || true
  grep -q 'found go: go1.26.0' "$work/deps-ok.log" && grep -q 'found cargo 1.90.0' "$work/deps-ok.log" &&
    ! grep -q 'does not install' "$work/deps-ok.log" && ok "control: Go 1.26 and Rust pass the check" ||
    { cat "$work/deps-ok.log"; fail "control: install-deps.sh --tests refused Go 1.26 and Rust"; }
  # Control: the same sources with the tools (this run's PATH, the build's
  # TW_DOT_TOOLS) do configure the tests, so "no tests" above was the tools'
  # doing.
  configure "$work/auto.log" -S "$SRC" -B "$work/build-auto" -DCMAKE_BUILD_TYPE=Release \
    -DTW_DOT_TOOLS="$DOT_TOOLS" ||
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
    # A build tree inside the sources, whatever its name, is not in the
    # source package made from it; a directory of other files there is.
    copy=$work/copy
    mkdir -p "$copy" && tar -xzf "${tarball[0]}" -C "$copy" --strip-components=1
    mkdir -p "$copy/stray" && echo kept > "$copy/stray/kept.txt"
    configure "$work/copy.log" -S "$copy" -B "$copy/out" -DTW_BUILD_TESTS=OFF ||
      { cat "$work/copy.log"; die "configuring the unpacked sources"; }
    "$CPACK" --config "$copy/out/CPackSourceConfig.cmake" -B "$work/copy-source" > "$work/copy-source.log" 2>&1 ||
      { cat "$work/copy-source.log"; die "cpack of the unpacked sources"; }
    tar -tzf "$work"/copy-source/*-Source.tar.gz > "$work/copy-source.files"
    grep -qE '^[^/]+/stray/kept\.txt$' "$work/copy-source.files" && ok "control: a directory in the sources is packaged" ||
      fail "stray/kept.txt is not in the source package"
    ! grep -qE '^[^/]+/out(/|$)' "$work/copy-source.files" && ok "the build tree out/ inside the sources is not" ||
      fail "the source package has the build tree: $(grep -E '^[^/]+/out(/|$)' "$work/copy-source.files" | head -n3)"
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

  # The parent's install: its own file only, then with TW_INSTALL=ON ours too.
  "$CMAKE" --install "$build" --prefix "$work/prefix" > "$work/install.log" 2>&1 ||
    { cat "$work/install.log"; die "the parent's install"; }
  got=$(installed_files "$work/prefix")
  [ "$got" = share/doc/taskwrap-parent/module.c ] && ok "the parent's install has none of our files" ||
    fail "the parent's install has: $got"
  configure "$work/configure-install.log" -S "$SRC/tests/package/subproject" -B "$build" -DTW_INSTALL=ON ||
    { cat "$work/configure-install.log"; die "configuring the parent with TW_INSTALL=ON"; }
  "$CMAKE" --install "$build" --prefix "$work/prefix-on" > "$work/install-on.log" 2>&1 ||
    { cat "$work/install-on.log"; die "the parent's install with TW_INSTALL=ON"; }
  expected=$({ install_manifest release; echo share/doc/taskwrap-parent/module.c; } | LC_ALL=C sort)
  got=$(installed_files "$work/prefix-on")
  [ "$got" = "$expected" ] && ok "with TW_INSTALL=ON the parent installs our $(grep -vc taskwrap-parent <<< "$got") files" ||
    fail "with TW_INSTALL=ON, installed files differ:$(diff <(echo "$expected") <(echo "$got"))"
  ;;

*) die "unknown step $step" ;;
esac
summary
