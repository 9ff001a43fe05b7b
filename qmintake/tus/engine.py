"""The upload engine: who may upload what, one writer per upload, streaming a body into
the media store, and the final check.

One writer per upload, across processes and replicas: a PATCH holds the upload's lease
(a row in the database, ``qmintake/leases.py``) for its whole run; a second PATCH gets
423 until the first ends — or until its lease expires, when the holder is gone (a replica
killed).  The wait for the next bytes of a body is bounded (``--body-timeout``): a silent
client's request ends, the bytes received are kept and the lease is released.  Bodies are
streamed to the store chunk by chunk, never held whole in memory.  The request that
completes the file checks its SHA-256 and its type, then the store files it under its
content address (``qmintake/media/``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import time
import uuid
from typing import Any

from fastapi import Request
from sqlalchemy import Connection, bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool

from qmclient.core.filetype import sniff
from qmintake.auth import UnitInfo
from qmintake.bodywait import BodyTimeout, receive_within
from qmintake.leases import Lease, LeaseLost
from qmintake.media import MediaStoreError
from qmintake.media.localupload import UploadGone
from qmintake.models import (
    BlobRow,
    LeaseRow,
    RevisionMediaRow,
    RevisionRow,
    SubmissionRow,
    UploadRow,
    utcnow,
)
from qmintake.problems import Problem
from qmintake.provenance import note_sender
from qmintake.settings import IntakeState
from qmintake.tus.protocol import TUS_VERSION, UPLOAD_ID, checksum_of
from qmintake.tus.sink import Sink

# The upload path's statements, built once: each file of a send runs them, and building
# a statement (or an ORM session and its objects) costs more than SQLite running it.
_LISTED = (
    select(RevisionMediaRow.sha256)
    .join(RevisionRow, RevisionRow.id == RevisionMediaRow.revision_id)
    .join(SubmissionRow, SubmissionRow.id == RevisionRow.submission_id)
    .where(
        RevisionMediaRow.sha256 == bindparam("sha"),
        RevisionMediaRow.size == bindparam("size"),
        SubmissionRow.owner_unit_id == bindparam("unit"),
        RevisionRow.finalised_at.is_(None),
    )
    .limit(1)
)
_INSERT_UPLOAD = insert(UploadRow)
_UPLOAD = select(UploadRow.__table__).where(UploadRow.id == bindparam("upload"))
_SET_STATE = update(UploadRow).where(UploadRow.id == bindparam("upload"))
_TOUCH = (
    update(UploadRow)
    .where(UploadRow.id == bindparam("upload"), UploadRow.state == "open")
    .values(expires_at=bindparam("until"))
)
_DECLARED_TYPES = (
    select(RevisionMediaRow.media_type)
    .where(RevisionMediaRow.sha256 == bindparam("sha"))
    .distinct()
)
_BLOB_KNOWN = select(BlobRow.sha256).where(BlobRow.sha256 == bindparam("sha"))
_INSERT_BLOB = insert(BlobRow)


def check_listed(st: IntakeState, unit: UnitInfo, sha: str, length: int) -> None:
    """A file may be uploaded only if an open submission of the unit lists it."""
    with st.db.read() as conn:
        _check_listed_in(conn, unit, sha, length)


def _check_listed_in(conn: Connection, unit: UnitInfo, sha: str, length: int) -> None:
    listed = conn.execute(_LISTED, {"sha": sha, "size": length, "unit": unit.id}).first()
    if listed is None:
        raise Problem(
            "upload-not-in-manifest",
            f"no open submission of this unit lists a file {sha} of {length} bytes; "
            "PUT the submission first",
        )


def upload_lease(st: IntakeState, upload_id: str) -> Lease:
    """The lease that makes one request at a time the writer of an upload."""
    return Lease(st.db, f"upload:{upload_id}", st.settings.lease_ttl_s, st.node)


def create_row(
    st: IntakeState,
    unit: UnitInfo,
    sha: str,
    length: int,
    meta: dict[str, str],
    header: str,
    with_body: bool = False,
) -> tuple[UploadRow, Lease | None]:
    """Check the file is listed and create its upload, in one transaction.  ``with_body``
    (creation-with-upload): the upload's lease is taken in the same transaction and
    returned, for this request writes it right away."""
    now = st.now()
    upload_id = uuid.uuid4().hex
    lease = upload_lease(st, upload_id) if with_body else None
    values: dict[str, Any] = {
        "id": upload_id,
        "unit_id": unit.id,
        "sha256": sha,
        "length": length,
        "metadata_header": header[:4000],
        "filename": meta.get("filename", ""),
        "filetype": meta.get("filetype", "")[:100],
        "state": "open",
        "created_at": now,
        "expires_at": now + st.settings.upload_expiry,
        "parts": "",
        "stored": 0,
        "tail_key": "",
        "tail": 0,
    }
    with st.db.begin() as conn:
        _check_listed_in(conn, unit, sha, length)
        if lease is not None:
            lease.take_in(conn)  # a new id: nobody else can hold it
        conn.execute(_INSERT_UPLOAD, values)
    row = UploadRow(**values)
    try:
        st.uploads.create(row)
    except BaseException:
        if lease is not None:
            lease.release()
        raise
    return row, lease


def load(st: IntakeState, unit: UnitInfo, upload_id: str) -> UploadRow:
    if not UPLOAD_ID.fullmatch(upload_id):
        raise Problem("upload-not-found", f"there is no upload {upload_id[:40]!r}")
    with st.db.read() as conn:
        found = conn.execute(_UPLOAD, {"upload": upload_id}).first()
    if found is None or found.unit_id != unit.id:
        raise Problem("upload-not-found", f"there is no upload {upload_id}")
    row = UploadRow(**found._asdict())  # not in any session: a plain record of the row
    if row.state == "gone":
        raise Problem("upload-expired", "the upload was terminated or discarded; create a new one")
    if row.state == "open" and row.expires_at < st.now():
        raise Problem("upload-expired", f"the upload expired at {row.expires_at.isoformat()}")
    return row


def offset_of(st: IntakeState, row: UploadRow) -> int:
    if row.state == "done":
        return row.length
    try:
        return int(st.uploads.offset(row))
    except UploadGone:
        raise Problem("upload-expired", "the upload's data is gone; create a new one") from None


def store_problem(exc: MediaStoreError) -> Problem:
    return Problem(
        "media-store-unavailable",
        f"{exc.message_en}; the bytes received so far are kept, try again later",
        {"Retry-After": "30", "Tus-Resumable": TUS_VERSION},
        detail_zh=exc.message_zh,
    )


def _gone() -> Problem:
    return Problem("upload-expired", "the upload's data is gone; create a new one")


def _locked() -> Problem:
    return Problem(
        "upload-locked",
        "another request is writing this upload right now; nothing of this request was "
        "stored — wait a moment, send HEAD and resume from its Upload-Offset",
        {"Retry-After": "5", "Tus-Resumable": TUS_VERSION},
    )


async def write(
    st: IntakeState, request: Request, row: UploadRow, offset: int, lease: Lease | None = None
) -> tuple[int, dt.datetime]:
    """Stream the body into the upload at ``offset`` while holding its lease (``lease``:
    already taken, by the request that created the upload)."""
    if row.state == "done":
        raise Problem(
            "upload-offset-mismatch",
            f"the upload is complete ({row.length} bytes)",
            {"Upload-Offset": str(row.length), "Tus-Resumable": TUS_VERSION},
            offset=row.length,
        )
    if lease is None:
        lease = upload_lease(st, row.id)
        if not await run_in_threadpool(lease.take):
            raise _locked()
    writer: Any = None
    sink: Sink | None = None
    try:
        checksum = checksum_of(request)
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and offset + int(declared) > row.length:
            raise Problem(
                "upload-too-large", f"the body would go past Upload-Length ({row.length} bytes)"
            )
        try:
            writer = await run_in_threadpool(st.uploads.open, row, lease)
        except UploadGone:
            raise _gone() from None
        except MediaStoreError as exc:
            raise store_problem(exc) from None
        current = writer.start
        if current != offset:
            raise Problem(
                "upload-offset-mismatch",
                f"Upload-Offset is {offset} but the server has {current} bytes; "
                "send HEAD and resume from there",
                {"Upload-Offset": str(current), "Tus-Resumable": TUS_VERSION},
                offset=current,
            )
        if checksum:
            writer.progressive = False  # keep nothing of a body that may fail its checksum
        sink = Sink(writer, checksum[0] if checksum else None)
        ended = await _stream(st, request, row, sink, lease)
        pos = sink.pos
        if checksum and not ended and checksum[0].digest() != checksum[1]:
            await run_in_threadpool(writer.undo)
            raise Problem(
                "checksum-mismatch",
                "Upload-Checksum does not match the body; nothing of this request was kept",
            )
        if pos == row.length and not ended:
            await run_in_threadpool(_finish, st, row, writer, lease)
            return pos, row.expires_at
        if ended and checksum:
            # an unverifiable partial chunk is not kept; nor is anything else of this
            # writer's: a keep() after the undo would record the running SHA-256 with the
            # undone bytes in it, and the finished file would fail its check
            await run_in_threadpool(writer.undo)
            pos = writer.start
        else:
            try:
                pos = int(await run_in_threadpool(writer.keep))
            except MediaStoreError as exc:
                raise store_problem(exc) from None
            except LeaseLost:
                raise _locked() from None
            except UploadGone:
                raise _gone() from None
        expires = st.now() + st.settings.upload_expiry
        await run_in_threadpool(_touch, st, row.id, expires)
        if ended == "timeout":
            raise Problem(
                "body-timeout",
                f"no bytes arrived for {st.settings.body_timeout_s:g} s; the upload keeps "
                f"{pos} bytes (a request with Upload-Checksum keeps none of its own) — "
                "send HEAD and resume from there",
                {"Upload-Offset": str(pos), "Tus-Resumable": TUS_VERSION, "Connection": "close"},
                offset=pos,
            )
        return pos, expires
    finally:
        if sink is not None:
            await sink.settle()  # no worker may still write when the writer closes
        if writer is not None:
            writer.close()
        if lease.held:  # not already released with the finished file's record
            with contextlib.suppress(Exception):
                await run_in_threadpool(lease.release)


async def _stream(
    st: IntakeState, request: Request, row: UploadRow, sink: Sink, lease: Lease
) -> str | None:
    """Feed the body to ``sink``; returns None, "disconnect" or "timeout"."""
    writer = sink.writer

    async def renew() -> None:
        await run_in_threadpool(lease.renew_if_due)

    ended: str | None = None
    try:
        while True:
            try:
                message = await receive_within(
                    request.receive,
                    st.settings.body_timeout_s,
                    tick_s=st.settings.lease_ttl_s / 3,
                    on_wait=renew,
                )
            except BodyTimeout:
                ended = "timeout"
                break
            if message["type"] == "http.disconnect":
                ended = "disconnect"
                break
            chunk = message.get("body", b"")
            if chunk:
                if sink.accepted + len(chunk) > row.length:
                    await sink.settle()
                    await run_in_threadpool(writer.undo)
                    raise Problem(
                        "upload-too-large",
                        f"the body goes past Upload-Length ({row.length} bytes); "
                        "nothing of this request was kept",
                    )
                await sink.add(chunk)
            if not message.get("more_body", False):
                break
        await sink.close()
    except OSError as exc:  # from the worker: the disk is full, or worse
        await sink.settle()
        await run_in_threadpool(writer.undo)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            raise Problem(
                "storage-full",
                "the server's disk is full; nothing of this request was kept, try again later",
            ) from None
        raise
    except LeaseLost:
        await sink.settle()
        raise _locked() from None
    except MediaStoreError as exc:
        await sink.settle()
        raise store_problem(exc) from None
    except UploadGone:
        await sink.settle()
        await run_in_threadpool(_mark_gone, st, row.id)
        raise _gone() from None
    return ended


def _touch(st: IntakeState, upload_id: str, expires: dt.datetime) -> None:
    with st.db.begin() as conn:
        conn.execute(_TOUCH, {"upload": upload_id, "until": expires})


def _mark_gone(st: IntakeState, upload_id: str) -> None:
    with st.db.begin() as conn:
        conn.execute(_SET_STATE, {"upload": upload_id, "state": "gone"})


def _finish(st: IntakeState, row: UploadRow, writer: Any, lease: Lease) -> None:
    """Verify a complete upload; the writer files it in the media store, and its record
    releases the lease."""

    def verify(digest: str, head: bytes) -> str:
        if digest != row.sha256:
            raise Problem(
                "upload-hash-mismatch",
                f"the file's SHA-256 is {digest}, Upload-Metadata said {row.sha256}; "
                "the upload was discarded, create a new one",
                sha256=digest,
            )
        return check_type(st, head, row.sha256)

    try:
        media_type = writer.finish(verify)
    except Problem:
        _mark_gone(st, row.id)
        raise
    except MediaStoreError as exc:
        raise store_problem(exc) from None
    except LeaseLost:
        raise _locked() from None
    except UploadGone:
        _mark_gone(st, row.id)
        raise _gone() from None
    record_blob(st, row.sha256, row.length, media_type, row.id, sender=row.unit_id, lease=lease)
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
    with st.db.read() as conn:
        declared = set(conn.scalars(_DECLARED_TYPES, {"sha": sha}).all())
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
    lease: Lease | None = None,
) -> None:
    """Note a verified, stored file, who sent it (``sender``, a unit id) and mark its
    upload done, releasing its ``lease`` in the same transaction."""
    for attempt in range(3):
        try:
            with st.db.begin() as conn:
                if conn.execute(_BLOB_KNOWN, {"sha": sha}).first() is None:
                    conn.execute(
                        _INSERT_BLOB,
                        {
                            "sha256": sha,
                            "size": size,
                            "media_type": media_type,
                            "stored_at": utcnow(),
                        },
                    )
                if sender is not None:
                    note_sender(conn, sha, sender)
                if upload_id:
                    conn.execute(_SET_STATE, {"upload": upload_id, "state": "done"})
                if lease is not None:
                    lease.release_in(conn)
            if lease is not None:
                lease.held = False
            return
        except IntegrityError:  # the same file finished in another upload at this moment
            if attempt == 2:
                raise


def terminate(st: IntakeState, unit: UnitInfo, upload_id: str) -> None:
    row = load(st, unit, upload_id)
    if row.state == "done":
        return
    lease = upload_lease(st, row.id)
    if not lease.take():
        raise Problem("upload-locked", "the upload is being written; try again in a moment")
    try:
        st.uploads.discard(row)
        _mark_gone(st, row.id)
    except MediaStoreError as exc:
        raise store_problem(exc) from None
    finally:
        lease.release()


def sweep_expired(st: IntakeState) -> int:
    """Remove the data of uploads that expired; returns how many.

    An upload that a PATCH is writing right now (its lease is held) is left alone.
    """
    now = st.now()
    with st.db.session() as s:
        rows = list(
            s.scalars(
                select(UploadRow).where(UploadRow.state == "open", UploadRow.expires_at < now)
            ).all()
        )
        s.expunge_all()
    removed = 0
    for row in rows:
        lease = upload_lease(st, row.id)
        if not lease.take():
            continue
        try:
            with st.db.session() as s:
                live = s.get(UploadRow, row.id)
                if live is None or live.state != "open" or live.expires_at >= st.now():
                    continue
                live.state = "gone"
            st.uploads.discard(row)
            removed += 1
        finally:
            lease.release()
    with st.db.session() as s:  # leases whose holders are long gone
        s.execute(delete(LeaseRow).where(LeaseRow.expires_at < now - dt.timedelta(hours=1)))
    uploads_dir = getattr(st.blobs, "uploads", None)
    if uploads_dir is not None:
        stale = time.time() - st.settings.upload_expiry.total_seconds()
        for leftover in uploads_dir.glob("hook-*.part"):  # a crash mid post-finish hook
            with contextlib.suppress(FileNotFoundError):
                if leftover.stat().st_mtime < stale:
                    leftover.unlink()
    return removed
