"""Fixtures for the shipping tests: disks that are read-only or nearly full."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest


@pytest.fixture
def read_only_dir(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A folder that cannot be written: a read-only tmpfs as root, else chmod 0500."""
    ro = tmp_path / "ro"
    ro.mkdir()
    if os.geteuid() == 0:
        proc = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(ro)], capture_output=True
        )
        if proc.returncode != 0:
            pytest.skip("cannot mount a read-only tmpfs here")
        yield ro
        subprocess.run(["umount", "-l", str(ro)], check=False)
    else:
        ro.chmod(0o500)
        yield ro
        ro.chmod(0o700)


@pytest.fixture
def small_disk(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A 3 MiB tmpfs (needs root); skipped where it cannot be mounted."""
    mnt = tmp_path / "small"
    mnt.mkdir()
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mnt)], capture_output=True
    )
    if proc.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], check=False)


@pytest.fixture
def small_tmpfs(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A small tmpfs that the test may remount read-only (needs root)."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=20m", "tmpfs", str(mnt)], capture_output=True
    )
    if proc.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], check=False)


@pytest.fixture(scope="module")
def good_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A backup of a data folder with two drafts and their photos."""
    from backupdata import filled

    from qmclient.services.backup import create_backup

    tmp = tmp_path_factory.mktemp("good")
    filled(tmp / "src", tmp, n=2)
    return create_backup(tmp / "src", tmp / "good.zip").archive
