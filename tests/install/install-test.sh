#!/bin/bash
# install-*: install the build under test into a scratch prefix and use it as
# a user would. One step per ctest test:
#   package            cmake --install; the file list (manual pages,
#                      LICENSE and docs/*.md included); a C consumer built with
#                      find_package(taskwrap) runs the library
#   pkgconfig          the same consumer built with cc $(pkg-config ...)
#   example            examples/wasi-sdk with its toolchain file: the
#                      post-link step ran, run.mjs checks the hook sequences
#   post-link-failure  a variant whose post-link step fails (GENERATOR env):
#                      the build fails, and fails again when rerun
#   linker-wrapper     tests/install/linker-wrapper (GENERATOR env), linked by
#                      wasm-component-ld through taskwrap_use_linker_wrapper:
#                      a component without hook wrappers that runs in
#                      wasmtime, a core module rewritten with its FLAGS by its
#                      WASM_LD, relinked when FLAGS change, a failing rewrite
# Environment (set by tests.cmake): CMAKE BUILD CONFIG SRC WORK SANITIZE (1 or 0)
# CC NODE CLANG WASM_LD PKG_CONFIG GENERATOR NINJA (for Ninja only), and for
# linker-wrapper CLD (wasm-component-ld) WASM_TOOLS WASMTIME.
set -euo pipefail
export LC_ALL=C  # make's messages are matched below
step=$1
prefix=$WORK/prefix
example=$SRC/examples/wasi-sdk
mkdir -p "$WORK"
# With TW_SANITIZE the archive is instrumented: consumers need the runtime.
san=()
# shellcheck disable=SC2054  # the commas are inside one flag
[ "$SANITIZE" = 1 ] && san=(-fsanitize=address,undefined -fno-sanitize-recover=all)

fail() { echo "FAIL: $*" >&2; exit 1; }
# installed_files, install_manifest
. "$(dirname "${BASH_SOURCE[0]}")/../package/install-manifest.sh"
# has_export FILE NAME: whether the module exports NAME (read by Node.js).
has_export() {
  local names
  names=$("$NODE" -e 'const m = new WebAssembly.Module(require("fs").readFileSync(process.argv[1]));
                     for (const e of WebAssembly.Module.exports(m)) console.log(e.name)' "$1") ||
    fail "cannot read the exports of $1"
  grep -qxF -- "$2" <<< "$names"
}
# configure_example DIR ARGS...: the example, cross-compiled with the toolchain file.
configure_example() {
  local dir=$1; shift
  rm -rf "$dir"
  "$CMAKE" -S "$example" -B "$dir" -DCMAKE_TOOLCHAIN_FILE="$example/wasi-p3.cmake" \
    -DWASI_CLANG="$CLANG" -DWASI_WASM_LD="$WASM_LD" "$@" > "$dir.configure.log" 2>&1 ||
    { cat "$dir.configure.log"; fail "configuring the example in $dir"; }
}
# No temporary or .taskwrap file may be left beside the module.
no_leftovers() {
  local left
  left=$(find "$1" -maxdepth 1 -name 'reactor.wasm?*')
  [ -z "$left" ] || fail "files left by the post-link step: $left"
}

# fixup FILE: the printed wit-component-fixup core module of a component.
fixup() {
  "$WASM_TOOLS" print "$1" | awk '/^  \(core module \$wit-component-fixup/ { f = 1; next } f && /^  \)$/ { f = 0; next } f'
}
# hook_wrappers FILE: how many functions the component's fixup module defines
# (wit-component's hook wrappers; 0 when the core module has them).
hook_wrappers() { fixup "$1" | grep -c '^    (func (;' || true; }

case $step in
package)
  rm -rf "$prefix"
  config=(); [ -n "$CONFIG" ] && config=(--config "$CONFIG")
  "$CMAKE" --install "$BUILD" --prefix "$prefix" "${config[@]}"
  # The targets file of the configuration: taskwrapTargets-debug.cmake etc.
  lc=$(echo "${CONFIG:-noconfig}" | tr '[:upper:]' '[:lower:]')
  expected=$(install_manifest "$lc")
  got=$(installed_files "$prefix")
  [ "$got" = "$expected" ] || fail "installed files differ:$(diff <(echo "$expected") <(echo "$got"))"
  echo "installed:"; echo "$got" | sed 's/^/  /'
  [ -x "$prefix/bin/wasm-taskwrap" ] || fail "bin/wasm-taskwrap is not executable"
  [ -x "$prefix/bin/wasm-taskwrap-ld" ] || fail "bin/wasm-taskwrap-ld is not executable"
  [ "$("$prefix/bin/wasm-taskwrap" --version)" = "wasm-taskwrap 0.1.0" ] || fail "--version"
  cmp "$SRC/include/taskwrap.h" "$prefix/include/taskwrap.h"
  cmp "$SRC/LICENSE" "$prefix/share/doc/wasm-taskwrap/LICENSE"
  for doc in usage abi output-layout; do
    cmp "$SRC/docs/$doc.md" "$prefix/share/doc/wasm-taskwrap/$doc.md"
  done
  # The manual pages as written, and readable by man (MANPATH from the prefix).
  for page in wasm-taskwrap wasm-taskwrap-ld; do
    cmp "$SRC/man/$page.1" "$prefix/share/man/man1/$page.1"
    if command -v man > /dev/null; then
      shown=$(MANPATH=$prefix/share/man MANWIDTH=80 man -P cat "$page" 2> /dev/null) || shown=
      grep -q "$page" <<< "$shown" || fail "man $page does not show the installed page"
    fi
  done

  # A C project using find_package(taskwrap) and taskwrap::taskwrap.
  dir=$WORK/consumer-cmake
  rm -rf "$dir"
  "$CMAKE" -S "$SRC/tests/install/consumer" -B "$dir" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_C_COMPILER="$CC" -DCMAKE_C_FLAGS="${san[*]}" -DCMAKE_EXE_LINKER_FLAGS="${san[*]}"
  "$CMAKE" --build "$dir"
  out=$("$dir/consumer") || { echo "$out"; fail "the CMake-built consumer"; }
  echo "$out"
  [ "$(tail -n1 <<< "$out")" = "consumer: ok" ] || fail "consumer did not finish"
  ;;

pkgconfig)
  export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
  [ "$("$PKG_CONFIG" --modversion taskwrap)" = 0.1.0 ] || fail "pkg-config --modversion"
  # The .pc file must describe the prefix it was installed into.
  cflags=$("$PKG_CONFIG" --cflags taskwrap)
  libs=$("$PKG_CONFIG" --libs taskwrap)
  tool=$("$PKG_CONFIG" --variable=wasm_taskwrap taskwrap)
  echo "cflags: $cflags"; echo "libs: $libs"; echo "wasm_taskwrap: $tool"
  # (compared after realpath: a relocatable .pc file may say ${pcfiledir}/../..)
  same_path() { [ "$(realpath -m -- "$1")" = "$(realpath -m -- "$2")" ]; }
  inc=$(sed -n 's/^-I//p' <<< "${cflags// /$'\n'}")
  lib=$(sed -n 's/^-L//p' <<< "${libs// /$'\n'}")
  same_path "$inc" "$prefix/include" || fail "--cflags: -I$inc is not $prefix/include"
  same_path "$lib" "$prefix/lib" || fail "--libs: -L$lib is not $prefix/lib"
  same_path "$tool" "$prefix/bin/wasm-taskwrap" || fail "wasm_taskwrap variable: $tool"
  # word splitting of the pkg-config output is intended
  # shellcheck disable=SC2086
  "$CC" "${san[@]}" "$SRC/tests/install/consumer/consumer.c" $cflags $libs -o "$WORK/consumer-pc"
  out=$("$WORK/consumer-pc") || { echo "$out"; fail "the pkg-config-built consumer"; }
  echo "$out"
  [ "$(tail -n1 <<< "$out")" = "consumer: ok" ] || fail "consumer did not finish"
  ;;

example)
  # Found through CMAKE_PREFIX_PATH despite the toolchain's find-root modes,
  # even with a root path set (as wasi-sdk's sysroot would be).
  dir=$WORK/example
  configure_example "$dir" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_ROOT_PATH="$WORK/no-sysroot"
  "$CMAKE" --build "$dir" --verbose > "$dir.build.log" 2>&1 || { cat "$dir.build.log"; fail "build"; }
  grep -q -- "$prefix/bin/wasm-taskwrap --abi task-hook $dir/reactor.wasm -o" "$dir.build.log" ||
    { cat "$dir.build.log"; fail "the post-link step did not run the installed wasm-taskwrap"; }
  # The link line has Release's -O3, yet clang must not run wasm-opt on the
  # linked module (see wasi-p3.cmake): ask the driver (-###) what it runs.
  link=$(cat "$dir/CMakeFiles/reactor.dir/link.txt")
  [[ $link == *-O3* ]] || fail "no -O3 on the link line: $link"
  driver=$(cd "$dir" && eval "$link -###" 2>&1) || { echo "$driver"; fail "clang -###"; }
  ! grep -q wasm-opt <<< "$driver" || { echo "$driver"; fail "clang would run wasm-opt at link time"; }
  no_leftovers "$dir"
  ! has_export "$dir/reactor.wasm" __wasm_task_hook || fail "__wasm_task_hook still exported"
  plan=$("$prefix/bin/wasm-taskwrap" --dry-run "$dir/reactor.wasm")
  [ "$(head -n1 <<< "$plan")" = "abi none wrappers=0" ] || { echo "$plan"; fail "rewritten module: $(head -n1 <<< "$plan")"; }

  # The post-link step did what the CLI does to the linked module, here as
  # the pipeline of docs/usage.md, "Without the wrapper: the core module",
  # from a build without the step.
  configure_example "$WORK/example-core" -Dtaskwrap_DIR="$prefix/lib/cmake/taskwrap" -DEXAMPLE_POST_LINK=OFF
  "$CMAKE" --build "$WORK/example-core" > /dev/null
  has_export "$WORK/example-core/reactor.wasm" __wasm_task_hook || fail "no hook export before the rewrite"
  "$prefix/bin/wasm-taskwrap" - -o - < "$WORK/example-core/reactor.wasm" > "$WORK/example-piped.wasm"
  cmp "$dir/reactor.wasm" "$WORK/example-piped.wasm"

  # A second build has nothing to do: the module stays as it is.
  cp "$dir/reactor.wasm" "$WORK/example-first.wasm"
  "$CMAKE" --build "$dir" > "$dir.rebuild.log" 2>&1
  ! grep -q 'wasm-taskwrap' "$dir.rebuild.log" || fail "the post-link step ran again"
  cmp "$dir/reactor.wasm" "$WORK/example-first.wasm"

  "$NODE" --no-warnings "$example/run.mjs" "$dir/reactor.wasm"
  # The INIT_ONCE STUB_WASI target: no imports, _initialize run once by the
  # first export a host calls.
  grep -q -- "$prefix/bin/wasm-taskwrap --abi task-hook --init-once --stub-wasi $dir/reactor-host.wasm -o" "$dir.build.log" ||
    { cat "$dir.build.log"; fail "the post-link step of reactor-host did not pass INIT_ONCE STUB_WASI"; }
  "$NODE" --no-warnings "$example/run-host.mjs" "$dir/reactor-host.wasm"
  ;;

post-link-failure)
  # EXAMPLE_BAD_HOOK gives __wasm_task_hook the type [i64] -> [].
  gen=$GENERATOR
  tag=$(echo "$gen" | tr ' [:upper:]' '-[:lower:]')
  ref=$WORK/bad-ref-$tag dir=$WORK/bad-$tag
  gen_args=(-G "$gen")
  [ "$gen" = Ninja ] && gen_args+=(-DCMAKE_MAKE_PROGRAM="$NINJA")
  # What wasm-ld writes: the same build without the post-link step.
  configure_example "$ref" "${gen_args[@]}" -Dtaskwrap_DIR="$prefix/lib/cmake/taskwrap" \
    -DEXAMPLE_BAD_HOOK=ON -DEXAMPLE_POST_LINK=OFF
  "$CMAKE" --build "$ref" > /dev/null
  has_export "$ref/reactor.wasm" __wasm_task_hook || fail "the reference exports no hook"

  configure_example "$dir" "${gen_args[@]}" -Dtaskwrap_DIR="$prefix/lib/cmake/taskwrap" -DEXAMPLE_BAD_HOOK=ON
  want='reactor.wasm:0x[0-9a-f]*: error: export "__wasm_task_hook" (hook) has type \[i64\] -> \[\], expected \[i32\] -> \[\]'
  for attempt in first second; do
    if "$CMAKE" --build "$dir" > "$dir.$attempt.log" 2>&1; then
      cat "$dir.$attempt.log"; fail "the $attempt build succeeded"
    fi
    grep -q "$want" "$dir.$attempt.log" || { cat "$dir.$attempt.log"; fail "$attempt build: no type error"; }
    grep -q 'Linking C executable reactor.wasm' "$dir.$attempt.log" || fail "$attempt build did not relink"
    no_leftovers "$dir"
    case $gen in
    Ninja)
      # The module stays as wasm-ld wrote it; Ninja logs no success for the
      # failed edge, so the next build relinks and runs the step again.
      cmp "$ref/reactor.wasm" "$dir/reactor.wasm" || fail "$attempt build changed the linked module"
      ;;
    *Makefiles)
      # The step leaves the module alone, but CMake's makefiles declare
      # .DELETE_ON_ERROR, so GNU make deletes the target of the failed
      # recipe (link + post-link); the next build therefore relinks.
      grep -q "Deleting file 'reactor.wasm'" "$dir.$attempt.log" || { cat "$dir.$attempt.log"; fail "make kept reactor.wasm"; }
      [ ! -e "$dir/reactor.wasm" ] || fail "reactor.wasm exists after the failed $attempt build"
      ;;
    *) fail "no expectation for generator $gen" ;;
    esac
    echo "$attempt build failed as expected:"; grep -m1 "$want" "$dir.$attempt.log"
  done
  ;;

linker-wrapper)
  gen=$GENERATOR
  tag=$(echo "$gen" | tr ' [:upper:]' '-[:lower:]')
  gen_args=(-G "$gen")
  [ "$gen" = Ninja ] && gen_args+=(-DCMAKE_MAKE_PROGRAM="$NINJA")
  proj=$SRC/tests/install/linker-wrapper
  base=$WORK/wrapper-$tag
  ref=$base/ref dir=$base/build
  rm -rf "$base" && mkdir -p "$base/logging ld"
  # The WASM_LD of reactor-core: a wasm-ld that says it ran, in a directory
  # whose name has a space.
  ldlog="$base/logging ld/ran.log"
  printf '#!/bin/bash\necho "$*" >> %q\nexec %q "$@"\n' "$ldlog" "$WASM_LD" > "$base/logging ld/wasm-ld"
  chmod +x "$base/logging ld/wasm-ld"
  # clang 14 with the toolchain file of examples/wasi-sdk, linking with
  # wasm-component-ld (-fuse-ld, from WASI_WASM_LD).
  configure() {
    local d=$1; shift
    "$CMAKE" -S "$proj" -B "$d" "${gen_args[@]}" -DCMAKE_TOOLCHAIN_FILE="$example/wasi-p3.cmake" \
      -DWASI_CLANG="$CLANG" -DWASI_WASM_LD="$CLD" -Dtaskwrap_DIR="$prefix/lib/cmake/taskwrap" "$@" \
      > "$d.configure.log" 2>&1 || { cat "$d.configure.log"; fail "configuring $d"; }
  }
  build() { # DIR LOG
    "$CMAKE" --build "$1" --verbose > "$2" 2>&1 || { cat "$2"; fail "building $1"; }
  }
  no_temp_left() {
    local left
    left=$(find "$dir" -maxdepth 1 -name '.tmp*')
    [ -z "$left" ] || fail "wasm-component-ld left $left"
  }
  # run() in a fresh instance: _initialize's hooks, then run's start hook.
  want_trace='[6, 100, 7, 0, 101]'

  # Without the wrapper: wit-component hooks the exports in its fixup module.
  configure "$ref" -DUSE_WRAPPER=OFF
  build "$ref" "$ref.build.log"
  n=$(hook_wrappers "$ref/reactor.wasm")
  [ "$n" -gt 0 ] || fail "the plain component has no hook wrappers"
  got=$("$WASMTIME" run --invoke 'run()' "$ref/reactor.wasm") || fail "wasmtime: the plain component"
  [ "$got" = "$want_trace" ] || fail "the plain component's trace: $got"

  configure "$dir" -DCORE_WASM_LD="$base/logging ld/wasm-ld"
  build "$dir" "$dir.build.log"
  grep -qF -- "--wasm-ld-path=$prefix/bin/wasm-taskwrap-ld" "$dir.build.log" ||
    { cat "$dir.build.log"; fail "no --wasm-ld-path=<installed wasm-taskwrap-ld> on the link line"; }
  grep -q 'TASKWRAP_FLAGS=--verify=full' "$dir.build.log" || fail "no TASKWRAP_FLAGS in the link command"
  # WASM_LD's default: the wasm-ld beside the compiler, where there is one.
  beside=$(dirname "$CLANG")/wasm-ld
  if [ -x "$beside" ]; then
    grep -qF "TASKWRAP_WASM_LD=$beside" "$dir.build.log" || fail "TASKWRAP_WASM_LD is not $beside"
  fi
  [ "$(hook_wrappers "$dir/reactor.wasm")" = 0 ] ||
    { fixup "$dir/reactor.wasm"; fail "hook wrappers in the fixup module"; }
  printed=$("$WASM_TOOLS" print "$dir/reactor.wasm") || fail "wasm-tools print: the component"
  ! grep -qF '"__wasm_task_hook"' <<< "$printed" || fail "__wasm_task_hook in the component"
  got=$("$WASMTIME" run --invoke 'run()' "$dir/reactor.wasm") || fail "wasmtime: the component"
  [ "$got" = "$want_trace" ] || fail "the component's trace: $got, expected $want_trace"
  echo "reactor.wasm: no hook wrappers in the fixup module (without the wrapper: $n); wasmtime run(): $got"
  # reactor-core: the core module wasm-ld wrote, rewritten with --init-once
  # (byte for byte the CLI's output), linked by the logging wasm-ld.
  "$prefix/bin/wasm-taskwrap" --init-once "$ref/reactor-core.wasm" -o "$base/core.expect.wasm"
  cmp "$base/core.expect.wasm" "$dir/reactor-core.wasm" ||
    fail "reactor-core is not wasm-ld's module rewritten with --init-once"
  "$prefix/bin/wasm-taskwrap" --check --init-once "$ref/reactor-core.wasm" "$dir/reactor-core.wasm"
  [ "$(wc -l < "$ldlog")" = 1 ] || fail "WASM_LD ran $(wc -l < "$ldlog") times, expected once (reactor-core)"
  no_temp_left

  # Nothing changed: nothing is relinked. (Ninja's --verbose prints commands,
  # not "Linking ...": the modules' times tell.)
  touch "$base/stamp"
  build "$dir" "$dir.rebuild.log"
  [ ! "$dir/reactor.wasm" -nt "$base/stamp" ] && [ ! "$dir/reactor-core.wasm" -nt "$base/stamp" ] ||
    fail "a second build relinked"
  # New FLAGS: reactor is relinked with them, reactor-core is not.
  # --keep-hook-export keeps the hook, so wit-component hooks the exports
  # once more: its wrappers are back.
  configure "$dir" -DWRAPPER_FLAGS="--verify=full --keep-hook-export"
  build "$dir" "$dir.flags.log"
  [ "$dir/reactor.wasm" -nt "$base/stamp" ] || fail "new FLAGS did not relink reactor"
  [ ! "$dir/reactor-core.wasm" -nt "$base/stamp" ] || fail "reactor's new FLAGS relinked reactor-core"
  [ "$(hook_wrappers "$dir/reactor.wasm")" -gt 0 ] || fail "--keep-hook-export did not reach the wrapper"

  # A failed rewrite fails the link, with wasm-taskwrap's message (naming the
  # linker's output in wasm-component-ld's temporary directory), and fails
  # again when the build is rerun.
  configure "$dir" -DWRAPPER_FLAGS=--verify=full -DBAD_HOOK=ON
  want="^wasm-taskwrap-ld: $dir/\\.tmp[A-Za-z0-9]{6}/reactor\\.wasm:0x[0-9a-f]+: error: export \"__wasm_task_hook\" \\(hook\\) has type \\[i64\\] -> \\[\\], expected \\[i32\\] -> \\[\\]$"
  for attempt in first second; do
    if "$CMAKE" --build "$dir" > "$dir.bad-$attempt.log" 2>&1; then
      cat "$dir.bad-$attempt.log"; fail "the $attempt build with a bad hook succeeded"
    fi
    # (the message comes from the link, so the second build relinked)
    grep -Eq "$want" "$dir.bad-$attempt.log" || { cat "$dir.bad-$attempt.log"; fail "$attempt build: no type error"; }
    no_temp_left
  done
  echo "a bad hook fails the link:"; grep -Em1 "$want" "$dir.bad-first.log"
  ;;

*) fail "unknown step $step" ;;
esac
echo "install-$step: ok"
