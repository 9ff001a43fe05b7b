#!/usr/bin/env bash
# Cross-builds the Windows installer on Debian: the one-folder program with PyInstaller
# on the official Windows CPython under Wine (the spec the Linux bundle uses), checked with
# its own --self-test, then packed by NSIS into a per-user setup.exe.
#
#   packaging/windows/build.sh            (or ./qm bundle-windows)
#
# Output: dist/qmclient-<version>-windows-x64-setup.exe; the program folder stays in
# build/windist/qmclient.  Needs wine64, nsis, osslsigncode and gcc-mingw-w64-x86-64
# (Debian packages; a missing one is named) and the network for PyPI on first use.
set -euo pipefail
cd "$(dirname "$0")/../.."
WIN_TOOLS=(makensis)
# shellcheck source=prefix.sh
. packaging/windows/prefix.sh
START=$(date +%s)

prepare_prefix
VERSION=$("$HOST_PY" -c 'import qmclient; print(qmclient.__version__)')
SETUP=dist/qmclient-$VERSION-windows-x64-setup.exe

wsay "translations and icon"
BIN=$(dirname "$HOST_PY")
for ts in resources/translations/*.ts; do
    [ -e "$ts" ] || continue
    "$BIN/pyside6-lrelease" -silent "$ts" -qm "${ts%.ts}.qm"
done
QT_QPA_PLATFORM=offscreen "$HOST_PY" packaging/render_icons.py --ico packaging/windows/qmclient.ico >/dev/null

wsay "version resource"
mkdir -p build/win
IFS=. read -r V1 V2 V3 <<<"$VERSION"
cat >build/win/version.txt <<VER
VSVersionInfo(
  ffi=FixedFileInfo(filevers=($V1, $V2, ${V3:-0}, 0), prodvers=($V1, $V2, ${V3:-0}, 0)),
  kids=[StringFileInfo([StringTable('080404b0', [
    StringStruct('CompanyName', 'qmclient'),
    StringStruct('FileDescription', '质量月活动总结报送'),
    StringStruct('FileVersion', '$VERSION'),
    StringStruct('InternalName', 'qmclient'),
    StringStruct('LegalCopyright', 'MIT License'),
    StringStruct('OriginalFilename', 'qmclient.exe'),
    StringStruct('ProductName', '质量月活动总结报送 (qmclient)'),
    StringStruct('ProductVersion', '$VERSION')])]),
    VarFileInfo([VarStruct('Translation', [2052, 1200])])]
)
VER

wsay "PyInstaller under Wine (one folder; about 3 minutes)"
rm -rf build/windist build/winpyi
QM_VERSION_FILE=$(win_path build/win/version.txt) win_python -X utf8 -m PyInstaller \
    --noconfirm --clean --log-level WARN \
    --distpath "$(win_path build/windist)" --workpath "$(win_path build/winpyi)" \
    "$(win_path packaging/qmclient.spec)" | grep -v "^$" | tail -20 ||
    wdie "PyInstaller failed under Wine (output above)"
APP=build/windist/qmclient
[ -f "$APP/qmclient.exe" ] && [ -f "$APP/qmclient-cli.exe" ] || wdie "PyInstaller made no qmclient.exe"
ls "$APP"/_internal/PySide6/plugins/platforms/qoffscreen.dll >/dev/null 2>&1 ||
    wdie "the bundle has no Qt plugins (a PySide6 that needs Windows' ICU?); use $PYSIDE_WINDOWS"

wsay "self-test of the program under Wine (offscreen)"
SELFTEST_DATA=$(mktemp -d)
set +e
WINEDEBUG=-all QT_QPA_PLATFORM=offscreen "$WINE" "$APP/qmclient-cli.exe" \
    --data-dir "$(win_path "$SELFTEST_DATA")" --self-test </dev/null 2>&1 | cat
rc=${PIPESTATUS[0]}
set -e
rm -rf "$SELFTEST_DATA"
[ "$rc" -eq 0 ] || wdie "the Windows program's self-test failed (exit $rc)"

wsay "installer (NSIS)"
mkdir -p dist
makensis -V2 -INPUTCHARSET UTF8 -DVERSION="$VERSION" -DSRCDIR="$(cd "$APP" && pwd)" \
    -DOUTFILE="$(pwd)/$SETUP" packaging/windows/qmclient.nsi
wsay "$SETUP ($(du -h "$SETUP" | cut -f1); program folder $(du -sh "$APP" | cut -f1)); built in $(($(date +%s) - START)) s"
