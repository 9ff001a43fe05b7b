"""Media over tus 1.0.0: core, creation, creation-with-upload, termination, expiration,
checksum.

The bytes of an upload are ``uploads/<id>.part``; its size on disk is the offset, so a
server killed mid-PATCH resumes from what reached the disk.  One writer per upload: a
PATCH holds an exclusive, non-blocking ``flock`` on the part file for its whole run
(also across processes and replicas that share the folder); a second PATCH gets 423.
Request bodies are streamed to the file chunk by chunk, never held in memory.  The PATCH
that completes the file checks its SHA-256 and its type, then moves it into the
content-addressed store.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import datetime as dt
import errno
import fcntl
import hashlib
import os
import re
import time
import uuid
from email.utils import format_datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from qmclient.core.filetype import SNIFF_BYTES, sniff
from qmintake.auth import UnitInfo, authenticate
from qmintake.models import BlobRow, RevisionMediaRow, RevisionRow, SubmissionRow, UploadRow
from qmintake.problems import Problem
from qmintake.provenance import note_sender
from qmintake.responses import PROBLEM_RESPONSES
from qmintake.settings import IntakeState

TUS_VERSION = "1.0.0"
EXTENSIONS = "creation,creation-with-upload,termination,expiration,checksum"
CHECKSUM_ALGORITHMS = ("sha1", "sha256")
OCTET = "application/offset+octet-stream"
READ_CHUNK = 1024 * 1024
BATCH = 2 * 1024 * 1024
_KEY = re.compile(r"^[A-Za-z0-9._~-]{1,64}$")
SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")

router = APIRouter(prefix="/api/v1/uploads", responses=PROBLEM_RESPONSES)


def _state(request: Request) -> IntakeState:
    st: IntakeState = request.app.state.intake
    return st


def _tus_headers(request: Request) -> None:
    """Dependency: every tus request but OPTIONS names protocol version 1.0.0."""
    if request.headers.get("tus-resumable") != TUS_VERSION:
        raise Problem(
            "tus-version-unsupported",
            f"send Tus-Resumable: {TUS_VERSION}",
            {"Tus-Version": TUS_VERSION, "Tus-Resumable": TUS_VERSION},
        )


def _h(name: str, description: str, required: bool = True) -> dict[str, Any]:
    return {
        "in": "header",
        "name": name,
        "required": required,
        "schema": {"type": "string"},
        "description": description,
    }


_RESUMABLE = _h("Tus-Resumable", "always 1.0.0")
_AUTH = _h("Authorization", "Bearer <token issued by the office>")
DOC_CREATE = {
    "parameters": [
        _RESUMABLE,
        _AUTH,
        _h("Upload-Length", "the file's size in bytes"),
        _h(
            "Upload-Metadata",
            "comma-separated `key base64(value)`: sha256 (required), filename, filetype, "
            "submission",
        ),
        _h("Content-Type", "application/offset+octet-stream with a first chunk", False),
    ],
    "responses": {"201": {"description": "created; Location, Upload-Expires[, Upload-Offset]"}},
}
DOC_HEAD = {
    "parameters": [_RESUMABLE, _AUTH],
    "responses": {
        "200": {"description": "Upload-Offset, Upload-Length, Upload-Metadata, Upload-Expires"}
    },
}
DOC_PATCH = {
    "parameters": [
        _RESUMABLE,
        _AUTH,
        _h("Upload-Offset", "the server's current offset (from HEAD)"),
        _h("Content-Type", "application/offset+octet-stream"),
        _h("Upload-Checksum", "`sha1|sha256 base64(digest of this body)`", False),
    ],
    "requestBody": {
        "content": {OCTET: {"schema": {"type": "string", "format": "binary"}}},
        "required": True,
    },
    "responses": {"204": {"description": "stored; the new Upload-Offset"}},
}
DOC_DELETE = {"parameters": [_RESUMABLE, _AUTH]}

TusVersion = Annotated[None, Depends(_tus_headers)]
Auth = Annotated[UnitInfo, Depends(authenticate)]


def _http_date(t: dt.datetime) -> str:
    return format_datetime(t.astimezone(dt.UTC), usegmt=True)


def parse_metadata(header: str) -> dict[str, str]:
    """``key base64,key base64`` → dict; raises ``upload-metadata-invalid``."""
    out: dict[str, str] = {}
    if not header.strip():
        return out
    for pair in header.split(","):
        parts = pair.strip().split(" ")
        key = parts[0]
        if not _KEY.match(key) or len(parts) > 2 or key in out:
            raise Problem("upload-metadata-invalid", f"bad Upload-Metadata pair {pair.strip()!r}")
        value = ""
        if len(parts) == 2:
            try:
                value = base64.b64decode(parts[1], validate=True).decode("utf-8")
            except (binascii.Error, ValueError):
                raise Problem(
                    "upload-metadata-invalid", f"the value of {key!r} is not base64 of UTF-8"
                ) from None
        out[key] = value
    return out


def safe_filename(name: str) -> str:
    """The last path component of a client's file name; refuses tricks."""
    base = re.split(r"[/\\]", name)[-1].strip()
    if any(ord(c) < 32 or ord(c) == 127 for c in name) or base in (".", "..") or ".." in name:
        raise Problem("upload-metadata-invalid", f"file name {name!r} is not allowed")
    if len(base) > 255:
        raise Problem("upload-metadata-invalid", "file name longer than 255 characters")
    return base


def _int_header(request: Request, name: str, code: str) -> int:
    raw = request.headers.get(name, "")
    if not raw.isdigit() or len(raw) > 19:
        raise Problem(code, f"{name} must be a whole number of bytes, got {raw!r}")
    return int(raw)


@router.options("/", include_in_schema=False)
@router.options("/{upload_id}", include_in_schema=False)
def options(request: Request) -> Response:
    st = _state(request)
    max_size = min(st.settings.max_upload_bytes, st.campaigns.max_file_bytes())
    return Response(
        status_code=204,
        headers={
            "Tus-Resumable": TUS_VERSION,
            "Tus-Version": TUS_VERSION,
            "Tus-Extension": EXTENSIONS,
            "Tus-Max-Size": str(max_size),
            "Tus-Checksum-Algorithm": ",".join(CHECKSUM_ALGORITHMS),
        },
    )


def check_listed(st: IntakeState, unit: UnitInfo, sha: str, length: int) -> None:
    """A file may be uploaded only if an open submission of the unit lists it."""
    with st.db.session() as s:
        listed = s.scalars(
            select(RevisionMediaRow.sha256)
            .join(RevisionRow, RevisionRow.id == RevisionMediaRow.revision_id)
            .join(SubmissionRow, SubmissionRow.id == RevisionRow.submission_id)
            .where(
                RevisionMediaRow.sha256 == sha,
                RevisionMediaRow.size == length,
                SubmissionRow.owner_unit_id == unit.id,
                RevisionRow.finalised_at.is_(None),
            )
            .limit(1)
        ).first()
        if listed is None:
            raise Problem(
                "upload-not-in-manifest",
                f"no open submission of this unit lists a file {sha} of {length} bytes; "
                "PUT the submission first",
            )


def _create_row(
    st: IntakeState, unit: UnitInfo, sha: str, length: int, meta: dict[str, str], header: str
) -> UploadRow:
    now = st.now()
    check_listed(st, unit, sha, length)
    with st.db.session() as s:
        row = UploadRow(
            id=uuid.uuid4().hex,
            unit_id=unit.id,
            sha256=sha,
            length=length,
            metadata_header=header[:4000],
            filename=meta.get("filename", ""),
            filetype=meta.get("filetype", "")[:100],
            state="open",
            created_at=now,
            expires_at=now + st.settings.upload_expiry,
        )
        s.add(row)
    st.blobs.part_path(row.id).touch(exist_ok=False)
    return row


@router.post("", status_code=201, include_in_schema=False)
@router.post(
    "/",
    status_code=201,
    summary="tus: create an upload (creation, creation-with-upload)",
    openapi_extra=DOC_CREATE,
)
async def create(
    request: Request,
    _v: TusVersion,
    unit: Auth,
) -> Response:
    st = _state(request)
    if "upload-defer-length" in request.headers:
        raise Problem("upload-length-invalid", "Upload-Defer-Length is not supported")
    length = _int_header(request, "upload-length", "upload-length-invalid")
    max_size = min(st.settings.max_upload_bytes, st.campaigns.max_file_bytes())
    if length > max_size:
        raise Problem("upload-too-large", f"{length} bytes is over the limit of {max_size}")
    header = request.headers.get("upload-metadata", "")
    meta = parse_metadata(header)
    sha = meta.get("sha256", "").lower()
    if not SHA256_HEX.match(sha):
        raise Problem("upload-metadata-invalid", "Upload-Metadata needs sha256 (64 hex digits)")
    if "filename" in meta:
        meta["filename"] = safe_filename(meta["filename"])
    row = await run_in_threadpool(_create_row, st, unit, sha, length, meta, header)
    location = f"{request.base_url}api/v1/uploads/{row.id}"
    headers = {
        "Location": location,
        "Tus-Resumable": TUS_VERSION,
        "Upload-Expires": _http_date(row.expires_at),
    }
    has_body = request.headers.get("content-length", "0") != "0" or (
        "chunked" in request.headers.get("transfer-encoding", "")
    )
    if request.headers.get("content-type", "").startswith(OCTET) and has_body:
        offset, expires = await _write(st, request, row, 0)
        headers["Upload-Offset"] = str(offset)
        headers["Upload-Expires"] = _http_date(expires)
    return Response(status_code=201, headers=headers)


def _load(st: IntakeState, unit: UnitInfo, upload_id: str) -> UploadRow:
    if not re.fullmatch(r"[0-9a-f]{32}", upload_id):
        raise Problem("upload-not-found", f"there is no upload {upload_id[:40]!r}")
    with st.db.session() as s:
        row = s.get(UploadRow, upload_id)
        if row is None or row.unit_id != unit.id:
            raise Problem("upload-not-found", f"there is no upload {upload_id}")
        if row.state == "gone":
            raise Problem(
                "upload-expired", "the upload was terminated or discarded; create a new one"
            )
        if row.state == "open" and row.expires_at < st.now():
            raise Problem("upload-expired", f"the upload expired at {row.expires_at.isoformat()}")
        s.expunge(row)
        return row


def _offset(st: IntakeState, row: UploadRow) -> int:
    if row.state == "done":
        return row.length
    try:
        return st.blobs.part_path(row.id).stat().st_size
    except FileNotFoundError:
        raise Problem("upload-expired", "the upload's data is gone; create a new one") from None


@router.head("/{upload_id}", summary="tus: the offset to resume from", openapi_extra=DOC_HEAD)
async def head(
    upload_id: str,
    request: Request,
    _v: TusVersion,
    unit: Auth,
) -> Response:
    st = _state(request)
    row = await run_in_threadpool(_load, st, unit, upload_id)
    headers = {
        "Tus-Resumable": TUS_VERSION,
        "Upload-Offset": str(_offset(st, row)),
        "Upload-Length": str(row.length),
        "Cache-Control": "no-store",
    }
    if row.metadata_header:
        headers["Upload-Metadata"] = row.metadata_header
    if row.state == "open":
        headers["Upload-Expires"] = _http_date(row.expires_at)
    return Response(status_code=200, headers=headers)


@router.patch(
    "/{upload_id}",
    status_code=204,
    summary="tus: append bytes at Upload-Offset",
    openapi_extra=DOC_PATCH,
)
async def patch(
    upload_id: str,
    request: Request,
    _v: TusVersion,
    unit: Auth,
) -> Response:
    st = _state(request)
    if not request.headers.get("content-type", "").startswith(OCTET):
        raise Problem("upload-content-type", f"Content-Type must be {OCTET}")
    offset = _int_header(request, "upload-offset", "upload-offset-invalid")
    row = await run_in_threadpool(_load, st, unit, upload_id)
    new_offset, expires = await _write(st, request, row, offset)
    headers = {"Tus-Resumable": TUS_VERSION, "Upload-Offset": str(new_offset)}
    if new_offset < row.length:
        headers["Upload-Expires"] = _http_date(expires)
    return Response(status_code=204, headers=headers)


def _checksum(request: Request) -> tuple[Any, bytes] | None:
    raw = request.headers.get("upload-checksum")
    if raw is None:
        return None
    alg, _, b64 = raw.strip().partition(" ")
    if alg not in CHECKSUM_ALGORITHMS:
        raise Problem(
            "checksum-algorithm-unsupported",
            f"Upload-Checksum algorithm {alg!r}; supported: {', '.join(CHECKSUM_ALGORITHMS)}",
        )
    try:
        want = base64.b64decode(b64, validate=True)
    except binascii.Error:
        raise Problem("checksum-algorithm-unsupported", "Upload-Checksum is not base64") from None
    return hashlib.new(alg), want


async def _write(
    st: IntakeState, request: Request, row: UploadRow, offset: int
) -> tuple[int, dt.datetime]:
    """Stream the body to the part file at ``offset`` under the upload's lock."""
    if row.state == "done":
        raise Problem(
            "upload-offset-mismatch",
            f"the upload is complete ({row.length} bytes)",
            {"Upload-Offset": str(row.length), "Tus-Resumable": TUS_VERSION},
            offset=row.length,
        )
    checksum = _checksum(request)
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and offset + int(declared) > row.length:
        raise Problem(
            "upload-too-large", f"the body would go past Upload-Length ({row.length} bytes)"
        )
    part = st.blobs.part_path(row.id)
    sink: _Sink | None = None
    try:
        fd = os.open(part, os.O_RDWR)
    except FileNotFoundError:
        raise Problem("upload-expired", "the upload's data is gone; create a new one") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Problem(
                "upload-locked",
                "another request is writing this upload; wait, then HEAD and resume",
                {"Retry-After": "1", "Tus-Resumable": TUS_VERSION},
            ) from None
        current = os.fstat(fd).st_size
        if current != offset:
            raise Problem(
                "upload-offset-mismatch",
                f"Upload-Offset is {offset} but the server has {current} bytes; "
                "send HEAD and resume from there",
                {"Upload-Offset": str(current), "Tus-Resumable": TUS_VERSION},
                offset=current,
            )
        hasher = st.hashers.take(row.id, current)
        saved = hasher.copy() if hasher is not None and checksum else None
        sink = _Sink(fd, current, [h for h in (hasher, checksum and checksum[0]) if h])
        disconnected = False
        try:
            try:
                async for chunk in request.stream():
                    if not chunk:
                        continue
                    if sink.accepted + len(chunk) > row.length:
                        await sink.settle()
                        os.ftruncate(fd, current)
                        st.hashers.drop(row.id)
                        raise Problem(
                            "upload-too-large",
                            f"the body goes past Upload-Length ({row.length} bytes); "
                            "nothing of this request was kept",
                        )
                    await sink.add(chunk)
            except ClientDisconnect:
                disconnected = True
            await sink.close()
        except OSError as exc:  # from the worker: the disk is full, or worse
            await sink.settle()
            os.ftruncate(fd, current)
            st.hashers.drop(row.id)
            if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
                raise Problem(
                    "storage-full",
                    "the server's disk is full; nothing of this request was kept, try again later",
                ) from None
            raise
        pos = sink.pos
        if checksum and not disconnected and checksum[0].digest() != checksum[1]:
            os.ftruncate(fd, current)
            if saved is not None:
                st.hashers.put(row.id, current, saved)
            raise Problem(
                "checksum-mismatch",
                "Upload-Checksum does not match the body; nothing of this request was kept",
            )
        if disconnected and checksum:
            os.ftruncate(fd, current)  # an unverifiable partial chunk is not kept
            pos = current
            hasher = saved
        await run_in_threadpool(os.fsync, fd)
        if hasher is not None:
            st.hashers.put(row.id, pos, hasher)
        if pos == row.length and not disconnected:
            await run_in_threadpool(_finish, st, row, fd)
            return pos, row.expires_at
        expires = st.now() + st.settings.upload_expiry
        await run_in_threadpool(_touch, st, row.id, expires)
        return pos, expires
    finally:
        if sink is not None:
            await sink.settle()  # no worker may still write when the descriptor closes
        os.close(fd)  # releases the lock


class _Sink:
    """Writes and hashes a request body off the event loop, in order, in batches.

    While the worker thread is busy with one batch (``pwrite`` and ``hashlib`` release
    the GIL, so this runs beside the event loop), the next chunks are gathered, up to
    :data:`BATCH` bytes; when it is idle, whatever arrived is handed over at once, so a
    slow trickle still reaches the disk as it comes.  At most two batches per upload are
    in memory.
    """

    def __init__(self, fd: int, pos: int, hashers: list[Any]) -> None:
        self.fd = fd
        self.pos = pos  # bytes handed to the worker end here
        self.hashers = hashers
        self.buf = bytearray()
        self.pending: asyncio.Future[None] | None = None

    @property
    def accepted(self) -> int:
        return self.pos + len(self.buf)

    async def add(self, chunk: bytes) -> None:
        self.buf += chunk
        if self.pending is None or self.pending.done() or len(self.buf) >= BATCH:
            await self._submit()

    async def _submit(self) -> None:
        if self.pending is not None:
            await self.pending
            self.pending = None
        if not self.buf:
            return
        data, self.buf = self.buf, bytearray()
        at, self.pos = self.pos, self.pos + len(data)
        loop = asyncio.get_running_loop()
        self.pending = loop.run_in_executor(None, self._job, data, at)

    def _job(self, data: bytearray, at: int) -> None:
        view = memoryview(data)
        while view:
            n = os.pwrite(self.fd, view, at)
            at += n
            view = view[n:]
        for h in self.hashers:
            h.update(data)

    async def close(self) -> None:
        await self._submit()
        await self._submit()

    async def settle(self) -> None:
        """Wait for the batch in flight, ignoring its errors (before undoing a request)."""
        if self.pending is not None:
            with contextlib.suppress(Exception):
                await self.pending
            self.pending = None


def _touch(st: IntakeState, upload_id: str, expires: dt.datetime) -> None:
    with st.db.session() as s:
        row = s.get(UploadRow, upload_id)
        if row is not None and row.state == "open":
            row.expires_at = expires


def _discard(st: IntakeState, row: UploadRow) -> None:
    st.blobs.part_path(row.id).unlink(missing_ok=True)
    st.hashers.drop(row.id)
    with st.db.session() as s:
        live = s.get(UploadRow, row.id)
        if live is not None:
            live.state = "gone"


def _finish(st: IntakeState, row: UploadRow, fd: int) -> None:
    """Verify a complete upload and move it into the media store."""
    hasher = st.hashers.take(row.id, row.length)
    if hasher is None:  # resumed in another process: hash what is on disk
        hasher = hashlib.sha256()
        with open(st.blobs.part_path(row.id), "rb") as f:
            while block := f.read(READ_CHUNK):
                hasher.update(block)
    digest = hasher.hexdigest()
    st.hashers.drop(row.id)
    if digest != row.sha256:
        _discard(st, row)
        raise Problem(
            "upload-hash-mismatch",
            f"the file's SHA-256 is {digest}, Upload-Metadata said {row.sha256}; "
            "the upload was discarded, create a new one",
            sha256=digest,
        )
    try:
        media_type = check_type(st, os.pread(fd, SNIFF_BYTES, 0), row.sha256)
    except Problem:
        _discard(st, row)
        raise
    st.blobs.commit(st.blobs.part_path(row.id), row.sha256)
    record_blob(st, row.sha256, row.length, media_type, row.id, sender=row.unit_id)
    row.state = "done"


def check_type(st: IntakeState, head: bytes, sha: str) -> str:
    """The media type sniffed from a file's first bytes: accepted by the campaigns and
    the type the manifests that list the file declared."""
    media_type = sniff(head).media_type
    if media_type not in st.campaigns.accepted_types():
        raise Problem(
            "media-type-mismatch",
            f"the file's bytes are {media_type or 'of no known type'}, not an accepted "
            "photo or video; the upload was discarded",
            detected_type=media_type,
        )
    with st.db.session() as s:
        declared = set(
            s.scalars(
                select(RevisionMediaRow.media_type).where(RevisionMediaRow.sha256 == sha)
            ).all()
        )
    if declared and media_type not in declared:
        raise Problem(
            "media-type-mismatch",
            f"the file's bytes are {media_type}, but the report says "
            f"{', '.join(sorted(declared))}; the upload was discarded",
            detected_type=media_type,
        )
    return media_type


def record_blob(
    st: IntakeState,
    sha: str,
    size: int,
    media_type: str,
    upload_id: str | None = None,
    sender: int | None = None,
) -> None:
    """Note a verified, stored file, who sent it (``sender``, a unit id) and mark its
    upload done."""
    for attempt in range(3):
        try:
            with st.db.session() as s:
                if s.get(BlobRow, sha) is None:
                    s.add(BlobRow(sha256=sha, size=size, media_type=media_type))
                if sender is not None:
                    note_sender(s, sha, sender)
                live = s.get(UploadRow, upload_id) if upload_id else None
                if live is not None:
                    live.state = "done"
            return
        except IntegrityError:  # the same file finished in another upload at this moment
            if attempt == 2:
                raise


def _terminate(st: IntakeState, unit: UnitInfo, upload_id: str) -> None:
    row = _load(st, unit, upload_id)
    if row.state == "done":
        return
    part = st.blobs.part_path(row.id)
    try:
        fd = os.open(part, os.O_WRONLY)
    except FileNotFoundError:
        fd = -1
    try:
        if fd >= 0:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise Problem("upload-locked", "the upload is being written; try again") from None
        _discard(st, row)
    finally:
        if fd >= 0:
            os.close(fd)


@router.delete(
    "/{upload_id}", status_code=204, summary="tus: terminate an upload", openapi_extra=DOC_DELETE
)
async def delete(
    upload_id: str,
    request: Request,
    _v: TusVersion,
    unit: Auth,
) -> Response:
    await run_in_threadpool(_terminate, _state(request), unit, upload_id)
    return Response(status_code=204, headers={"Tus-Resumable": TUS_VERSION})


def sweep_expired(st: IntakeState) -> int:
    """Remove the files of uploads that expired; returns how many.

    An upload that a PATCH is writing right now (its lock is held) is left alone.
    """
    now = st.now()
    with st.db.session() as s:
        ids = list(
            s.scalars(
                select(UploadRow.id).where(UploadRow.state == "open", UploadRow.expires_at < now)
            ).all()
        )
    removed = 0
    for upload_id in ids:
        part = st.blobs.part_path(upload_id)
        try:
            fd = os.open(part, os.O_RDWR)
        except FileNotFoundError:
            fd = -1
        try:
            if fd >= 0:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue
            with st.db.session() as s:
                row = s.get(UploadRow, upload_id)
                if row is None or row.state != "open" or row.expires_at >= st.now():
                    continue
                row.state = "gone"
            part.unlink(missing_ok=True)
            st.hashers.drop(upload_id)
            removed += 1
        finally:
            if fd >= 0:
                os.close(fd)
    stale = time.time() - st.settings.upload_expiry.total_seconds()
    for leftover in st.blobs.uploads.glob("hook-*.part"):  # a crash mid post-finish hook
        with contextlib.suppress(FileNotFoundError):
            if leftover.stat().st_mtime < stale:
                leftover.unlink()
    return removed
