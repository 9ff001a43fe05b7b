"""Unfinished tus uploads straight into the object store, resumable on any replica.

An upload is one S3 multipart upload aimed at the file's final key
(``<prefix>media/<sha256>``).  Bytes arrive in any sizes; whole parts of
:data:`PART_SIZE` are sent as they fill, and what is left at the end of a request is kept
as a small *tail* object (``<prefix>uploads/<id>/tail-<random>``).  Everything needed to
go on — the multipart id, the parts with their ETags, the tail's key and size, the
running SHA-256 state and the file's first bytes — is written to the upload's row in the
database, fenced by the upload's lease, so another replica picks it up where this one
stopped.  The SHA-256 and the type are checked *before* the multipart upload is
completed: nothing unverified ever appears under a content address.
"""

from __future__ import annotations

import contextlib
import functools
import json
import uuid
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from sqlalchemy import select

from qmclient.core.filetype import SNIFF_BYTES
from qmintake.db import Database
from qmintake.leases import Lease, LeaseLost
from qmintake.media import MediaStoreError
from qmintake.media.localupload import UploadGone
from qmintake.media.s3 import S3MediaStore
from qmintake.media.sha256state import ResumableSha256
from qmintake.models import LeaseRow, UploadRow, utcnow

PART_SIZE = 8 * 1024 * 1024  # S3's minimum is 5 MiB for every part but the last
IN_FLIGHT = 4  # parts of one upload sent at once


@functools.cache
def _pool() -> ThreadPoolExecutor:
    """The threads that send parts, shared by all uploads of this process."""
    return ThreadPoolExecutor(max_workers=16, thread_name_prefix="s3-part")


Verify = Callable[[str, bytes], Any]


def _no_such_upload(exc: Exception) -> bool:
    response = getattr(exc, "response", None) or {}
    return (response.get("Error") or {}).get("Code") == "NoSuchUpload"


class S3Uploads:
    def __init__(self, store: S3MediaStore, db: Database) -> None:
        self.store = store
        self.db = db

    def create(self, row: UploadRow) -> None:
        """Nothing to do: the multipart upload starts with the first whole part."""

    def offset(self, row: UploadRow) -> int:
        return row.stored + row.tail

    def open(self, row: UploadRow, lease: Lease) -> S3Writer:
        return S3Writer(self, row, lease)

    def discard(self, row: UploadRow) -> None:
        c = self.store.client
        if row.s3_upload_id:
            try:
                c.abort_multipart_upload(
                    Bucket=self.store.bucket,
                    Key=self.store.key_for(row.sha256),
                    UploadId=row.s3_upload_id,
                )
            except Exception as exc:
                if "NoSuchUpload" not in str(exc):
                    raise self.store.error(exc, "abandoning an upload") from exc
        if row.tail_key:
            self.store.delete_key(row.tail_key)


class S3Writer:
    """One request's bytes into the multipart upload, up to :data:`IN_FLIGHT` parts being
    sent at once (called from one worker thread at a time)."""

    def __init__(self, area: S3Uploads, row: UploadRow, lease: Lease) -> None:
        self.area = area
        self.store = area.store
        self.lease = lease
        with area.db.session() as s:  # the newest state, not the one read before the lease
            live = s.get(UploadRow, row.id)
            if live is None:
                raise UploadGone(row.id)
            s.expunge(live)
        self.row = live
        self.mpu = live.s3_upload_id
        self.parts: list[list[Any]] = json.loads(live.parts) if live.parts else []
        self.stored = live.stored  # bytes in self.parts
        self.sent = live.stored  # bytes in self.parts and in the parts in flight
        self.tail_key = live.tail_key
        self.start = live.stored + live.tail
        self.head = bytes(live.head or b"")
        if live.hash_state:
            self.hasher = ResumableSha256.from_state(bytes(live.hash_state))
        else:
            self.hasher = ResumableSha256()
            if self.start:
                raise UploadGone(row.id)  # bytes without a hash state: start again
        self.buf = bytearray()
        if live.tail:
            self.buf += self._get(live.tail_key, live.tail)
        self.hashed = len(self.buf)  # the buffer's first bytes already went into the hasher
        self.progressive = True  # record each part as it is sent (off with Upload-Checksum)
        # parts being sent: (future of its ETag, number, size, hash state after it)
        self.flight: deque[tuple[Future[str], int, int, bytes]] = deque()

    @property
    def pos(self) -> int:
        return self.sent + len(self.buf)

    def _get(self, key: str, size: int) -> bytes:
        try:
            data: bytes = self.store.client.get_object(Bucket=self.store.bucket, Key=key)[
                "Body"
            ].read()
        except Exception as exc:
            raise self.store.error(exc, "reading an upload's tail") from exc
        if len(data) != size:
            raise UploadGone(self.row.id)
        return data

    def write(self, data: bytes | bytearray) -> None:
        self.lease.renew_if_due()
        if len(self.head) < SNIFF_BYTES and self.pos == len(self.head):
            self.head += bytes(data[: SNIFF_BYTES - len(self.head)])
        self.buf += data
        while len(self.buf) >= PART_SIZE:
            self._send_part(PART_SIZE)
            while len(self.flight) >= IN_FLIGHT:
                self._land_oldest()

    def _hash_upto(self, n: int) -> None:
        if n > self.hashed:
            self.hasher.update(memoryview(self.buf)[self.hashed : n])
            self.hashed = n

    def _send_part(self, n: int) -> None:
        """Cut the buffer's first ``n`` bytes into the next part and start sending it."""
        key = self.store.key_for(self.row.sha256)
        self._hash_upto(n)
        body = bytes(self.buf[:n])
        del self.buf[:n]
        self.hashed = max(0, self.hashed - n)
        c = self.store.client
        if self.mpu is None:
            try:
                self.mpu = c.create_multipart_upload(Bucket=self.store.bucket, Key=key)["UploadId"]
            except Exception as exc:
                raise self.store.error(exc, "starting an upload in the store") from exc
            self._record(self.parts, self.stored, self.tail_key, len(self.buf), b"", only_mpu=True)
        number = len(self.parts) + len(self.flight) + 1
        future = _pool().submit(self._upload_part, key, number, body)
        self.flight.append((future, number, n, self.hasher.state()))
        self.sent += n

    def _upload_part(self, key: str, number: int, body: bytes) -> str:
        etag: str = self.store.client.upload_part(
            Bucket=self.store.bucket, Key=key, UploadId=self.mpu, PartNumber=number, Body=body
        )["ETag"]
        return etag

    def _land_oldest(self) -> None:
        """Wait for the oldest part in flight; record it when recording as we go."""
        future, number, n, state = self.flight.popleft()
        try:
            etag = future.result()
        except Exception as exc:
            self._drain()
            if _no_such_upload(exc):  # completed or aborted elsewhere: start a new one
                raise UploadGone(self.row.id) from exc
            raise self.store.error(exc, "sending a part of an upload") from exc
        self.parts.append([number, etag, n])
        self.stored += n
        if self.progressive:
            self._record(self.parts, self.stored, "", 0, state)

    def _drain(self) -> None:
        """Forget the parts in flight (after a failure); wait for their threads."""
        while self.flight:
            future, _, n, _ = self.flight.pop()
            with contextlib.suppress(Exception):
                future.result()
            self.sent -= n

    def _land_all(self) -> None:
        while self.flight:
            self._land_oldest()

    def _record(
        self,
        parts: list[list[Any]],
        stored: int,
        tail_key: str,
        tail: int,
        state: bytes,
        only_mpu: bool = False,
    ) -> None:
        """Write the upload's state, if this writer still holds the lease."""
        old_tail = None
        with self.area.db.session() as s:
            lease = s.execute(
                select(LeaseRow).where(LeaseRow.name == self.lease.name).with_for_update()
            ).scalar_one_or_none()
            if lease is None or lease.holder != self.lease.holder or lease.expires_at < utcnow():
                raise LeaseLost(self.lease.name)
            live = s.get(UploadRow, self.row.id)
            if live is None or live.state != "open":
                raise UploadGone(self.row.id)
            live.s3_upload_id = self.row.s3_upload_id = self.mpu
            if not only_mpu:
                old_tail = live.tail_key if live.tail_key != tail_key else None
                live.parts = json.dumps(parts)
                live.stored = stored
                live.tail_key = tail_key
                live.tail = tail
                live.hash_state = state
                live.head = self.head or None
        if old_tail:
            self.store.delete_key(old_tail)
        if not only_mpu:
            self.tail_key = tail_key

    def keep(self) -> int:
        """Keep what arrived: the parts in flight land, the rest becomes the new tail."""
        self._land_all()
        tail_key = ""
        if self.buf:
            self._hash_upto(len(self.buf))
            tail_key = self.store.upload_key(self.row.id, f"tail-{uuid.uuid4().hex}")
            try:
                self.store.client.put_object(
                    Bucket=self.store.bucket, Key=tail_key, Body=bytes(self.buf)
                )
            except Exception as exc:
                raise self.store.error(exc, "keeping the end of an upload") from exc
        self._record(self.parts, self.stored, tail_key, len(self.buf), self.hasher.state())
        return self.pos

    def undo(self) -> None:
        """Forget this request's bytes: the recorded state still names the old ones."""
        self._drain()
        self.buf.clear()

    def finish(self, verify: Verify) -> Any:
        """All bytes are in: check them, then complete the multipart upload (or put)."""
        self._hash_upto(len(self.buf))
        try:
            result = verify(self.hasher.hexdigest(), self.head)
        except BaseException:
            self._drain()
            self.area.discard(self.row)
            raise
        c = self.store.client
        key = self.store.key_for(self.row.sha256)
        try:
            if not self.parts and not self.flight:
                c.put_object(Bucket=self.store.bucket, Key=key, Body=bytes(self.buf))
                if self.mpu:
                    self.area.discard(self.row)
            else:
                if self.buf:
                    self._send_part(len(self.buf))  # the last part may be small
                self._land_all()
                c.complete_multipart_upload(
                    Bucket=self.store.bucket,
                    Key=key,
                    UploadId=self.mpu,
                    MultipartUpload={
                        "Parts": [{"PartNumber": n, "ETag": e} for n, e, _ in self.parts]
                    },
                )
        except (MediaStoreError, UploadGone, LeaseLost):
            raise
        except Exception as exc:
            if _no_such_upload(exc):
                raise UploadGone(self.row.id) from exc
            raise self.store.error(exc, "completing an upload") from exc
        if self.tail_key:
            self.store.delete_key(self.tail_key)
        return result

    def close(self) -> None:
        self._drain()
        self.buf = bytearray()
