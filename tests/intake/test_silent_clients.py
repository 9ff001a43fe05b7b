"""#15 item 1: a silent client never locks its upload.

A client frozen with SIGSTOP in the middle of a PATCH body, and a proxy that stalls
without closing, leave the server waiting for bytes that do not come.  The server ends
such a request after ``--body-timeout`` seconds, keeps what it received and releases the
upload's lease; the next sync of the same file (qmclient's own tus uploader) resumes from
there and finishes well within two minutes.  Run on the data folder and on SeaweedFS.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
import requests
from intake_server import IntakeServer
from mediafactory import make_jpeg
from netfault import Fault, FaultPlan, FaultProxy

from intake.conftest import MediaStoreChoice
from intake.protocol import auth, create_upload, make_report, put, sha256_file, tus
from qmclient.sync.backoff import Backoff
from qmclient.sync.errors import SyncError
from qmclient.sync.filechunks import UploadTarget
from qmclient.sync.http import HttpClient
from qmclient.sync.resume import MemoryResume, ResumePoint
from qmclient.sync.tus import TusUploader

BODY_TIMEOUT = 3
LEASE = 6
MIB = 1024 * 1024


def big_jpeg(path: Path, mib: int, seed: int = 1) -> Path:
    """A JPEG head followed by random bytes: ``mib`` MiB, spanning several S3 parts."""
    make_jpeg(path, seed=seed)
    with path.open("ab") as f:
        f.write(os.urandom(mib * MIB))
    return path


@pytest.fixture
def srv(media_store: MediaStoreChoice, campaign_files, tmp_path: Path):
    server = IntakeServer(
        tmp_path / "intake",
        campaign_files=campaign_files,
        extra_args=[
            *media_store.args,
            "--body-timeout",
            str(BODY_TIMEOUT),
            "--lease-seconds",
            str(LEASE),
        ],
        env=media_store.env,
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


FROZEN_CLIENT = textwrap.dedent(
    """
    import socket, sys
    host, port, path, token, offset, total, path_file, send = sys.argv[1:9]
    offset, total, send = int(offset), int(total), int(send)
    s = socket.create_connection((host, int(port)))
    head = (
        f"PATCH {path} HTTP/1.1\\r\\nHost: {host}:{port}\\r\\nTus-Resumable: 1.0.0\\r\\n"
        f"Authorization: Bearer {token}\\r\\n"
        "Content-Type: application/offset+octet-stream\\r\\n"
        f"Upload-Offset: {offset}\\r\\nContent-Length: {total - offset}\\r\\n\\r\\n"
    )
    s.sendall(head.encode())
    with open(path_file, "rb") as f:
        f.seek(offset)
        s.sendall(f.read(send))
    print("sent", flush=True)
    sys.stdin.read()  # frozen with SIGSTOP before it gets here
    """
)


def _uploader(srv: IntakeServer, token: str) -> TusUploader:
    return TusUploader(
        HttpClient(),
        srv.url("/api/v1/uploads/"),
        headers=auth(token),
        chunk_size=8 * MIB,
        backoff=Backoff(base_s=0.2, cap_s=2.0),
        max_stalls=60,
    )


def _prepare(srv: IntakeServer, tmp_path: Path, mib: int) -> tuple[str, Path, str]:
    photo = big_jpeg(tmp_path / "big.jpg", mib)
    token = srv.unit_token()
    assert put(srv, token, make_report([photo])).status_code == 201
    r = create_upload(srv, token, photo)
    assert r.status_code == 201, r.text
    return token, photo, r.headers["Location"]


def _resume_with_qmclient(srv: IntakeServer, token: str, photo: Path, location: str) -> float:
    """Another sync of the same file, as the outbox runs it: a run that finds the upload
    still locked (``upload-locked``: the frozen request's lease has not ended yet) gives up
    at once and the next run comes after the server's ``Retry-After`` (or a second);
    returns how long it took until the file was finished."""
    resume = MemoryResume()
    resume.save(ResumePoint(location, 0, None))
    target = UploadTarget(photo, photo.stat().st_size, sha256_file(photo), photo.name)
    started = time.monotonic()
    while True:
        try:
            assert _uploader(srv, token).upload(target, resume) == location
            return time.monotonic() - started
        except SyncError as exc:
            if exc.code != "upload-locked" or time.monotonic() - started > 120:
                raise
            time.sleep(min(exc.retry_after or 1.0, 5.0))  # the outbox's wait for this report


def _offset(srv: IntakeServer, token: str, location: str) -> int:
    head = requests.head(location, headers=tus(token), timeout=10)
    return int(head.headers["Upload-Offset"])


def test_frozen_client_does_not_lock_its_upload(
    srv: IntakeServer, media_store: MediaStoreChoice, tmp_path: Path
) -> None:
    token, photo, location = _prepare(srv, tmp_path, 20)
    sent = 17 * MIB + 5  # two whole S3 parts and a tail
    path = "/api/v1/uploads/" + location.rsplit("/", 1)[1]
    args = ["127.0.0.1", str(srv.port), path, token, "0", str(photo.stat().st_size)]
    client = subprocess.Popen(
        [sys.executable, "-c", FROZEN_CLIENT, *args, str(photo), str(sent)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert client.stdout is not None and client.stdout.readline().strip() == "sent"
        client.send_signal(signal.SIGSTOP)  # the laptop lid closes mid-upload
        # while the frozen request holds the lease, a PATCH is refused, not mixed in
        clash = requests.patch(
            location,
            data=b"x",
            headers=tus(token, **{"Content-Type": "application/offset+octet-stream"})
            | {"Upload-Offset": "0"},
            timeout=30,
        )
        assert clash.status_code in (409, 423), clash.text
        deadline = time.monotonic() + BODY_TIMEOUT + 30
        while _offset(srv, token, location) < sent and time.monotonic() < deadline:
            time.sleep(0.2)  # the server ends the silent request and keeps every byte
        assert _offset(srv, token, location) == sent
        took = _resume_with_qmclient(srv, token, photo, location)
        assert took < 120, f"the resume took {took:.0f} s"
        assert _offset(srv, token, location) == photo.stat().st_size
        assert media_store.stored(srv, sha256_file(photo)) == photo.read_bytes()
    finally:
        client.send_signal(signal.SIGCONT)
        client.kill()
        client.wait(10)


def test_stalling_proxy_does_not_lock_the_upload(
    srv: IntakeServer, media_store: MediaStoreChoice, tmp_path: Path
) -> None:
    token, photo, location = _prepare(srv, tmp_path, 12)
    data = photo.read_bytes()
    stall_at = 9 * MIB + 123
    with FaultProxy(srv.port, plan=FaultPlan(only=[Fault("stall", "up", stall_at, 300.0)])) as px:
        via_proxy = px.url + "/api/v1/uploads/" + location.rsplit("/", 1)[1]
        errors: list[Exception] = []

        def stalled_sync() -> None:
            try:
                requests.patch(
                    via_proxy,
                    data=data,
                    headers=tus(
                        token,
                        **{"Content-Type": "application/offset+octet-stream", "Upload-Offset": "0"},
                    ),
                    timeout=(5, 200),
                )
            except requests.RequestException as exc:
                errors.append(exc)

        t = threading.Thread(target=stalled_sync, daemon=True)
        t.start()
        deadline = time.monotonic() + 60
        while px.stats.bytes_up < stall_at and time.monotonic() < deadline:
            time.sleep(0.05)  # wait until the proxy has forwarded up to the stall
        assert px.stats.bytes_up >= stall_at
        took = _resume_with_qmclient(srv, token, photo, location)
        assert took < 120, f"the resume took {took:.0f} s"
        kept_before = srv.log()
        assert "Traceback" not in kept_before
    assert media_store.stored(srv, sha256_file(photo)) == data


def test_a_silent_json_body_ends_with_408(srv: IntakeServer, media_store: MediaStoreChoice) -> None:
    """The same bound on the JSON API: a PUT whose body stops arriving does not hang."""
    import json
    import socket

    token = srv.unit_token()
    with socket.create_connection(("127.0.0.1", srv.port), timeout=BODY_TIMEOUT + 30) as s:
        head = (
            f"PUT /api/v1/submissions/00000000-0000-4000-8000-000000000001 HTTP/1.1\r\n"
            f"Host: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
            "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
        )
        s.sendall(head.encode() + b'{"revision": 1,')  # and then nothing more
        started = time.monotonic()
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
            block = s.recv(65536)
            if not block:
                break
            answer += block
    assert time.monotonic() - started < BODY_TIMEOUT + 20
    status = answer.split(b"\r\n", 1)[0]
    assert b" 408 " in status, answer[:300]
    body = json.loads(answer.split(b"\r\n\r\n", 1)[1])
    assert body["code"] == "body-timeout" and body["title_zh"].startswith("请求数据长时间未到达")
