"""tus-js-client (Node), an independent tus client, uploads to qmintake and resumes."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import requests
from intake_server import IntakeServer
from mediafactory import make_jpeg, make_mp4

from intake.protocol import finalise, make_report, put, sha256_file, stored_path, upload

NODE_DIR = Path(__file__).resolve().parents[1] / "node"
pytestmark = pytest.mark.node


@pytest.fixture(scope="module")
def node() -> str:
    exe = shutil.which("node")
    if exe is None:
        pytest.skip("Node.js is not installed: the tus-js-client tests need it")
    if not (NODE_DIR / "node_modules" / "tus-js-client").exists():
        pytest.skip("tests/node/node_modules is missing: run `./qm setup` (npm install)")
    return exe


def _run(
    node: str, srv: IntakeServer, token: str, path: Path, *args: str, timeout: float = 120
) -> list[dict]:
    done = subprocess.run(
        [
            node,
            str(NODE_DIR / "tus-upload.mjs"),
            srv.url("/api/v1/uploads/"),
            token,
            str(path),
            sha256_file(path),
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=NODE_DIR,
    )
    events = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert events, done.stderr
    return events


@pytest.fixture
def video_case(server: IntakeServer, tmp_path: Path):
    video = make_mp4(tmp_path / "活动视频.mp4", seconds=3.0, size=(640, 480))
    photo = make_jpeg(tmp_path / "p.jpg", seed=77)
    token = server.unit_token()
    report = make_report([photo, video])
    assert put(server, token, report).status_code == 201
    upload(server, token, photo)
    return token, video, report


def test_tus_js_client_upload_stops_and_resumes(
    node: str, server: IntakeServer, video_case
) -> None:
    token, video, report = video_case
    size = video.stat().st_size
    chunk = max(16 * 1024, size // 8)
    first = _run(node, server, token, video, "--chunk", str(chunk), "--stop-after", str(chunk))
    stopped = next(e for e in first if e["event"] == "stopped")
    assert 0 < stopped["sent"] < size
    assert not stored_path(server, sha256_file(video)).exists()
    second = _run(node, server, token, video, "--chunk", str(chunk), "--resume", stopped["url"])
    assert second[-1]["event"] == "done", second
    assert not any(e["event"] == "created" and e["url"] != stopped["url"] for e in second)
    progress = [e["sent"] for e in second if e["event"] == "progress"]
    assert progress[0] > stopped["sent"]  # it resumed, it did not start over
    assert sha256_file(stored_path(server, sha256_file(video))) == sha256_file(video)
    assert finalise(server, token, report).status_code == 200


def test_tus_js_client_survives_server_kill(
    node: str, backend: str, campaign_files, tmp_path: Path
) -> None:
    srv = IntakeServer(tmp_path / "srv", db_url=backend, campaign_files=campaign_files)
    with srv:
        video = make_mp4(tmp_path / "kill.mp4", seconds=4.0, size=(640, 480))
        photo = make_jpeg(tmp_path / "kp.jpg", seed=78)
        token = srv.unit_token()
        report = make_report([photo, video])
        assert put(srv, token, report).status_code == 201
        upload(srv, token, photo)
        size = video.stat().st_size
        chunk = max(16 * 1024, size // 12)
        proc = subprocess.Popen(
            [
                node,
                str(NODE_DIR / "tus-upload.mjs"),
                srv.url("/api/v1/uploads/"),
                token,
                str(video),
                sha256_file(video),
                "--chunk",
                str(chunk),
                "--retries",
            ],
            stdout=subprocess.PIPE,
            text=True,
            cwd=NODE_DIR,
        )
        assert proc.stdout is not None
        events = []
        for line in proc.stdout:
            events.append(json.loads(line))
            if events[-1]["event"] == "progress" and events[-1]["sent"] >= 2 * chunk:
                break
        srv.kill()
        time.sleep(0.5)  # down for a moment, as a crashed server is (not a wait)
        srv.start()  # same port, same data: the client's retries find it again
        for line in proc.stdout:
            events.append(json.loads(line))
        proc.wait(60)
        assert events[-1]["event"] == "done", events
        created = [e for e in events if e["event"] == "created"]
        assert len(created) == 1  # one upload, resumed; never started again
        assert sha256_file(stored_path(srv, sha256_file(video))) == sha256_file(video)
        receipt = finalise(srv, token, report).json()
        assert sha256_file(video) in {f["sha256"] for f in receipt["files"]}
        r = requests.get(srv.url("/api/v1"), timeout=10)
        assert r.status_code == 200
