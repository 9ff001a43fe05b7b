#!/bin/sh
# Adds qmclient to this user's application menu (no administrator rights needed):
#   ./install.sh              menu entry, icons and the `qmclient` command in ~/.local/bin
#   ./install.sh --uninstall  removes them again (your data is not touched)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=${XDG_DATA_HOME:-$HOME/.local/share}
BIN=$HOME/.local/bin
ID=org.qmclient.qmclient
if [ "${1:-}" = "--uninstall" ]; then
    rm -f "$DATA/applications/$ID.desktop" "$DATA/metainfo/$ID.metainfo.xml" "$BIN/qmclient"
    find "$DATA/icons/hicolor" -name qmclient.png -o -name qmclient.svg 2>/dev/null | grep '/apps/' | xargs rm -f
    echo "qmclient removed from the menu. Your data folder was left as it is."
    exit 0
fi
mkdir -p "$DATA/applications" "$DATA/metainfo" "$BIN"
cp -R "$HERE/share/icons/hicolor" "$DATA/icons/" 2>/dev/null || { mkdir -p "$DATA/icons"; cp -R "$HERE/share/icons/hicolor" "$DATA/icons/"; }
cp "$HERE/share/metainfo/$ID.metainfo.xml" "$DATA/metainfo/"
sed "s|^Exec=.*|Exec=\"$HERE/AppRun\"|; s|^TryExec=.*|TryExec=$HERE/AppRun|" \
    "$HERE/share/applications/$ID.desktop" > "$DATA/applications/$ID.desktop"
ln -sf "$HERE/AppRun" "$BIN/qmclient"
command -v update-desktop-database >/dev/null && update-desktop-database -q "$DATA/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$DATA/icons/hicolor" || true
echo "qmclient is in the application menu (Office). Command: $BIN/qmclient"
