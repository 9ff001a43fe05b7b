"""Two API replicas sharing one PostgreSQL database and one data folder, as behind a
load balancer: an upload started on one continues on the other, one writer at a time."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from intake_server import IntakeServer
from mediafactory import make_jpeg, make_mp4

from intake.protocol import (
    create_upload,
    finalise,
    make_report,
    patch,
    put,
    sha256_file,
    stored_path,
    tus,
    upload,
)
from intake.test_api import problem


@pytest.fixture
def replicas(backend: str, campaign_files, tmp_path: Path):
    if not backend:
        pytest.skip("replicas share a PostgreSQL database; SQLite is for one process")
    shared = tmp_path / "shared"
    a = IntakeServer(shared, db_url=backend, campaign_files=campaign_files)
    b = IntakeServer(shared, db_url=backend, campaign_files=campaign_files)
    a.start()
    b.start()
    try:
        yield a, b
    finally:
        a.stop()
        b.stop()


def _on(srv: IntakeServer, location: str) -> str:
    """The same upload, reached through another replica (what a load balancer does)."""
    return srv.url("/api/v1/uploads/" + location.rsplit("/", 1)[1])


def test_upload_moves_between_replicas(replicas, tmp_path: Path) -> None:
    import requests

    a, b = replicas
    video = make_mp4(tmp_path / "r.mp4", seconds=2.0)
    photo = make_jpeg(tmp_path / "r.jpg", seed=3)
    token = a.unit_token()
    report = make_report([photo, video])
    assert put(a, token, report).status_code == 201
    assert put(b, token, report).status_code == 200  # the same answer from the other one
    upload(b, token, photo)
    data = video.read_bytes()
    loc = create_upload(a, token, video).headers["Location"]
    half = len(data) // 2
    assert patch(a, token, loc, 0, data[:half]).status_code == 204
    head = requests.head(_on(b, loc), headers=tus(token), timeout=10)
    assert head.headers["Upload-Offset"] == str(half)
    # B holds the upload; a PATCH through A at the same moment is refused, not mixed in
    gate = threading.Event()

    def slow():
        yield data[half : half + 100]
        gate.wait(10)
        yield data[half + 100 :]

    results = []
    t = threading.Thread(target=lambda: results.append(patch(b, token, _on(b, loc), half, slow())))
    t.start()
    part = b.data_dir / "uploads" / (loc.rsplit("/", 1)[1] + ".part")
    deadline = time.monotonic() + 20
    while part.stat().st_size <= half:  # until B writes the held PATCH's first bytes
        assert time.monotonic() < deadline, "the PATCH through B never reached the disk"
        time.sleep(0.01)  # a poll's interval
    clash = patch(a, token, loc, half, data[half:])
    gate.set()
    t.join(30)
    assert clash.status_code in (409, 423)
    assert clash.json()["code"] in ("upload-locked", "upload-offset-mismatch")
    assert results[0].status_code == 204, results[0].text
    assert sha256_file(stored_path(a, sha256_file(video))) == sha256_file(video)
    receipt = finalise(a, token, report).json()
    assert finalise(b, token, report).json() == receipt
    problem(patch(a, token, loc, len(data), b"x"), 409, "upload-offset-mismatch")
