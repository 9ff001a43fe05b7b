"""Clients whose connections drop in the middle of a PATCH: the bytes that arrived are
kept, HEAD tells where to go on, and every file ends intact (randomised, seeded)."""

from __future__ import annotations

import hashlib
import http.client
import random
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from intake_server import IntakeServer
from mediafactory import make_jpeg

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


def _offset(loc: str, token: str) -> int:
    return int(requests.head(loc, headers=tus(token), timeout=30).headers["Upload-Offset"])


def _broken_patch(loc: str, token: str, offset: int, data: bytes, cut: int) -> None:
    """Announce the whole rest, send ``cut`` bytes of it, then drop the connection."""
    u = urlsplit(loc)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    conn.putrequest("PATCH", u.path)
    for k, v in tus(
        token,
        **{
            "Content-Type": "application/offset+octet-stream",
            "Upload-Offset": str(offset),
            "Content-Length": str(len(data) - offset),
        },
    ).items():
        conn.putheader(k, v)
    conn.endheaders()
    conn.send(data[offset : offset + cut])
    time.sleep(0.05)  # the bytes are on the wire; how many the server keeps is read after
    conn.sock.close()  # type: ignore[union-attr]
    conn.close()


def _stubborn_upload(srv: IntakeServer, token: str, path: Path, rnd: random.Random) -> int:
    """Upload with dropped connections; returns how many bytes of broken PATCHes stayed."""
    data = path.read_bytes()
    loc = create_upload(srv, token, path).headers["Location"]
    offset = kept = 0
    for _ in range(rnd.randint(1, 4)):
        rest = len(data) - offset
        if rest <= 1:
            break
        _broken_patch(loc, token, offset, data, rnd.randint(1, rest - 1))
        # the server may still be finishing the broken request: its lease ends when it
        # notices the drop, at the latest after the body timeout (60 s)
        deadline = time.monotonic() + 75
        while True:
            new = _offset(loc, token)
            r = patch(srv, token, loc, new, b"")
            if r.status_code == 204 or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert offset <= new <= len(data)
        kept += new - offset
        offset = new
    deadline = time.monotonic() + 75
    while True:  # as a client does: a 423 means "HEAD and resume in a moment"
        r = patch(srv, token, loc, offset, data[offset:])
        if r.status_code != 423 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
        offset = _offset(loc, token)
    assert r.status_code == 204, r.text
    return kept


def _run(srv: IntakeServer, tmp_path: Path, clients: int, seed: int) -> None:
    files = [
        make_jpeg(
            tmp_path / f"d{seed}-{i}.jpg", seed=seed * 1000 + i, size=(1600, 1200), quality=95
        )
        for i in range(clients)
    ]
    tokens = srv.issue_tokens(
        [(f"断线企业{i}", "enterprise", "zhangqiu", "") for i in range(clients)]
    )

    kept: list[int] = []

    def one(i: int) -> dict:
        rnd = random.Random(seed * 7919 + i)
        report = make_report([files[i]], district="zhangqiu", name=f"断线企业{i}")
        r = put(srv, tokens[i], report)
        assert r.status_code == 201, r.text
        kept.append(_stubborn_upload(srv, tokens[i], files[i], rnd))
        f = finalise(srv, tokens[i], report)
        assert f.status_code == 200, f.text
        return f.json()

    with ThreadPoolExecutor(max_workers=min(clients, 16)) as pool:
        receipts = list(pool.map(one, range(clients)))
    assert len({r["receipt_number"] for r in receipts}) == clients
    assert sum(kept) > 0  # bytes of dropped requests were kept and not sent again
    for p in files:
        stored = stored_path(srv, sha256_file(p))
        assert hashlib.sha256(stored.read_bytes()).hexdigest() == sha256_file(p)


def test_dropped_connections(server: IntakeServer, tmp_path: Path) -> None:
    _run(server, tmp_path, clients=8, seed=1)


@pytest.mark.slow
def test_dropped_connections_soak(server: IntakeServer, tmp_path: Path) -> None:
    _run(server, tmp_path, clients=60, seed=2)


def test_plain_upload_beside_broken_ones(server: IntakeServer, tmp_path: Path) -> None:
    """A plain upload beside the broken ones still works on the same server."""
    photo = make_jpeg(tmp_path / "plain.jpg", seed=3)
    token = server.unit_token()
    report = make_report([photo])
    assert put(server, token, report).status_code == 201
    upload(server, token, photo)
    assert finalise(server, token, report).status_code == 200
