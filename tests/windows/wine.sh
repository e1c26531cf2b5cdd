#!/usr/bin/env bash
# The Windows tests' wine: a private prefix in the build tree, no display, no
# dialogs (no Mono or Gecko installer, no menu entries written into $HOME),
# and no debugger started when a program crashes (its status tells).
#
# Run by ctest as the fixture around every win-* test:
#   wine.sh setup    create or update WINEPREFIX (wineboot -i) and start its
#                    server, kept for 30 s after its last client, so that the
#                    tests, run in parallel, neither race to create the
#                    prefix nor each start a server
#   wine.sh stop     stop that server (wineserver -k)
# Sourced by every tests/windows/*.sh (after tests/lib.sh), it sets the
# environment and defines:
#   wrun EXE ARGS...   EXE (a Unix path to a .exe) under wine64; returns its
#                      exit status; standard streams are the caller's
#   winpath PATH       the Windows spelling of an absolute Unix path
#                      (Z:\..., the drive wineboot maps to /)
#   flip_byte FILE OFFSET   xor one byte of FILE with 1 (the sabotage checks)
# env: TW_WINE (the wine64 loader), TW_WINESERVER, WINEPREFIX.
: "${TW_WINE:?TW_WINE: the wine64 loader}" "${TW_WINESERVER:?}" "${WINEPREFIX:?}"
export WINEPREFIX WINEARCH=win64 WINEDEBUG=-all
export WINEDLLOVERRIDES='mscoree,mshtml=;winemenubuilder.exe,winedbg.exe=d'
# One spelling of file names for both systems: wine reads the Unix side's
# names and arguments in the locale's character set.
export LC_ALL=C.UTF-8
unset DISPLAY WAYLAND_DISPLAY WINEPATH

wrun() {
  "$TW_WINE" "$@"
}

winpath() {
  local p=$1
  printf 'Z:%s' "${p//\//\\}"
}

flip_byte() {
  local b
  b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
  # shellcheck disable=SC2059  # the format is the byte's octal escape
  printf "$(printf '\\%03o' $((b ^ 1)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

wine_setup() {
  mkdir -p "$WINEPREFIX"
  # Persistent first, so that every test finds this server; 2 is "already
  # running" (a previous run's, still within its 30 s): kept.
  local rc=0
  "$TW_WINESERVER" -p30 < /dev/null > /dev/null 2>&1 || rc=$?
  [ "$rc" = 0 ] || [ "$rc" = 2 ] || { echo "FAIL wineserver -p30: exit $rc"; return 1; }
  local log=$WINEPREFIX/../wineboot.log
  if ! "$TW_WINE" wineboot -i > "$log" 2>&1; then
    cat "$log"
    echo "FAIL wineboot -i in $WINEPREFIX"
    return 1
  fi
  [ -d "$WINEPREFIX/drive_c/windows/system32" ] || { echo "FAIL no system32 in $WINEPREFIX"; return 1; }
  [ "$(readlink "$WINEPREFIX/dosdevices/z:")" = / ] ||
    { echo "FAIL drive Z: of $WINEPREFIX is not /"; return 1; }
  echo "ok   wine prefix $WINEPREFIX ($("$TW_WINE" --version))"
}

wine_stop() {
  # Nothing to stop is no failure (the server may have left already).
  "$TW_WINESERVER" -k < /dev/null > /dev/null 2>&1 || true
  echo "ok   wineserver of $WINEPREFIX stopped"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  case "${1:-}" in
    setup) wine_setup ;;
    stop) wine_stop ;;
    *) echo "usage: wine.sh setup|stop" >&2; exit 2 ;;
  esac
fi
