"""The Linux bundle: its metadata (fast) and a full build plus self-test (slow)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

import qmclient

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
ID = "org.qmclient.qmclient"


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstreamcli not installed")
def test_appstream_metadata_is_valid() -> None:
    done = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(LINUX / f"{ID}.metainfo.xml")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    text = (LINUX / f"{ID}.metainfo.xml").read_text(encoding="utf-8")
    assert f'<release version="{qmclient.__version__}"' in text  # bump it with the version


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="no desktop-file-utils")
def test_desktop_file_is_valid() -> None:
    done = subprocess.run(
        ["desktop-file-validate", str(LINUX / f"{ID}.desktop")], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_icons_render_at_every_size(tmp_path: Path) -> None:
    from PIL import Image

    subprocess.run(
        [_python(), str(ROOT / "packaging" / "render_icons.py"), str(tmp_path)],
        check=True,
        capture_output=True,
    )
    for size in (16, 32, 48, 128, 256, 512):
        png = tmp_path / "hicolor" / f"{size}x{size}" / "apps" / "qmclient.png"
        with Image.open(png) as im:
            assert im.size == (size, size)
            alpha = im.getchannel("A")
            assert alpha.getextrema() == (0, 255)  # transparent corners, opaque tile


def _python() -> str:
    import sys

    return sys.executable


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_build_unpack_and_self_test_the_bundle(tmp_path: Path) -> None:
    build = subprocess.run(
        [str(ROOT / "packaging" / "build-linux.sh")],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHON": _python()},
        timeout=1700,
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    assert "自检通过" in build.stdout or "self-test passed" in build.stdout
    archives = sorted((ROOT / "dist").glob(f"qmclient-{qmclient.__version__}-linux-*.tar.gz"))
    assert archives
    with tarfile.open(archives[-1]) as tar:
        tar.extractall(tmp_path, filter="tar")
    (folder,) = tmp_path.iterdir()
    internal = folder / "app" / "_internal"
    assert (internal / "resources" / "campaigns").is_dir()
    assert (internal / "forms" / "first_run_wizard.ui").is_file()
    assert list((internal / "qmclient" / "store" / "migrations" / "versions").glob("0001_*.py"))
    for left_out in ("qmintake", "fastapi", "uvicorn", "pytest", "numpy"):
        assert not (internal / left_out).exists(), left_out
    assert (folder / "share" / "icons" / "hicolor" / "48x48" / "apps" / "qmclient.png").is_file()

    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "VIRTUAL_ENV", "XDG_DATA_HOME")
    }
    env.update(QT_QPA_PLATFORM="offscreen", PATH="/usr/bin:/bin", HOME=str(tmp_path / "home"))
    data = tmp_path / "home" / "data"
    run = lambda *a: subprocess.run(  # noqa: E731
        [str(folder / "AppRun"), "--lang", "zh", *a],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    done = run("--self-test")
    assert done.returncode == 0, done.stdout + done.stderr
    assert run("--data-dir", str(data), "new").returncode == 0
    assert run("--data-dir", str(data), "backup", str(tmp_path / "b.zip")).returncode == 0
    restored = run("--data-dir", str(tmp_path / "r"), "restore", str(tmp_path / "b.zip"))
    assert restored.returncode == 0 and "已恢复 1 份报告" in restored.stdout

    home = tmp_path / "home"
    inst = subprocess.run([str(folder / "install.sh")], capture_output=True, text=True, env=env)
    assert inst.returncode == 0, inst.stderr
    desktop = home / ".local" / "share" / "applications" / f"{ID}.desktop"
    assert str(folder / "AppRun") in desktop.read_text(encoding="utf-8")
    assert (home / ".local" / "bin" / "qmclient").resolve() == (folder / "AppRun").resolve()
    subprocess.run(
        [str(folder / "install.sh"), "--uninstall"], check=True, env=env, capture_output=True
    )
    assert not desktop.exists()
