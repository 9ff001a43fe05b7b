"""The tus-front variant on an object store: @tus/server with @tus/s3-store writes the
media into qmintake's bucket (SeaweedFS); the post-finish hook reads the finished object
from the bucket, checks it and files it under its content address — nothing on local disk.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import requests
from intake_server import IntakeServer
from mediafactory import make_jpeg, make_mp4

from intake.conftest import S3_BUCKET, MediaStoreChoice, media_store_choice
from intake.protocol import finalise, make_report, put, sha256_file
from intake.test_node_tus import NODE_DIR
from intake.test_tus_front import SECRET, _node_upload

pytestmark = pytest.mark.node


@pytest.fixture(scope="module")
def front_s3(request: pytest.FixtureRequest, campaign_files, tmp_path_factory):
    if (
        shutil.which("node") is None
        or not (NODE_DIR / "node_modules" / "@tus" / "s3-store").exists()
    ):
        pytest.skip("Node.js with @tus/s3-store in tests/node/node_modules is needed (./qm setup)")
    store: MediaStoreChoice = media_store_choice("s3", request)
    assert store.s3 is not None
    srv = IntakeServer(
        tmp_path_factory.mktemp("front-s3"),
        campaign_files=campaign_files,
        extra_args=[*store.args, "--hook-secret", SECRET],
        env=store.env,
    )
    srv.start()
    proc = subprocess.Popen(
        [
            "node",
            str(NODE_DIR / "tus-front.mjs"),
            f"s3://{S3_BUCKET}",
            srv.url(f"/api/v1/hooks/tusd?secret={SECRET}"),
            store.s3.endpoint,
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=NODE_DIR,
        env={**os.environ, **store.env},
    )
    assert proc.stdout is not None
    port = json.loads(proc.stdout.readline())["port"]
    endpoint = f"http://127.0.0.1:{port}/files/"
    srv.stop()
    srv.extra_args += ["--tus-endpoint", endpoint]
    srv.start()
    try:
        yield srv, endpoint, store
    finally:
        proc.terminate()
        proc.wait(10)
        srv.stop()


def test_s3store_upload_is_checked_and_filed_in_the_bucket(front_s3, tmp_path: Path) -> None:
    srv, endpoint, store = front_s3
    video = make_mp4(tmp_path / "s3front.mp4", seconds=2.0)
    photo = make_jpeg(tmp_path / "s3front.jpg", seed=21)
    token = srv.unit_token()
    report = make_report([photo, video])
    assert put(srv, token, report).json()["upload_url"] == endpoint
    for path in (photo, video):
        events = _node_upload(endpoint, token, path)
        assert events[-1]["event"] == "done", events
        assert store.stored(srv, sha256_file(path)) == path.read_bytes()
    receipt = finalise(srv, token, report).json()
    assert {sha256_file(photo), sha256_file(video)} <= {f["sha256"] for f in receipt["files"]}
    assert not any(p.is_file() for p in (srv.data_dir / "media").rglob("*"))
    assert not any(p.is_file() for p in (srv.data_dir / "uploads").rglob("*"))


def test_s3store_hook_reads_only_qmintakes_bucket(front_s3) -> None:
    srv, _, store = front_s3
    url = srv.url(f"/api/v1/hooks/tusd?secret={SECRET}")

    def finish(storage: dict[str, str]) -> dict:
        event = {"Upload": {"Size": 4, "MetaData": {"sha256": "a" * 64}, "Storage": storage}}
        r = requests.post(url, json={"Type": "post-finish", "Event": event}, timeout=30)
        assert r.status_code == 200
        return json.loads(r.json()["HTTPResponse"]["Body"])

    other = finish({"Type": "s3store", "Bucket": "someone-else", "Key": "x"})
    assert other["code"] == "upload-not-found"
    ours = finish(
        {"Type": "s3store", "Bucket": S3_BUCKET, "Key": f"{store.prefix}media/{'b' * 64}"}
    )
    assert ours["code"] == "upload-not-found"  # never re-files qmintake's own objects
    absent = finish({"Type": "s3store", "Bucket": S3_BUCKET, "Key": "no-such-upload"})
    assert absent["code"] == "upload-not-found"
