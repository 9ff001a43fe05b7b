"""The scaling path: the official tus server takes the media and asks qmintake's hooks.

@tus/server with its file store stands in for tusd or @tus/server with an S3 store: the
client uploads to it with tus-js-client, the front server asks qmintake (pre-create:
token and manifest; post-finish: verify and record), and finalise gives the receipt.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import requests
from intake_server import IntakeServer
from mediafactory import make_jpeg, make_mp4

from intake.protocol import auth, finalise, make_report, put, sha256_file, stored_path, upload
from intake.test_node_tus import NODE_DIR

pytestmark = pytest.mark.node
SECRET = "hook-secret-for-tests"


@pytest.fixture(scope="module")
def front(backend: str, campaign_files, tmp_path_factory: pytest.TempPathFactory):
    if shutil.which("node") is None or not (NODE_DIR / "node_modules" / "@tus").exists():
        pytest.skip("Node.js with tests/node/node_modules is needed (./qm setup)")
    tmp_path = tmp_path_factory.mktemp("front")
    store = tmp_path / "tus-store"
    store.mkdir()
    srv = IntakeServer(
        tmp_path / "intake",
        db_url=backend,
        campaign_files=campaign_files,
        extra_args=["--hook-secret", SECRET, "--tus-store-dir", str(store)],
    )
    srv.start()
    proc = subprocess.Popen(
        [
            "node",
            str(NODE_DIR / "tus-front.mjs"),
            str(store),
            srv.url(f"/api/v1/hooks/tusd?secret={SECRET}"),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=NODE_DIR,
    )
    assert proc.stdout is not None
    port = json.loads(proc.stdout.readline())["port"]
    endpoint = f"http://127.0.0.1:{port}/files/"
    srv.stop()
    srv.extra_args += ["--tus-endpoint", endpoint]
    srv.start()  # same port: now it announces the front server for uploads
    try:
        yield srv, endpoint
    finally:
        proc.terminate()
        proc.wait(10)
        srv.stop()


def _node_upload(endpoint: str, token: str, path: Path) -> list[dict]:
    done = subprocess.run(
        [
            "node",
            str(NODE_DIR / "tus-upload.mjs"),
            endpoint,
            token,
            str(path),
            sha256_file(path),
            "--chunk",
            "65536",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=NODE_DIR,
    )
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def test_front_tus_server_with_hooks(front, tmp_path: Path) -> None:
    srv, endpoint = front
    assert requests.get(srv.url("/api/v1"), timeout=10).json()["tus"]["endpoint"] == endpoint
    video = make_mp4(tmp_path / "front.mp4", seconds=2.0)
    photo = make_jpeg(tmp_path / "front.jpg", seed=12)
    token = srv.unit_token()
    report = make_report([photo, video])
    answer = put(srv, token, report).json()
    assert answer["upload_url"] == endpoint
    upload(srv, token, photo)  # qmintake's own tus endpoint still works beside it
    events = _node_upload(endpoint, token, video)
    assert events[-1]["event"] == "done", events
    assert sha256_file(stored_path(srv, sha256_file(video))) == sha256_file(video)
    receipt = finalise(srv, token, report).json()
    assert sha256_file(video) in {f["sha256"] for f in receipt["files"]}


def test_front_refuses_what_qmintake_refuses(front, tmp_path: Path) -> None:
    srv, endpoint = front
    stray = make_mp4(tmp_path / "stray.mp4", seconds=1.0)
    token = srv.unit_token()
    events = _node_upload(endpoint, token, stray)  # no submission lists it
    assert events[-1]["event"] == "error"
    assert "upload-not-in-manifest" in events[-1]["message"]
    events = _node_upload(endpoint, "qmt_wrong", stray)
    assert events[-1]["event"] == "error" and "token-invalid" in events[-1]["message"]


def test_hook_endpoint_guards(front) -> None:
    srv, _ = front
    url = srv.url("/api/v1/hooks/tusd")
    body = {"Type": "pre-create", "Event": {"Upload": {"Size": 1, "MetaData": {}}}}
    assert requests.post(url, json=body, timeout=10).status_code == 401
    assert requests.post(url + "?secret=nope", json=body, timeout=10).status_code == 401
    r = requests.post(url + f"?secret={SECRET}", json=body, timeout=10)
    assert r.status_code == 200 and r.json()["RejectUpload"] is True
    finish = {
        "Type": "post-finish",
        "Event": {
            "Upload": {
                "Size": 4,
                "MetaData": {"sha256": "a" * 64},
                "Storage": {"Type": "filestore", "Path": "/etc/passwd"},
            }
        },
    }
    r = requests.post(url + f"?secret={SECRET}", json=finish, timeout=10)
    problem = json.loads(r.json()["HTTPResponse"]["Body"])
    assert problem["code"] == "upload-not-found"  # nothing outside the tus store is read
    assert requests.get(srv.url("/api/v1/whoami"), headers=auth("x"), timeout=10).status_code == 401
