#!/usr/bin/env bash
# Builds the Linux bundle: a one-folder program (PyInstaller), desktop integration files
# and a .tar.gz a user unpacks and starts, then runs the bundle's own --self-test.
#
#   packaging/build-linux.sh            (or ./qm bundle)
#
# Output: dist/qmclient-<version>-linux-<arch>.tar.gz, unpacked beside it in build/.
# Uses the Python given as $PYTHON (default: .venv/bin/python); PyInstaller comes from the
# project's "packaging" extra.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=${PYTHON:-$ROOT/.venv/bin/python}
say() { printf '\033[1m[bundle]\033[0m %s\n' "$*" >&2; }

"$PY" -c 'import PyInstaller' 2>/dev/null || {
    say "installing PyInstaller (the packaging extra)"
    "$PY" -m pip install -q -e ".[packaging]"
}
VERSION=$("$PY" -c 'import qmclient; print(qmclient.__version__)')
ARCH=$(uname -m)
NAME=qmclient-$VERSION-linux-$ARCH
STAGE=$ROOT/build/$NAME
ID=org.qmclient.qmclient

say "translations"
BIN=$(dirname "$PY")
for ts in resources/translations/*.ts; do
    [ -e "$ts" ] || continue
    "$BIN/pyside6-lrelease" -silent "$ts" -qm "${ts%.ts}.qm"
done

say "PyInstaller (one folder)"
rm -rf build/pyi build/dist "$STAGE"
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath build/dist --workpath build/pyi packaging/qmclient.spec

say "assembling $NAME"
mkdir -p "$STAGE/share/applications" "$STAGE/share/metainfo" "$STAGE/share/icons"
mv build/dist/qmclient "$STAGE/app"
cp packaging/linux/AppRun packaging/linux/install.sh "$STAGE/"
getconf GNU_LIBC_VERSION | awk '{print $2}' >"$STAGE/glibc-min" # checked by AppRun
cp packaging/linux/$ID.desktop "$STAGE/share/applications/"
cp packaging/linux/$ID.metainfo.xml "$STAGE/share/metainfo/"
"$PY" packaging/render_icons.py "$STAGE/share/icons" >/dev/null
cp "$STAGE/share/icons/hicolor/256x256/apps/qmclient.png" "$STAGE/qmclient.png"
ln -s qmclient.png "$STAGE/.DirIcon"
ln -s share/applications/$ID.desktop "$STAGE/$ID.desktop"
cat > "$STAGE/README.txt" <<EOF
qmclient $VERSION — 质量月活动情况总结报送工具

Start:    ./AppRun            (双击 AppRun 或在终端运行)
Menu:     ./install.sh        (adds it to the application menu; --uninstall removes it)
Check:    ./AppRun --self-test
Backup:   ./AppRun backup ~/qmclient-备份.zip
EOF

say "checking the metadata"
if command -v appstreamcli >/dev/null; then
    appstreamcli validate --no-net "$STAGE/share/metainfo/$ID.metainfo.xml" >/dev/null
fi
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$STAGE/share/applications/$ID.desktop"
fi

say "self-test of the bundle"
env -u PYTHONPATH -u VIRTUAL_ENV QT_QPA_PLATFORM=offscreen "$STAGE/AppRun" --self-test

mkdir -p dist
tar -C build -czf "dist/$NAME.tar.gz" "$NAME"
say "dist/$NAME.tar.gz ($(du -h "dist/$NAME.tar.gz" | cut -f1); unpacked $(du -sh "$STAGE" | cut -f1))"
