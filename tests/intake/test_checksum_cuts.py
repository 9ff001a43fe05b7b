"""A checksummed PATCH that ends early — the connection dropped, or the client fell
silent until the body timeout — keeps none of its bytes, and the upload's running SHA-256
stays as it was: resuming from the offset HEAD gives finishes the file, with no
``upload-hash-mismatch`` and no new upload (data folder and S3 alike)."""

from __future__ import annotations

import base64
import hashlib
import os
import socket
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from intake_server import IntakeServer
from mediafactory import make_jpeg

from intake.conftest import MediaStoreChoice
from intake.protocol import create_upload, make_report, patch, put, sha256_file, tus

BODY_TIMEOUT = 2
KIB = 1024


@pytest.fixture
def srv(media_store: MediaStoreChoice, campaign_files: list[Path], tmp_path: Path):  # type: ignore[no-untyped-def]
    server = IntakeServer(
        tmp_path / "intake",
        campaign_files=campaign_files,
        extra_args=[*media_store.args, "--body-timeout", str(BODY_TIMEOUT)],
        env=media_store.env,
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _checksum(data: bytes) -> str:
    return "sha256 " + base64.b64encode(hashlib.sha256(data).digest()).decode()


def _partial_patch(loc: str, token: str, offset: int, body: bytes, send: int, how: str) -> bytes:
    """A PATCH announcing ``body`` with its checksum, of which only ``send`` bytes go out;
    then the connection is dropped ("drop") or kept silent until the server answers
    ("silent").  Returns what the server answered (nothing for a drop)."""
    u = urlsplit(loc)
    headers = tus(
        token,
        **{
            "Content-Type": "application/offset+octet-stream",
            "Upload-Offset": str(offset),
            "Content-Length": str(len(body)),
            "Upload-Checksum": _checksum(body),
        },
    )
    head = f"PATCH {u.path} HTTP/1.1\r\nHost: {u.netloc}\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    with socket.create_connection((u.hostname, u.port), timeout=BODY_TIMEOUT + 30) as s:
        s.sendall(head.encode() + body[:send])
        if how == "drop":
            return b""
        answer = b""
        while chunk := s.recv(65536):  # the server ends the request after its body timeout
            answer += chunk
        return answer


def _settled_offset(loc: str, token: str, want: int) -> int:
    """HEAD until the server has ended the cut request (its lease released, its bytes
    dropped): an empty PATCH at ``want`` is then taken."""
    deadline = time.monotonic() + BODY_TIMEOUT + 30
    while True:
        offset = int(requests.head(loc, headers=tus(token), timeout=10).headers["Upload-Offset"])
        if offset == want and patch(loc, token, loc, want, b"").status_code == 204:
            return offset
        assert time.monotonic() < deadline, f"offset {offset}, expected {want}"
        time.sleep(0.05)


@pytest.mark.parametrize("how", ["drop", "silent"])
def test_a_cut_checksummed_patch_leaves_the_upload_resumable(
    srv: IntakeServer, media_store: MediaStoreChoice, tmp_path: Path, how: str
) -> None:
    photo = make_jpeg(tmp_path / "photo.jpg", seed=11)
    with photo.open("ab") as f:
        f.write(os.urandom(600 * KIB))
    data = photo.read_bytes()
    token = srv.unit_token()
    assert put(srv, token, make_report([photo])).status_code == 201
    r = create_upload(srv, token, photo)
    assert r.status_code == 201, r.text
    loc = r.headers["Location"]
    first = 100 * KIB  # taken whole: the server's running SHA-256 now covers it
    r = patch(srv, token, loc, 0, data[:first], **{"Upload-Checksum": _checksum(data[:first])})
    assert r.status_code == 204, r.text

    answer = _partial_patch(loc, token, first, data[first:], 300 * KIB, how)
    if how == "silent":
        assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
        assert f"upload-offset: {first}".encode() in answer.lower()
    # nothing of the cut request is kept: it could not be checked against its checksum
    assert _settled_offset(loc, token, first) == first

    rest = data[first:]
    r = patch(srv, token, loc, first, rest, **{"Upload-Checksum": _checksum(rest)})
    assert r.status_code == 204, r.text  # not 422 upload-hash-mismatch
    assert int(r.headers["Upload-Offset"]) == len(data)
    assert media_store.stored(srv, sha256_file(photo)) == data
