#!/usr/bin/env bash
# Screenshots of the Windows installer's and uninstaller's pages, under Wine on Xvfb, and
# of the installed program's main window (a report made through its command line, the
# window drawn offscreen by `qmclient-cli.exe --self-test --screenshot FILE`), into
# docs/screenshots/windows-*.png.
#
#   scripts/screenshots_windows.sh        (after ./qm bundle-windows; needs xvfb, xdotool,
#                                           imagemagick)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WIN_TOOLS=()
# shellcheck source=../packaging/windows/prefix.sh
. packaging/windows/prefix.sh
find_wine
VERSION=$("$HOST_PY" -c 'import qmclient; print(qmclient.__version__)')
SETUP=$ROOT/dist/qmclient-$VERSION-windows-x64-setup.exe
[ -f "$SETUP" ] || wdie "build the installer first: ./qm bundle-windows"
OUT=$ROOT/docs/screenshots
WORK=$(mktemp -d)
export WINEPREFIX=$WORK/prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
DISPLAY_NO=:57
Xvfb $DISPLAY_NO -screen 0 900x640x24 -nolisten tcp >/dev/null 2>&1 &
XVFB=$!
cleanup() {
    "$WINESERVER" -k 2>/dev/null || true
    kill "$XVFB" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
export DISPLAY=$DISPLAY_NO
"$WINE" wineboot -i </dev/null >/dev/null 2>&1 || true
"$WINE" winecfg -v win10 </dev/null >/dev/null 2>&1
"$WINESERVER" -w
cp "$WIN_CACHE/bcryptprimitives.dll" "$WINEPREFIX/drive_c/windows/system32/"
# Chinese in the installer's dialogs and the program's window: Wine has no 宋体 (SimSun)
# or 微软雅黑 (Microsoft YaHei), which every Chinese Windows has in C:\Windows\Fonts;
# Debian's Noto CJK stands in, in this prefix only.
ln -sf /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc "$WINEPREFIX/drive_c/windows/Fonts/"
for face in 宋体 SimSun "Microsoft YaHei" "MS Shell Dlg" "MS Shell Dlg 2" Tahoma; do
    "$WINE" reg add 'HKCU\Software\Wine\Fonts\Replacements' /v "$face" /d "Noto Sans CJK SC" /f \
        </dev/null >/dev/null 2>&1
done

shot() { # NAME TITLE: wait for the installer's window, then grab it
    local wid
    wid=$(xdotool search --sync --onlyvisible --name "$2" | head -1)
    xdotool sleep 2 # the page's controls are drawn after the window appears
    import -window "$wid" "$OUT/windows-$1.png"
    wsay "docs/screenshots/windows-$1.png"
}
page() { # TITLE: "next" (Return) on the installer's window
    local wid
    wid=$(xdotool search --onlyvisible --name "$1" | head -1)
    xdotool windowfocus --sync "$wid" key --clearmodifiers Return
}

"$WINE" "$SETUP" </dev/null >/dev/null 2>&1 &
shot setup-1-welcome "安装"
page "安装"
shot setup-2-folder "安装"
page "安装"
shot setup-3-installing "安装"
INSTDIR=$WINEPREFIX/drive_c/users/$(whoami)/AppData/Local/Programs/qmclient
timeout 600 bash -c "until [ -f '$INSTDIR/uninstall.exe' ]; do sleep 1; done" # the last step
shot setup-4-finish "安装"
"$WINESERVER" -k || true

# the program's window, in Chinese, with a report made through its command line
cli() { QT_QPA_PLATFORM=offscreen QMCLIENT_LANG=zh_CN "$WINE" "$INSTDIR/qmclient-cli.exe" "$@" </dev/null 2>&1 | cat; }
cli profile --name 济南某某有限公司 --kind enterprise --district 历下区 \
    --credit-code 91350100M000100Y43 --contact-person 张三 --phone 0531-82568852
cli new --title "2022年质量月活动总结"
printf '%s' "我公司围绕“质量月”活动主题，组织开展了质量知识竞赛、质量开放日和质量改进成果发布等活动，全员参与，效果良好。" >"$WORK/summary.txt"
cli set 1 "summary=@$(win_path "$WORK/summary.txt")"
cli activity add 1 --focus 1 --name 质量月启动仪式 --start 2022-09-01 --participants 120 \
    --description 举行启动仪式
convert -size 640x480 gradient:'#2f6db5-#d9342b' "$WORK/启动仪式.jpg"
cli attach 1 "$(win_path "$WORK/启动仪式.jpg")" --caption 启动仪式现场 --activity 1
DATA=$WINEPREFIX/drive_c/users/$(whoami)/AppData/Roaming/qmclient
cli --data-dir "$(win_path "$DATA")" --self-test --screenshot "$(win_path "$OUT/windows-app-main-zh_CN.png")" | tee "$WORK/selftest.txt"
grep -q 自检通过 "$WORK/selftest.txt" || wdie "the program's self-test failed under Wine"
wsay "docs/screenshots/windows-app-main-zh_CN.png"
"$WINE" "$INSTDIR/uninstall.exe" </dev/null >/dev/null 2>&1 &
shot uninstall-1-confirm "卸载"
page "卸载"
shot uninstall-2-keep-data "卸载"
"$WINESERVER" -k || true
