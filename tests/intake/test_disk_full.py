"""A full disk on the server: the PATCH gets 507 storage-full, nothing half-written is
kept, and the upload resumes once there is room again."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from intake_server import IntakeServer
from mediafactory import make_jpeg

from intake.protocol import create_upload, finalise, make_report, patch, put, upload
from intake.test_api import problem

MiB = 1 << 20


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 4 MiB tmpfs (needs root: mount)."""
    mnt = tmp_path / "small"
    mnt.mkdir()
    if os.geteuid() != 0:
        pytest.skip("the full-disk test mounts a small tmpfs and needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mnt)], capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_disk_full_mid_upload(small_disk: Path, campaign_files, tmp_path: Path) -> None:
    photo = make_jpeg(tmp_path / "p.jpg", seed=1)
    big = tmp_path / "big.jpg"
    big.write_bytes(photo.read_bytes()[:3] + os.urandom(6 * MiB))  # JPEG magic, 6 MiB
    srv = IntakeServer(small_disk / "intake", campaign_files=campaign_files)
    with srv:
        token = srv.unit_token()
        report = make_report([photo, big])
        assert put(srv, token, report).status_code == 201
        upload(srv, token, photo)
        loc = create_upload(srv, token, big).headers["Location"]
        data = big.read_bytes()
        body = problem(patch(srv, token, loc, 0, data), 507, "storage-full")
        assert body["title_zh"]
        r = patch(srv, token, loc, 0, b"")  # the server still answers; nothing was kept
        assert r.status_code == 204 and r.headers["Upload-Offset"] == "0"
        subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
        r = patch(srv, token, loc, 0, data)
        assert r.status_code == 204, r.text
        assert finalise(srv, token, report).status_code == 200
