#!/usr/bin/env bash
# shellcheck disable=SC2015  # COND && ok || fail: ok returns 0
# win-zip: the Windows package (cpack -G ZIP of this build, made in a
# scratch directory), unpacked: it holds the expected files; its programs
# import only Windows' own DLLs (no MinGW runtime to ship beside them); and
# its wasm-taskwrap.exe, run under wine on the bundled example
# (fixtures/example.wat, as tools/example.sh builds it), writes the Linux
# tool's output and plan, and reports the same version.
#   zip.sh FIXTURES_DIR WORKDIR
# env: TW_CPACK, TW_CPACK_CONFIG, TW_CMAKE, TW_OBJDUMP, TW_REF, WAT2WASM, and
#      wine.sh's.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../lib.sh"
. "$here/wine.sh"
fixtures=$(cd "$1" && pwd) work=$2
: "${TW_CPACK:?}" "${TW_CPACK_CONFIG:?}" "${TW_CMAKE:?}" "${TW_OBJDUMP:?}" "${TW_REF:?}" "${WAT2WASM:?}"
rm -rf "$work"
mkdir -p "$work/x"
cd "$work"

"$TW_CPACK" -G ZIP --config "$TW_CPACK_CONFIG" -B "$PWD/pkg" > cpack.log 2>&1 ||
  { cat cpack.log; die "cpack -G ZIP failed"; }
zips=(pkg/*.zip)
[ ${#zips[@]} = 1 ] && [ -f "${zips[0]}" ] || die "cpack made ${zips[*]}, not one .zip"
ok "cpack -G ZIP: $(basename "${zips[0]}")"
(cd x && "$TW_CMAKE" -E tar xf "../${zips[0]}")
# The package's one top directory, NAME-VERSION-win64.
tops=(x/*)
[ ${#tops[@]} = 1 ] && [ -d "${tops[0]}" ] || die "the zip has ${#tops[@]} top entries, not one directory"
top=${tops[0]}
(cd "$top" && find . -type f | sed 's|^\./||' | sort) > contents
echo "the zip holds:"
sed 's/^/  /' contents
for f in bin/wasm-taskwrap.exe bin/wasm-taskwrap-ld.exe include/taskwrap.h lib/libtaskwrap.a \
  lib/cmake/taskwrap/taskwrapConfig.cmake lib/cmake/taskwrap/taskwrapConfigVersion.cmake \
  lib/cmake/taskwrap/TaskwrapPostLink.cmake lib/pkgconfig/taskwrap.pc \
  share/man/man1/wasm-taskwrap.1 share/man/man1/wasm-taskwrap-ld.1; do
  grep -q -x -F "$f" contents && ok || fail "the zip lacks $f"
done
grep -q -E '^share/doc/[^/]+/LICENSE$' contents && ok || fail "the zip lacks share/doc/*/LICENSE"
! grep -q -E '\.(dll|DLL)$' contents || fail "the zip ships DLLs: $(grep -i '\.dll$' contents)"

# Windows' own DLLs only: what a Windows without MinGW has.
for exe in wasm-taskwrap.exe wasm-taskwrap-ld.exe; do
  "$TW_OBJDUMP" -p "$top/bin/$exe" | sed -n 's/^\tDLL Name: //p' > "$exe.dlls"
  [ -s "$exe.dlls" ] || { fail "$exe: no DLL imports read"; continue; }
  others=$(grep -v -i -x -E 'kernel32\.dll|msvcrt\.dll|ucrtbase\.dll|api-ms-win-[a-z0-9-]+\.dll|advapi32\.dll|shell32\.dll|user32\.dll|bcrypt\.dll|ntdll\.dll|ws2_32\.dll|shlwapi\.dll' "$exe.dlls" || true)
  [ -z "$others" ] && ok "$exe imports $(tr '\n' ' ' < "$exe.dlls")" ||
    fail "$exe imports DLLs a Windows does not have: $others"
done

# The packaged program on the example, against the Linux tool.
"$WAT2WASM" --debug-names "$fixtures/example.wat" -o example.wasm
"$TW_REF" example.wasm -o lin.wasm --plan > lin.plan
! cmp -s example.wasm lin.wasm || die "the example is not rewritten: no test"
rc=0; wrun "$top/bin/wasm-taskwrap.exe" example.wasm -o win.wasm --plan > win.plan 2> win.err || rc=$?
if [ "$rc" = 0 ] && [ ! -s win.err ] && cmp lin.wasm win.wasm && diff lin.plan win.plan; then
  ok "the packaged wasm-taskwrap.exe rewrites the example as on Linux"
else
  fail "the packaged wasm-taskwrap.exe on the example: exit $rc: $(cat win.err)"
fi
rc=0; wrun "$top/bin/wasm-taskwrap.exe" --version > win.version 2>&1 || rc=$?
"$TW_REF" --version > lin.version
[ "$rc" = 0 ] && diff lin.version win.version && ok "--version: $(cat win.version)" ||
  fail "--version: exit $rc"

# Sabotage: a zip without the linker wrapper is noticed by the list check.
grep -v -x -F bin/wasm-taskwrap-ld.exe contents > contents.sabotage
! grep -q -x -F bin/wasm-taskwrap-ld.exe contents.sabotage && ok "sabotage: a missing file is seen" ||
  fail "sabotage: a missing file goes unseen"
summary
