"""One stuck report never stops the queue (backoff per report), and a locked upload costs one
small request, not a chunk: against a real qmintake, through the fault proxy that counts
the bytes, with the upload's lock held by a real request the server is still reading."""

from __future__ import annotations

import select
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import requests
from netfault import FaultProxy
from reports import ready_submission
from tus_helpers import sha256_of

from qmclient.core import lifecycle
from qmclient.services import outbox
from qmclient.services.context import AppContext
from qmclient.store.models import MediaUpload, OutboxEntry, Submission
from qmclient.sync.backoff import Backoff
from qmclient.sync.control import TransferControl
from qmclient.sync.http import HttpSettings
from qmclient.sync.tokens import save_token
from qmclient.sync.tus import PROBE_BYTES

MiB = 1 << 20
CHUNK = 4 * MiB


def _sender(ctx: AppContext, **kw: Any) -> outbox.OutboxSender:
    return outbox.OutboxSender(
        ctx,
        tus_backoff=Backoff(base_s=0.01, cap_s=0.05),
        settings=HttpSettings(connect_timeout_s=2, read_timeout_s=10),
        chunk_size=CHUNK,
        refresh_campaigns=False,
        **kw,
    )


def _server_offset(url: str, token: str) -> int:
    r = requests.head(
        url, headers={"Tus-Resumable": "1.0.0", "Authorization": f"Bearer {token}"}, timeout=10
    )
    assert r.status_code == 200, r.status_code
    return int(r.headers["Upload-Offset"])


def _empty_patch(url: str, token: str, offset: int) -> int:
    r = requests.patch(
        url,
        headers={
            "Tus-Resumable": "1.0.0",
            "Authorization": f"Bearer {token}",
            "Upload-Offset": str(offset),
            "Content-Type": "application/offset+octet-stream",
        },
        data=b"",
        timeout=10,
    )
    return r.status_code


def _hold(url: str, token: str, path: Path, offset: int) -> socket.socket:
    parts = urlparse(url)
    with open(path, "rb") as fh:
        fh.seek(offset)
        first = fh.read(8 * 1024)
    total = path.stat().st_size - offset
    sock = socket.create_connection((parts.hostname, parts.port), timeout=10)
    head = (
        f"PATCH {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        f"Tus-Resumable: 1.0.0\r\nAuthorization: Bearer {token}\r\n"
        f"Upload-Offset: {offset}\r\nContent-Type: application/offset+octet-stream\r\n"
        f"Content-Length: {total}\r\n\r\n"
    )
    sock.sendall(head.encode("ascii") + first)
    return sock


@contextmanager
def upload_held(url: str, token: str, path: Path, offset: int) -> Iterator[None]:
    """A frozen client: a PATCH whose body stops after a few KiB, its connection left open,
    so the server holds the upload's lock while it waits for the rest."""
    sock = _hold(url, token, path, offset)
    answered = b""
    try:
        deadline = time.monotonic() + 30
        while True:
            # an answer means the holder was refused (our own probe had the lock): again
            if select.select([sock], [], [], 1.5)[0]:
                answered = sock.recv(300)
                sock.close()
                offset = _server_offset(url, token)  # bytes still in flight may have landed
                sock = _hold(url, token, path, offset)
            elif _empty_patch(url, token, offset) == 423:  # the lock is held: go on
                break
            assert time.monotonic() < deadline, f"never locked: {answered!r}"
        yield
    finally:
        sock.close()


@pytest.mark.timeout(180)
def test_locked_upload_backs_off_that_report_and_the_others_are_sent(
    ctx: AppContext, intake: Any, memory_keyring: Any, tmp_path: Path
) -> None:
    token = intake.unit_token()
    with FaultProxy(int(urlparse(intake.base_url).port or 0)) as proxy:
        endpoint = outbox.set_endpoint(ctx, proxy.url)
        save_token(endpoint, token)
        stuck = ready_submission(ctx, tmp_path, video_bytes=12 * MiB, seed=1)
        other = ready_submission(ctx, tmp_path, name="济南另一家有限公司", photos=2, seed=2)
        outbox.queue_submission(ctx, stuck)
        outbox.queue_submission(ctx, other)

        # a first send of the stuck report stops in the middle of its video
        control = TransferControl()

        def pause_midway(ev: outbox.SendEvent) -> None:
            big = ev.file is not None and ev.file.total > MiB
            if ev.stage == "uploading" and big and ev.file and ev.file.done >= 5 * MiB:
                control.cancel()

        proxy.rate_up = 4 * MiB  # slow enough for progress events in the middle
        with _sender(ctx, control=control, on_event=pause_midway) as s:
            [first] = s.send_all()
        proxy.rate_up = None
        assert first.error is not None and first.error.kind == "cancelled"
        with ctx.store.read() as sess:
            row = next(r for r in sess.query(MediaUpload).all() if r.upload_url and r.length > MiB)
            url, sha = row.upload_url, row.sha256
        assert url is not None
        video = ctx.media.path_for(sha)
        # the cancelled PATCH may still be ending on the server: wait until it lets go
        deadline = time.monotonic() + 20
        while (code := _empty_patch(url, token, offset := _server_offset(url, token))) != 204:
            assert time.monotonic() < deadline, f"the cancelled upload stays locked ({code})"
        assert 0 < offset < video.stat().st_size

        # another connection holds the upload's lock; the queue is sent again
        with upload_held(url, token, video, offset):
            before = proxy.stats.bytes_up
            with _sender(ctx) as s:
                outcomes = s.send_all()
            sent_now = proxy.stats.bytes_up - before
        by_sub = {o.submission_id: o for o in outcomes}
        assert by_sub[other].ok, by_sub[other].error
        assert by_sub[stuck].error is not None and by_sub[stuck].error.code == "upload-locked"
        # what went up: the other report's files and JSON, plus at most one small PATCH
        # into the locked upload (the old client streamed whole chunks, several times)
        with ctx.store.read() as sess:
            other_bytes = sum(
                r.length for r in sess.query(MediaUpload).filter_by(submission_id=other)
            )
            entry = sess.query(OutboxEntry).filter_by(submission_id=stuck).one()
            assert entry.last_error_code == "upload-locked"
            assert entry.next_attempt_at is not None  # this report waits; not the queue
            assert sess.get(Submission, other).status == lifecycle.RECEIVED
        overhead = 256 * 1024  # HTTP headers and the report JSON of both reports
        assert other_bytes > 0
        assert sent_now <= other_bytes + PROBE_BYTES + overhead, (sent_now, other_bytes)

        # the holder is gone: the report resumes (not from byte 0) and arrives
        with _sender(ctx) as s:
            [done] = s.send_all()
        assert done.ok, done.error
        assert done.receipt is not None
        assert {f["sha256"] for f in done.receipt["files"]} >= {sha}
        assert sha256_of(video) == sha
