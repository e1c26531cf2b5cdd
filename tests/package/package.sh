#!/usr/bin/env bash
# package-deb, package-tgz: the packages cpack makes of the build under test
# (cmake/TaskwrapPackaging.cmake), each into its own scratch directory.
#   deb   made under umask 002: every file and directory has Debian's mode
#         and owner (the check catches a group-writable one); lintian reports
#         no error and no warning beyond the two known ones (and does report
#         an error for a .deb without its copyright file, and the check a
#         warning of another kind); unpacked, wasm-taskwrap rewrites the example
#         module to the bytes the build's own CLI writes; the manual pages,
#         CMake package (a consumer is built with it), pkg-config file,
#         header, library and documents are there; a consumer of the CMake
#         package without libwabt's stops at find_package(taskwrap), naming
#         libwabt and the Debian package wabt; Depends names the package of every
#         library ldd shows the commands load (and the check catches a
#         Depends with one of them taken out); the package of libwabt's
#         archive, which taskwrap.pc and the CMake package link, is in
#         Depends or Recommends, and its source package at its version is
#         Built-Using; the copyright file names libwabt when it is linked
#   tgz   the same files as the .deb (whose Debian documents and compressed
#         manual pages and documents aside), the same stripped commands
# Environment (tests/package/tests.cmake): CMAKE CPACK BUILD CONFIG SRC WORK
# CLI CC WAT2WASM WASM_VALIDATE LINTIAN DPKG DPKG_DEB DPKG_QUERY LDD PKG_CONFIG
# WABT_ARCHIVE (empty without libwabt).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
export LC_ALL=C
step=$1
mkdir -p "$WORK"

# make_package GENERATOR DIR: cpack of the build under test into DIR, under
# umask 002 (group-writable files, a common default): the packages' modes
# must not come from the umask of whoever runs cpack.
make_package() {
  local config=()
  [ -z "$CONFIG" ] || config=(-C "$CONFIG")
  rm -rf "$2"
  mkdir -p "$2"
  (umask 002 && "$CPACK" -G "$1" --config "$BUILD/CPackConfig.cmake" -B "$2" "${config[@]}") \
    > "$2.log" 2>&1 || { cat "$2.log"; die "cpack -G $1"; }
}
# the_file GLOB: the one file matching GLOB.
the_file() {
  local files=()
  for f in $1; do [ -e "$f" ] && files+=("$f"); done
  [ ${#files[@]} = 1 ] || die "want one $1, found ${#files[@]}: ${files[*]}"
  echo "${files[0]}"
}

# package_of PATH: the Debian package that has PATH (dpkg -S), trying the
# path as ldd printed it, resolved, and on the other side of the /usr merge.
package_of() {
  local p=$1 candidates=() c out
  candidates=("$p" "$(realpath -- "$p")")
  case $p in /usr/*) candidates+=("${p#/usr}") ;; *) candidates+=("/usr$p") ;; esac
  for c in "${candidates[@]}"; do
    out=$("$DPKG" -S "$c" 2> /dev/null) || continue
    # "libc6:amd64: /lib/x86_64-linux-gnu/libc.so.6"; "diversion by" lines aside
    out=$(grep -v '^diversion ' <<< "$out" | head -n1)
    out=${out%%: *}
    echo "${out%%:*}"
    return 0
  done
  return 1
}
# relation_names FIELD: the package names of a Depends-like field, one a line.
relation_names() {
  tr ',|' '\n\n' <<< "$1" | sed 's/(.*)//; s/\[.*\]//; s/:[a-z0-9]*//; s/[[:space:]]//g' | grep -v '^$' || true
}
# needed_packages BINARY...: the packages of the libraries ldd shows.
# A library no package has comes out as "?PATH".
needed_packages() {
  local bin lib pkg libs=()
  for bin in "$@"; do
    # "libm.so.6 => /lib/.../libm.so.6 (0x...)", "/lib64/ld-linux-x86-64.so.2 (0x...)"
    "$LDD" "$bin" > "$WORK/ldd.txt" || die "ldd $bin"
    ! grep -q 'not found' "$WORK/ldd.txt" || die "ldd $bin: $(cat "$WORK/ldd.txt")"
    mapfile -t -O ${#libs[@]} libs < \
      <(awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' "$WORK/ldd.txt")
  done
  for lib in "${libs[@]}"; do
    pkg=$(package_of "$lib") || pkg="?$lib"
    echo "$pkg"
  done | sort -u
}
# depends_covers FIELD PACKAGE...: every PACKAGE is named in FIELD; names
# the missing ones.
depends_covers() {
  local field=$1 pkg names missing=()
  shift
  names=$(relation_names "$field")
  for pkg in "$@"; do
    grep -qxF -- "$pkg" <<< "$names" || missing+=("$pkg")
  done
  [ ${#missing[@]} = 0 ] || { echo "not in \"$field\": ${missing[*]}"; return 1; }
}
# bad_modes LISTING: the entries of a `dpkg-deb -c` listing with another owner
# than root/root or another mode than Debian's: drwxr-xr-x for directories,
# -rwxr-xr-x for the commands in usr/bin, -rw-r--r-- for every other file.
bad_modes() {
  awk '{ want = $1 ~ /^d/ ? "drwxr-xr-x" : $NF ~ /^\.\/usr\/bin\/[^\/]+$/ ? "-rwxr-xr-x" : "-rw-r--r--"
         if ($1 != want || $2 != "root/root") print }' "$1"
}
# The lintian warnings a CPack-built package has for a reason (anything else,
# and any error, fails package-deb):
#   initial-upload-closes-no-bugs   the changelog's one entry is CPack's, not
#       an upload to Debian that would close the ITP bug lintian looks for
#   pkg-config-unavailable-for-cross-compilation   taskwrap.pc is in
#       CMAKE_INSTALL_LIBDIR (lib/pkgconfig), not a multiarch directory; the
#       file names no path of the build's architecture (CMakeLists.txt)
lintian_allowed='initial-upload-closes-no-bugs|pkg-config-unavailable-for-cross-compilation'
# lintian_unexpected FILE: the error and warning lines of lintian's FILE
# other than the allowed warnings.
lintian_unexpected() {
  grep -E '^[EW]: ' "$1" | grep -vE "^W: [^ ]+: ($lintian_allowed)( |$)" || true
}
# without PACKAGE FIELD: FIELD with PACKAGE's relation taken out.
without() { # (empty when PKG was the only one: grep then selects nothing)
  { tr ',' '\n' <<< "$2" | grep -v "^[[:space:]]*$1\([[:space:]:(]\|$\)" || true; } | paste -sd, -
}

deb_dir=$WORK/deb
root=$deb_dir/root
case $step in
deb)
  make_package DEB "$deb_dir"
  deb=$(the_file "$deb_dir/*.deb")
  echo "== $(basename "$deb")"
  "$DPKG_DEB" -I "$deb"

  # Modes and owners, as dpkg-deb lists them.
  "$DPKG_DEB" -c "$deb" > "$WORK/deb.listing"
  bad=$(bad_modes "$WORK/deb.listing")
  [ -z "$bad" ] && ok "every mode and owner is Debian's ($(wc -l < "$WORK/deb.listing") entries, umask 002)" ||
    fail "modes or owners other than Debian's:"$'\n'"$bad"
  # Sabotage: a group-writable document and a command without its execute
  # bits are caught.
  sed -E 's|^-rw-r--r--( .*/changelog\.Debian\.gz)$|-rw-rw-r--\1|; s|^-rwxr-xr-x( .*/usr/bin/wasm-taskwrap)$|-rw-r--r--\1|' \
    "$WORK/deb.listing" > "$WORK/deb-broken.listing"
  [ "$(bad_modes "$WORK/deb-broken.listing" | wc -l)" = 2 ] &&
    ok "sabotage: a 0664 document and a 0644 command are caught" ||
    fail "sabotage: the mode check missed: $(diff "$WORK/deb.listing" "$WORK/deb-broken.listing")"

  # lintian: no error, no warning but the allowed ones. It runs as root here
  # and says so on stderr, kept apart from the tags.
  rc=0
  "$LINTIAN" --tag-display-limit 0 "$deb" > "$WORK/lintian.txt" 2> "$WORK/lintian.err" || rc=$?
  echo "== lintian"; cat "$WORK/lintian.txt"
  unexpected=$(lintian_unexpected "$WORK/lintian.txt")
  if [ -n "$unexpected" ]; then fail "lintian: $unexpected"
  elif [ "$rc" != 0 ]; then fail "lintian failed ($rc): $(cat "$WORK/lintian.err")"
  else ok "lintian: no errors, no warnings but $lintian_allowed"; fi
  # Sabotage: another warning is not allowed.
  { cat "$WORK/lintian.txt"; echo "W: wasm-taskwrap: non-standard-file-perm usr/share/doc/wasm-taskwrap/copyright 0664 != 0644"; } \
    > "$WORK/lintian-extra.txt"
  [ -n "$(lintian_unexpected "$WORK/lintian-extra.txt")" ] && ok "sabotage: another lintian warning fails" ||
    fail "sabotage: non-standard-file-perm passed as allowed"
  # Sabotage: the same package without its copyright file is an error.
  raw=$WORK/deb-broken
  rm -rf "$raw" && "$DPKG_DEB" -R "$deb" "$raw"
  rm "$raw/usr/share/doc/wasm-taskwrap/copyright"
  "$DPKG_DEB" --root-owner-group -b "$raw" "$raw.deb" > /dev/null
  "$LINTIAN" --tag-display-limit 0 "$raw.deb" > "$WORK/lintian-broken.txt" 2> /dev/null || true
  grep -q '^E: .* no-copyright-file' "$WORK/lintian-broken.txt" &&
    ok "sabotage: lintian reports a .deb without copyright" ||
    fail "sabotage: lintian missed the missing copyright: $(cat "$WORK/lintian-broken.txt")"

  rm -rf "$root" && "$DPKG_DEB" -x "$deb" "$root"
  usr=$root/usr
  version=$("$DPKG_DEB" -f "$deb" Version)
  for f in bin/wasm-taskwrap bin/wasm-taskwrap-ld include/taskwrap.h lib/libtaskwrap.a \
           lib/cmake/taskwrap/taskwrapConfig.cmake lib/cmake/taskwrap/taskwrapConfigVersion.cmake \
           lib/cmake/taskwrap/taskwrapTargets.cmake lib/cmake/taskwrap/TaskwrapPostLink.cmake \
           lib/pkgconfig/taskwrap.pc share/doc/wasm-taskwrap/copyright \
           share/doc/wasm-taskwrap/changelog.Debian.gz; do
    [ -f "$usr/$f" ] && ok "/usr/$f" || fail "/usr/$f is not in the .deb"
  done
  for d in usage abi output-layout; do
    gz=$usr/share/doc/wasm-taskwrap/$d.md.gz
    if [ -f "$gz" ] && gzip -dc "$gz" | cmp -s - "$SRC/docs/$d.md"; then ok "document $d.md.gz"
    else fail "/usr/share/doc/wasm-taskwrap/$d.md.gz is not docs/$d.md compressed"; fi
  done
  # The copyright file: DEP-5 paths of the sources, libwabt named when linked.
  copyright=$usr/share/doc/wasm-taskwrap/copyright
  ! grep -q '^Files: *usr/' "$copyright" && grep -qx 'Files: \*' "$copyright" &&
    ok "copyright: Files: * (source paths)" || fail "copyright: Files: not of the sources: $(grep '^Files:' "$copyright")"
  if [ -n "$WABT_ARCHIVE" ]; then
    grep -q 'libwabt' "$copyright" && ok "copyright names libwabt" || fail "copyright does not name libwabt"
  else
    ! grep -q 'libwabt' "$copyright" && ok "copyright names no libwabt" || fail "copyright names libwabt, not linked"
  fi
  cmp -s "$SRC/include/taskwrap.h" "$usr/include/taskwrap.h" || fail "the packaged header differs"
  for page in wasm-taskwrap wasm-taskwrap-ld; do
    gz=$usr/share/man/man1/$page.1.gz
    if [ -f "$gz" ] && gzip -dc "$gz" | cmp -s - "$SRC/man/$page.1"; then ok "man page $page.1.gz"
    else fail "/usr/share/man/man1/$page.1.gz is not man/$page.1 compressed"; fi
  done
  [ "$(gzip -dc "$usr/share/doc/wasm-taskwrap/changelog.Debian.gz" | head -n1)" = \
    "wasm-taskwrap ($version) unstable; urgency=medium" ] && ok "changelog names $version" ||
    fail "changelog.Debian.gz does not start with version $version"

  # The packaged tool rewrites the example as the build's own CLI does.
  "$WAT2WASM" --debug-names "$SRC/fixtures/example.wat" -o "$WORK/example.wasm"
  "$usr/bin/wasm-taskwrap" "$WORK/example.wasm" -o "$WORK/example.deb.wasm" ||
    die "the packaged wasm-taskwrap failed on the example"
  "$CLI" "$WORK/example.wasm" -o "$WORK/example.build.wasm"
  "$WASM_VALIDATE" "$WORK/example.deb.wasm"
  ! cmp -s "$WORK/example.wasm" "$WORK/example.deb.wasm" || fail "the example came out unchanged"
  cmp -s "$WORK/example.build.wasm" "$WORK/example.deb.wasm" &&
    ok "the packaged wasm-taskwrap rewrites the example as the build does" ||
    fail "the packaged wasm-taskwrap writes other bytes than the build's"
  [ "$("$usr/bin/wasm-taskwrap" --version)" = "wasm-taskwrap ${version%-*}" ] &&
    ok "--version ${version%-*}" || fail "--version: $("$usr/bin/wasm-taskwrap" --version)"

  # The pkg-config file and the CMake package, relocated under the root.
  pcv=$(PKG_CONFIG_PATH=$usr/lib/pkgconfig "$PKG_CONFIG" --modversion taskwrap)
  [ "$pcv" = "${version%-*}" ] && ok "pkg-config --modversion $pcv" || fail "pkg-config --modversion: $pcv"
  consumer=$WORK/deb-consumer
  rm -rf "$consumer"
  if "$CMAKE" -S "$SRC/tests/install/consumer" -B "$consumer" -DCMAKE_PREFIX_PATH="$usr" \
       -DCMAKE_C_COMPILER="$CC" > "$consumer.log" 2>&1 &&
     "$CMAKE" --build "$consumer" >> "$consumer.log" 2>&1 &&
     [ "$("$consumer/consumer" | tail -n1)" = "consumer: ok" ]; then
    ok "a consumer built with the packaged CMake package"
  else
    cat "$consumer.log"; fail "the consumer of the packaged CMake package"
  fi
  # Where libwabt's CMake package is not found (wabt is only Recommended): a
  # project that only runs the command configures and builds; the consumer,
  # which links the library, fails, and is first told what to install.
  if [ -n "$WABT_ARCHIVE" ]; then
    rm -rf "$consumer-nowabt" "$WORK/tool-only"
    mkdir -p "$WORK/tool-only/src"
    printf '%s\n' 'cmake_minimum_required(VERSION 3.25)' 'project(tool_only NONE)' \
      'find_package(taskwrap 0.1 CONFIG REQUIRED)' \
      'add_custom_target(show ALL COMMAND taskwrap::wasm-taskwrap --version)' \
      > "$WORK/tool-only/src/CMakeLists.txt"
    if "$CMAKE" -S "$WORK/tool-only/src" -B "$WORK/tool-only/b" -DCMAKE_PREFIX_PATH="$usr" \
         -DCMAKE_DISABLE_FIND_PACKAGE_wabt=ON > "$WORK/tool-only.log" 2>&1 &&
       "$CMAKE" --build "$WORK/tool-only/b" >> "$WORK/tool-only.log" 2>&1; then
      ok "without libwabt: a project that only runs the command configures and builds"
    else
      cat "$WORK/tool-only.log"; fail "without libwabt: a project that only runs the command fails"
    fi
    if "$CMAKE" -S "$SRC/tests/install/consumer" -B "$consumer-nowabt" -DCMAKE_PREFIX_PATH="$usr" \
         -DCMAKE_C_COMPILER="$CC" -DCMAKE_DISABLE_FIND_PACKAGE_wabt=ON > "$consumer-nowabt.log" 2>&1; then
      fail "the consumer configured without libwabt"
    else
      said=$(tr -s ' \n' '  ' < "$consumer-nowabt.log")
      if [[ $said == *"built with libwabt"* && $said == *"Debian package wabt"* ]]; then
        ok "without libwabt: linking the library fails, and the message names libwabt and wabt"
      else cat "$consumer-nowabt.log"; fail "without libwabt: not the message naming libwabt and wabt"; fi
    fi
  fi

  # Depends: every library the commands load comes from a package it names.
  depends=$("$DPKG_DEB" -f "$deb" Depends)
  needed_packages "$usr/bin/wasm-taskwrap" "$usr/bin/wasm-taskwrap-ld" > "$WORK/needed.txt" ||
    die "ldd of the packaged commands"
  mapfile -t needed < "$WORK/needed.txt"
  echo "ldd's libraries come from: ${needed[*]}"
  [ ${#needed[@]} -gt 0 ] || die "ldd found no library"
  for pkg in "${needed[@]}"; do [[ $pkg != \?* ]] || fail "no Debian package has ${pkg#\?}"; done
  depends_covers "$depends" "${needed[@]}" && ok "Depends: $depends" || fail "Depends lacks a package"
  # Sabotage: each package taken out of Depends in turn is missed.
  for pkg in "${needed[@]}"; do
    broken=$(without "$pkg" "$depends")
    if ! depends_covers "$broken" "${needed[@]}" > /dev/null; then ok "sabotage: Depends without $pkg is caught"
    else fail "sabotage: Depends without $pkg (\"$broken\") passed the check"; fi
  done
  # libwabt: the library's users link its archive, by the package that has it.
  if [ -n "$WABT_ARCHIVE" ] && wabt_pkg=$(package_of "$WABT_ARCHIVE"); then
    recommends=$("$DPKG_DEB" -f "$deb" Recommends)
    depends_covers "$depends, $recommends" "$wabt_pkg" &&
      ok "$wabt_pkg (libwabt) in Depends or Recommends" ||
      fail "$wabt_pkg, which has $WABT_ARCHIVE, is neither in Depends nor in Recommends"
    # shellcheck disable=SC2016  # dpkg-query's fields, not the shell's
    want=$("$DPKG_QUERY" -W -f='${source:Package} (= ${source:Version})' "$wabt_pkg")
    built_using=$("$DPKG_DEB" -f "$deb" Built-Using)
    [ "$built_using" = "$want" ] && ok "Built-Using: $built_using" ||
      fail "Built-Using is \"$built_using\", not \"$want\""
  else
    skip "libwabt is not from a Debian package"
  fi
  ;;

tgz)
  deb=$(the_file "$deb_dir/*.deb")
  tgz_dir=$WORK/tgz
  make_package TGZ "$tgz_dir"
  tgz=$(the_file "$tgz_dir/*.tar.gz")
  # Files only, relative to the package's prefix (/usr, the top directory).
  "$DPKG_DEB" --fsys-tarfile "$deb" | tar -t | grep -v '/$' | sed 's|^\./usr/||' |
    grep -vxE 'share/doc/wasm-taskwrap/(copyright|changelog\.Debian\.gz)' |
    sed -E 's#^(share/man/.*|share/doc/wasm-taskwrap/.*\.md)\.gz$#\1#' | sort > "$WORK/deb.files"
  tar -tzf "$tgz" > "$WORK/tgz.list"
  grep -v '/$' "$WORK/tgz.list" | sed 's|^[^/]*/||' |
    grep -vxF 'share/doc/wasm-taskwrap/LICENSE' | sort > "$WORK/tgz.files"
  # What the normalisation took out is really there.
  grep -q '/share/doc/wasm-taskwrap/LICENSE$' "$WORK/tgz.list" || fail "no LICENSE in the .tar.gz"
  [ "$(wc -l < "$WORK/tgz.files")" -ge 10 ] || fail "the .tar.gz has too few files: $(cat "$WORK/tgz.files")"
  if diff -u "$WORK/deb.files" "$WORK/tgz.files"; then ok "the .tar.gz has the .deb's $(wc -l < "$WORK/tgz.files") files"
  else fail "the .tar.gz and the .deb hold different files"; fi
  top=$WORK/tgz-root
  rm -rf "$top" && mkdir -p "$top" && tar -xzf "$tgz" -C "$top"
  prefix=$(the_file "$top/*")
  for cmd in wasm-taskwrap wasm-taskwrap-ld; do
    cmp -s "$prefix/bin/$cmd" "$root/usr/bin/$cmd" && ok "bin/$cmd is the .deb's" ||
      fail "bin/$cmd differs from the .deb's"
  done
  "$prefix/bin/wasm-taskwrap" "$WORK/example.wasm" -o "$WORK/example.tgz.wasm"
  cmp -s "$WORK/example.deb.wasm" "$WORK/example.tgz.wasm" && ok "the .tar.gz's tool rewrites the example" ||
    fail "the .tar.gz's tool writes other bytes"
  ;;

*) die "unknown step $step" ;;
esac
summary
