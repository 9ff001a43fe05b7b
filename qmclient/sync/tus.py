"""A tus 1.0.0 client on :class:`~qmclient.sync.http.HttpClient` (tus.io/protocols).

What it does, and why it is ours and not tuspy's:

- Streams each PATCH body from a slice of the file on disk, 1 MiB at a time
  (:mod:`qmclient.sync.filechunks`); a file is never held in memory, whatever its size.
  Chunks of 32 MiB by default, growing (where ``max_chunk_size`` allows) while the server
  takes them whole.
- Writes the upload URL to the resume store (:mod:`qmclient.sync.resume`) *before* the
  first byte is sent, and the offset after every chunk, so a resume survives a restart of
  the program.
- On any failure it asks the server where the upload stands (``HEAD``) and resumes from
  there; a ``409`` offset mismatch resyncs the same way.  The first PATCH after a ``HEAD``
  carries at most :data:`PROBE_BYTES`: an upload another request still holds (``423``)
  costs one small request, never a whole chunk.  A locked upload is given up at once
  (:data:`LOCKED`), so the outbox sends the other reports and comes back to it later.  An upload the server no longer
  has (``404``, ``410``, ``403``) or one past its ``Upload-Expires`` starts again.
- Backs off exponentially with jitter between attempts, honouring ``Retry-After``; gives
  up (raising the last :class:`SyncError`) after ``max_stalls`` attempts in a row without
  progress, so the outbox can try again later.
- Pause/cancel is checked between chunks and within a chunk (every 1 MiB read).
- The whole file's SHA-256 travels in ``Upload-Metadata``; an empty ``Upload-Metadata``
  header is never sent.  ``Upload-Checksum`` is added per chunk only when the server
  advertises the checksum extension.
- A file no larger than one chunk goes whole in the creation request itself where
  ``creation-with-upload`` is offered: a kill re-sends it from its start, which is never
  more than one chunk.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin

import requests

from qmclient.core.work import Cancelled, Work, work_or_new
from qmclient.sync.backoff import Backoff, parse_retry_after
from qmclient.sync.control import FileProgress
from qmclient.sync.errors import SyncError
from qmclient.sync.filechunks import (
    FileSlice,
    UploadTarget,
    chunk_checksum,
    file_changed_error,
    file_sha256,
    open_slice,
)
from qmclient.sync.http import HttpClient, captive_portal_error, http_error, problem_of
from qmclient.sync.resume import ResumePoint, ResumeStore, parse_expires

TUS_VERSION = "1.0.0"
OCTET = "application/offset+octet-stream"
DEFAULT_CHUNK = 32 * 1024 * 1024
MAX_CHUNK = 256 * 1024 * 1024  # what chunks may grow to on a good line
# a file no larger than this is a "small" one: the sender puts a few of them in flight at
# once (qmclient.services.sendlanes); any file up to one chunk goes whole in its creation
# request where the server allows (one request and one saved resume point less)
SMALL_FILE = 4 * 1024 * 1024
PROBE_BYTES = 64 * 1024  # the first PATCH after a HEAD: confirms the upload takes bytes
LOCKED = "upload-locked"


@dataclass(frozen=True)
class ServerCaps:
    extensions: frozenset[str]
    max_size: int | None
    checksum_algorithms: frozenset[str]


# what a 423 from the upload server means, told truthfully
UPLOAD_LOCKED = (
    "服务器上这个文件的另一次传输仍在进行（或服务器仍在处理上一次中断的传输）。"
    "数据没有损坏，已收到的部分都保留着；稍后会自动重试，无需任何操作。",
    "Another transfer of this file is still in progress on the server (or the server is "
    "still holding an interrupted one). Nothing is damaged and what arrived is kept; it "
    "will be retried automatically in a moment, nothing needs doing.",
)


class _Gone(Exception):
    """The server no longer has the upload: create a new one."""


def encode_metadata(meta: dict[str, str]) -> str:
    pairs = []
    for key, value in meta.items():
        if not key or any(c in key for c in " ,") or not key.isascii():
            raise ValueError(f"bad tus metadata key {key!r}")
        pairs.append(f"{key} {base64.b64encode(value.encode('utf-8')).decode('ascii')}")
    return ",".join(pairs)


def _int_header(resp: requests.Response, name: str) -> int | None:
    value = resp.headers.get(name)
    if value is None or not value.strip().isdigit():
        return None
    return int(value.strip())


class TusUploader:
    """Uploads files to one tus creation URL with one :class:`HttpClient`."""

    def __init__(
        self,
        http: HttpClient,
        creation_url: str,
        *,
        headers: dict[str, str] | None = None,
        chunk_size: int = DEFAULT_CHUNK,
        backoff: Backoff | None = None,
        max_stalls: int = 8,
        work: Work | None = None,
        use_checksums: bool = True,
        clock: Callable[[], dt.datetime] | None = None,
        caps: ServerCaps | None = None,
        max_chunk_size: int | None = None,
    ) -> None:
        """``caps``: what an earlier uploader learnt of the same server (saves an OPTIONS
        request per file).  ``max_chunk_size``: chunks start at ``chunk_size`` and double
        after each one the server took, up to this (fewer requests on a good line); any
        failure starts again from ``chunk_size``, and a ``413`` (a proxy's body limit)
        keeps them below the size refused."""
        if chunk_size < 1:
            raise ValueError("chunk_size must be positive")
        self.max_chunk_size = max(chunk_size, max_chunk_size or chunk_size)
        self._chunk = chunk_size  # the size of the next full chunk
        self.http = http
        self.creation_url = creation_url
        self.headers = dict(headers or {})
        self.chunk_size = chunk_size
        self.backoff = backoff or Backoff()
        self.max_stalls = max_stalls
        self.work = work_or_new(work)
        self.use_checksums = use_checksums
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._caps: ServerCaps | None = caps
        self.requests_sent = 0  # for tests and diagnostics
        self.uploads_created = 0
        self._run_start = 0
        self._probe = False  # set by a HEAD, cleared by a PATCH the server took

    # ------------------------------------------------------------------ requests

    def _req(self, method: str, url: str, **kwargs: object) -> requests.Response:
        headers = {"Tus-Resumable": TUS_VERSION, **self.headers}
        extra = kwargs.pop("headers", None)
        if isinstance(extra, dict):
            headers.update(extra)
        self.requests_sent += 1
        return self.http.request(method, url, headers=headers, **kwargs)

    def _check_tus(self, resp: requests.Response) -> None:
        """An answer without ``Tus-Resumable`` came from something else (a portal, a proxy)."""
        if resp.status_code < 300 and "Tus-Resumable" not in resp.headers:
            raise captive_portal_error(resp.url)

    def caps(self) -> ServerCaps:
        if self._caps is None:
            resp = self._req("OPTIONS", self.creation_url)
            if resp.status_code not in (200, 204):
                raise http_error(resp)
            self._check_tus(resp)

            def split(name: str) -> frozenset[str]:
                raw = resp.headers.get(name, "")
                return frozenset(p.strip().lower() for p in raw.split(",") if p.strip())

            self._caps = ServerCaps(
                split("Tus-Extension"),
                _int_header(resp, "Tus-Max-Size"),
                split("Tus-Checksum-Algorithm"),
            )
        return self._caps

    def _checksum_algorithm(self) -> str | None:
        caps = self.caps()
        if not self.use_checksums or "checksum" not in caps.extensions:
            return None
        for algo in ("sha256", "sha1"):
            if algo in caps.checksum_algorithms:
                return algo
        return None

    # ------------------------------------------------------------------ steps

    def _create(self, target: UploadTarget, resume: ResumeStore) -> ResumePoint:
        caps = self.caps()
        if caps.max_size is not None and target.length > caps.max_size:
            raise SyncError(
                "upload-too-large",
                zh=f"文件“{target.filename}”（{target.length / 2**30:.2f} GB）超过了服务器允许的"
                f"单个文件上限（{caps.max_size / 2**30:.2f} GB）。请压缩或分割视频。",
                en=f"The file '{target.filename}' ({target.length / 2**30:.2f} GiB) is larger than "
                f"the server allows for one file ({caps.max_size / 2**30:.2f} GiB). Compress or "
                "split the video.",
                kind="action",
            )
        headers = {"Upload-Length": str(target.length)}
        meta = encode_metadata(target.metadata())
        if meta:
            headers["Upload-Metadata"] = meta
        body: FileSlice | None = None
        if "creation-with-upload" in caps.extensions and 0 < target.length <= self.chunk_size:
            algo = self._checksum_algorithm()
            if algo:
                headers["Upload-Checksum"] = chunk_checksum(
                    target, 0, target.length, algo, self.work
                )
            body = self._slice(target, 0, target.length)
            headers["Content-Type"] = OCTET
        try:
            resp = self._req("POST", self.creation_url, headers=headers, data=body)
        finally:
            if body is not None:
                body.close()
        if resp.status_code != 201:
            code = problem_of(resp).get("code")
            if resp.status_code in (422, 460) and code == "upload-hash-mismatch":
                self._hash_mismatch(target)
            if resp.status_code in (422, 460) and code == "checksum-mismatch":
                raise _Gone()  # damaged in transit: send it again
            raise http_error(resp)
        self._check_tus(resp)
        location = resp.headers.get("Location")
        if not location:
            raise SyncError(
                "tus-no-location",
                zh="上传服务器没有返回上传地址（不符合 tus 协议）。请联系报送办公室。",
                en="The upload server did not return an upload URL (not tus compliant). "
                "Contact the office.",
            )
        self.uploads_created += 1
        offset = _int_header(resp, "Upload-Offset") if body is not None else 0
        point = ResumePoint(
            urljoin(resp.url or self.creation_url, location),
            offset or 0,
            parse_expires(resp.headers.get("Upload-Expires")),
        )
        resume.save(point)
        return point

    def _head(self, point: ResumePoint, target: UploadTarget) -> ResumePoint:
        assert point.url is not None
        resp = self._req("HEAD", point.url, headers={"Cache-Control": "no-store"})
        if resp.status_code in (403, 404, 410):
            raise _Gone()
        if resp.status_code not in (200, 204):
            raise http_error(resp)
        self._check_tus(resp)
        offset = _int_header(resp, "Upload-Offset")
        length = _int_header(resp, "Upload-Length")
        if offset is None or (length is not None and length != target.length):
            raise _Gone()
        if offset > target.length:
            raise _Gone()
        expires = parse_expires(resp.headers.get("Upload-Expires")) or point.expires_at
        self._probe = True
        return ResumePoint(point.url, offset, expires)

    def _slice(self, target: UploadTarget, start: int, length: int) -> FileSlice:
        base = start

        def on_read(n: int) -> None:
            nonlocal base
            base += n
            self._report(target, base)

        return open_slice(target, start, length, self.work, on_read)

    def _patch(
        self, point: ResumePoint, target: UploadTarget, resume: ResumeStore, limit: int
    ) -> ResumePoint:
        assert point.url is not None
        start = point.offset
        size = min(limit, target.length - start)
        headers = {
            "Upload-Offset": str(start),
            "Content-Type": OCTET,
            "Content-Length": str(size),
        }
        algo = self._checksum_algorithm()
        if algo:
            headers["Upload-Checksum"] = chunk_checksum(target, start, size, algo, self.work)
        body = self._slice(target, start, size)
        try:
            resp = self._req("PATCH", point.url, headers=headers, data=body)
        finally:
            body.close()
        status = resp.status_code
        if status in (200, 204):
            self._check_tus(resp)
            new = _int_header(resp, "Upload-Offset")
            if new is None or new < start or new > target.length:
                raise SyncError(
                    "tus-bad-offset",
                    zh="上传服务器返回了无效的上传位置，将重新核对后继续。",
                    en="The upload server answered with an invalid offset; checking and resuming.",
                )
            expires = parse_expires(resp.headers.get("Upload-Expires")) or point.expires_at
            done = ResumePoint(point.url, new, expires)
            resume.save(done)
            self._probe = False
            return done
        if status == 413 and size > self.chunk_size:
            # a body limit on the way (a proxy): never again as large as what was refused
            self.max_chunk_size = max(self.chunk_size, size // 2)
            self._chunk = self.chunk_size
            return point
        if status == 409:
            # offset mismatch (or a repeated final PATCH): ask the server where it stands
            return self._head(point, target)
        if status in (403, 404, 410):
            raise _Gone()
        if status == 460:
            raise SyncError(
                "checksum-mismatch",
                zh="一段数据在传输中受损，将重新发送这一段。已收到的部分不受影响。",
                en="A chunk was damaged in transit; sending it again. What arrived before is kept.",
                status=status,
                retry_after=parse_retry_after(resp.headers.get("Retry-After")),
            )
        if status == 423:
            raise SyncError(
                "upload-locked",
                zh=UPLOAD_LOCKED[0],
                en=UPLOAD_LOCKED[1],
                status=status,
                retry_after=parse_retry_after(resp.headers.get("Retry-After")),
            )
        problem = problem_of(resp)
        if status == 422 and problem.get("code") == "upload-hash-mismatch":
            self._hash_mismatch(target)
        raise http_error(resp)

    def _hash_mismatch(self, target: UploadTarget) -> None:
        """The server found the whole file's SHA-256 wrong and discarded the upload.

        Only now is the file read once more: if it no longer has its recorded SHA-256 it
        changed on this computer (the user must act); otherwise the bytes were damaged in
        transit and the file is sent again.  Raises either way."""
        if file_sha256(target, self.work) != target.sha256:
            raise file_changed_error(target)
        raise _Gone()

    def _report(self, target: UploadTarget, done: int) -> None:
        """Progress on ``work`` (bytes of this file; ``detail`` a :class:`FileProgress`).
        It never raises: a cancel is seen at the next read or chunk."""
        name = target.filename or target.path.name
        detail = FileProgress(
            target.sha256, name, done, target.length, max(0, done - max(self._run_start, 0))
        )
        with contextlib.suppress(Cancelled):
            self.work.progress(done, target.length, name, detail)

    # ------------------------------------------------------------------ the loop

    def upload(self, target: UploadTarget, resume: ResumeStore) -> str:
        """Send ``target`` (resuming where ``resume`` says); returns the upload URL."""
        try:
            st = os.stat(target.path)
        except FileNotFoundError:
            raise file_changed_error(target, "missing") from None
        if st.st_size != target.length:
            raise file_changed_error(target)
        point = resume.load()
        if point.url and point.expires_at and point.expires_at <= self.clock():
            point = ResumePoint()
            resume.save(point)
        self._run_start = -1  # set from the server's first answer in this run
        fresh = False  # True right after create / a successful PATCH: no HEAD needed
        stalls = 0
        while True:
            self.work.check()
            try:
                if point.url is None:
                    point = self._create(target, resume)
                    if self._run_start < 0:
                        self._run_start = 0
                    fresh = True
                elif not fresh:
                    before = point.offset
                    point = self._head(point, target)
                    if point.offset != before:
                        resume.save(point)
                    if self._run_start < 0:
                        self._run_start = point.offset
                    fresh = True
                self._report(target, point.offset)
                while point.offset < target.length:
                    self.work.check()
                    before = point.offset
                    # right after a HEAD, only a small PATCH: is the upload ours to write?
                    limit = min(self._chunk, PROBE_BYTES) if self._probe else self._chunk
                    point = self._patch(point, target, resume, limit)
                    if point.offset > before:
                        stalls = 0
                        if point.offset - before >= limit:
                            self._chunk = min(self._chunk * 2, self.max_chunk_size)
                self._report(target, point.offset)
                assert point.url is not None
                return point.url
            except _Gone:
                point = ResumePoint()
                resume.save(point)
                fresh = False
                stalls += 1
                if stalls > self.max_stalls:
                    raise SyncError(
                        "upload-restarted-too-often",
                        zh="上传服务器多次丢弃了这个文件的上传，稍后会自动重试。",
                        en="The upload server dropped this file's upload several times; it will "
                        "be retried later.",
                    ) from None
            except SyncError as err:
                self._chunk = self.chunk_size
                if not err.retryable or err.code == LOCKED:
                    raise  # a locked upload: the outbox comes back to this report later
                fresh = False
                stalls += 1
                if stalls > self.max_stalls:
                    raise
                self.work.sleep(self.backoff.delay(stalls - 1, err.retry_after))
