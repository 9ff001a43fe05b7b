"""The files of one revision on their way: :class:`FileUploads` sends what the server
asked for, each file one tus upload resuming from the point kept in ``media_upload``.

Large files go one after another (their bytes fill the line); small ones — sent whole in
their creation request — go :data:`~qmclient.services.sendlanes.FILE_LANES` at a time
beside them, each lane with its own kept connection (:mod:`~qmclient.services.sendlanes`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qmclient.services.context import AppContext
from qmclient.services.queue import writing
from qmclient.services.sendlanes import FILE_LANES, run_lanes
from qmclient.services.sendstate import SendEvent, SendOutcome, SendRun, event_of
from qmclient.store.models import MediaUpload, utcnow
from qmclient.sync.api import IntakeClient
from qmclient.sync.backoff import Backoff
from qmclient.sync.control import FileProgress, TransferControl
from qmclient.sync.filechunks import UploadTarget
from qmclient.sync.http import HttpClient, HttpSettings
from qmclient.sync.resume import ResumePoint
from qmclient.sync.tus import SMALL_FILE, ServerCaps, TusUploader

log = logging.getLogger("qmclient.sync")

Row = tuple[int, ResumePoint]  # a file's ``media_upload`` id and where its upload stands


class SqlResume:
    """The tus resume point of one file of one revision, in ``media_upload``."""

    def __init__(
        self, ctx: AppContext, row_id: int, length: int, known: ResumePoint | None = None
    ) -> None:
        self.ctx = ctx
        self.row_id = row_id
        self.length = length
        self.known = known  # as read with the revision's other rows (no read per file)

    def load(self) -> ResumePoint:
        if self.known is not None:
            point, self.known = self.known, None
            return point
        with self.ctx.store.read() as s:
            row = s.get(MediaUpload, self.row_id)
            assert row is not None
            return ResumePoint(row.upload_url, row.offset, row.expires_at)

    def save(self, point: ResumePoint) -> None:
        self.known = None
        if point.url and point.offset >= self.length:
            # a finished file needs no resume point (one commit less per file): the
            # server's answer to the next PUT says it has the file
            return
        with writing(self.ctx) as s:
            row = s.get(MediaUpload, self.row_id)
            assert row is not None
            row.upload_url = point.url
            row.offset = point.offset
            row.expires_at = point.expires_at
            row.status = "sending"  # a finished file returned above
            row.updated_at = utcnow()


def upload_rows(ctx: AppContext, run: SendRun, items: list[dict[str, Any]]) -> dict[str, Row]:
    """The ``media_upload`` row of each file (made where missing) with its resume point,
    by SHA-256: one transaction for the revision, not one per file."""
    if not items:
        return {}
    with writing(ctx) as s:
        return upload_rows_in(s, run, items)


def upload_rows_in(s: Session, run: SendRun, items: list[dict[str, Any]]) -> dict[str, Row]:
    """:func:`upload_rows` within the caller's write transaction ``s``."""
    rows: dict[str, Row] = {}
    if not items:
        return rows
    known = {
        row.sha256: row
        for row in s.scalars(
            select(MediaUpload).where(
                MediaUpload.submission_id == run.submission_id,
                MediaUpload.revision == run.revision,
            )
        )
    }
    for m in items:
        sha = str(m["sha256"])
        if sha not in known:
            known[sha] = MediaUpload(
                submission_id=run.submission_id,
                revision=run.revision,
                sha256=sha,
                length=int(m["size"]),
            )
            s.add(known[sha])
    s.flush()
    for m in items:
        row = known[str(m["sha256"])]
        rows[row.sha256] = (row.id, ResumePoint(row.upload_url, row.offset, row.expires_at))
    return rows


class FileUploads:
    """Sends files over tus for one :class:`~qmclient.services.sender.OutboxSender`."""

    def __init__(
        self,
        ctx: AppContext,
        http: HttpClient,
        settings: HttpSettings,
        control: TransferControl,
        emit: Callable[[SendEvent], None],
        *,
        chunk_size: int,
        max_chunk_size: int,
        backoff: Backoff,
        max_stalls: int,
    ) -> None:
        self.ctx = ctx
        self.http = http  # lane 0: the sender's own connection
        self.settings = settings
        self.control = control
        self.emit = emit
        self.chunk_size = chunk_size
        self.max_chunk_size = max_chunk_size
        self.backoff = backoff
        self.max_stalls = max_stalls
        self.lanes = FILE_LANES  # small files in flight at once
        self._lane_http: list[HttpClient] = []  # lanes 1…: a connection each, kept
        self._caps: dict[str, ServerCaps] = {}  # tus creation URL -> what it offers

    def close(self) -> None:
        for http in self._lane_http:
            http.close()

    def caps(self, client: IntakeClient, tus_url: str) -> ServerCaps:
        """What the tus server offers, asked once per run (``OPTIONS``)."""
        if tus_url not in self._caps:
            asked = TusUploader(self.http, tus_url, headers=client.auth_headers)
            self._caps[tus_url] = asked.caps()
        return self._caps[tus_url]

    def send(
        self,
        client: IntakeClient,
        tus_url: str,
        run: SendRun,
        items: list[dict[str, Any]],
        names: dict[str, str],
        rows: dict[str, Row],
        outcome: SendOutcome,
        uuid: str,
    ) -> None:
        """Upload ``items`` (manifest entries): large ones one after another, small ones
        (whole in their creation request) :attr:`lanes` at a time beside them."""
        if not items:
            return
        caps = self.caps(client, tus_url)
        whole = min(SMALL_FILE, self.chunk_size) if "creation-with-upload" in caps.extensions else 0
        small = [m for m in items if 0 < int(m["size"]) <= whole]
        large = [m for m in items if not 0 < int(m["size"]) <= whole]
        while len(self._lane_http) < self.lanes - 1:
            self._lane_http.append(HttpClient(self.settings))

        def send_one(m: dict[str, Any], lane: int, halt: threading.Event) -> None:
            http = self.http if lane == 0 else self._lane_http[lane - 1]
            sha = str(m["sha256"])
            self._upload(client, http, tus_url, run, m, names[sha], uuid, rows[sha], halt)
            with run.lock:
                outcome.uploaded_files += 1

        run_lanes(large, small, self.lanes, send_one)

    def _upload(
        self,
        client: IntakeClient,
        http: HttpClient,
        tus_url: str,
        run: SendRun,
        item: dict[str, Any],
        name: str,
        uuid: str,
        row: Row,
        halt: threading.Event,
    ) -> None:
        sha, size = str(item["sha256"]), int(item["size"])
        target = UploadTarget(
            self.ctx.media.path_for(sha),
            size,
            sha,
            name,
            str(item.get("media_type") or ""),
            {"submission": uuid},
        )
        # the file is not re-read here: the server checks the whole file's SHA-256 as it
        # arrives, and only when that fails is the file hashed again here (to tell a file
        # changed on this computer from bytes damaged in transit)
        last = [0.0]

        def progress(p: FileProgress) -> None:
            with run.lock:
                run.active[sha] = p
            now = time.monotonic()
            if now - last[0] >= 0.25 or p.done == p.total:
                last[0] = now
                self.emit(event_of(run, "uploading", p))

        uploader = TusUploader(
            http,
            tus_url,
            headers=client.auth_headers,
            chunk_size=self.chunk_size,
            backoff=self.backoff,
            max_stalls=self.max_stalls,
            work=self.control.relay(lambda p: progress(p.detail), halt),
            # no per-chunk Upload-Checksum: it cost a second read and hash of every chunk
            # here and a second hash on the server, which checks the whole file anyway
            use_checksums=False,
            caps=self._caps.get(tus_url),
            max_chunk_size=self.max_chunk_size,
        )
        log.info("uploading %s (%d bytes) of %s rev %d", sha[:12], size, uuid, run.revision)
        try:
            uploader.upload(target, SqlResume(self.ctx, row[0], size, row[1]))
        finally:
            with run.lock:
                sent = run.active.pop(sha, None)
        with run.lock:
            run.files_done += 1
            run.bytes_before += size
            run.sent_now += sent.sent_now if sent is not None else size
