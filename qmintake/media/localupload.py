"""Unfinished tus uploads in the data folder: ``uploads/<id>.part``, its size the offset.

A server killed mid-PATCH resumes from what reached the disk.  The running SHA-256 stays
in this process's memory (:class:`~qmintake.hashcache.HasherCache`); an upload resumed by
another process is hashed from the part file at the end.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from typing import Any

from qmclient.core.filetype import SNIFF_BYTES
from qmintake.hashcache import HasherCache
from qmintake.leases import Lease
from qmintake.media.local import LocalMediaStore
from qmintake.models import UploadRow

READ_CHUNK = 1024 * 1024
Verify = Callable[[str, bytes], Any]


_PWRITEV = hasattr(os, "pwritev")  # not on Windows


class UploadGone(Exception):
    """The upload's data is no longer there."""


class LocalUploads:
    def __init__(self, store: LocalMediaStore, hashers: HasherCache) -> None:
        self.store = store
        self.hashers = hashers

    def create(self, row: UploadRow) -> None:
        self.store.part_path(row.id).touch(exist_ok=False)

    def offset(self, row: UploadRow) -> int:
        try:
            return self.store.part_path(row.id).stat().st_size
        except FileNotFoundError:
            raise UploadGone(row.id) from None

    def open(self, row: UploadRow, lease: Lease) -> LocalWriter:
        return LocalWriter(self, row, lease)

    def discard(self, row: UploadRow) -> None:
        self.store.part_path(row.id).unlink(missing_ok=True)
        self.hashers.drop(row.id)


class LocalWriter:
    """Appends one request's body to the part file (called from a worker thread)."""

    def __init__(self, area: LocalUploads, row: UploadRow, lease: Lease) -> None:
        self.area = area
        self.row = row
        self.lease = lease
        try:
            self.fd = os.open(area.store.part_path(row.id), os.O_RDWR)
        except FileNotFoundError:
            raise UploadGone(row.id) from None
        self.start = self.pos = os.fstat(self.fd).st_size
        self.hasher = area.hashers.take(row.id, self.start)
        self.saved = self.hasher.copy() if self.hasher is not None else None

    def write(self, data: bytes | bytearray) -> None:
        self.write_many([data])

    def write_many(self, chunks: Sequence[bytes | bytearray]) -> None:
        """The chunks in order, with one system call where the platform has ``pwritev``
        (a request body arrives in messages of 64–256 KiB; the lease is looked at once)."""
        self.lease.renew_if_due()  # the fence: a writer that lost its lease stops here
        at = self.pos
        total = sum(len(c) for c in chunks)
        done = os.pwritev(self.fd, chunks, at) if _PWRITEV and len(chunks) > 1 else 0
        if done < total:  # one chunk, no pwritev, or written in part: the rest one by one
            skip = done
            for chunk in chunks:
                if skip >= len(chunk):
                    skip -= len(chunk)
                    continue
                view = memoryview(chunk)[skip:]
                skip = 0
                pos = at + done
                while view:
                    n = os.pwrite(self.fd, view, pos)
                    pos += n
                    done += n
                    view = view[n:]
        if self.hasher is not None:
            for chunk in chunks:
                self.hasher.update(chunk)
        self.pos = at + total

    def keep(self) -> int:
        # no fsync per request: a killed server keeps what reached the page cache, and
        # after a power cut the part file's size still says what arrived (the client asks
        # with HEAD and resumes from there); the whole file is synced once, in finish()
        if self.hasher is not None:
            self.area.hashers.put(self.row.id, self.pos, self.hasher)
        return self.pos

    def undo(self) -> None:
        """Forget this request's bytes: the file and the running SHA-256 as they were."""
        os.ftruncate(self.fd, self.start)
        self.pos = self.start
        self.hasher = self.saved.copy() if self.saved is not None else None
        if self.saved is not None:
            self.area.hashers.put(self.row.id, self.start, self.saved)
        else:
            self.area.hashers.drop(self.row.id)

    def finish(self, verify: Verify) -> Any:
        """All bytes are in: ``verify(sha256_hex, first_bytes)`` then move into the store."""
        os.fsync(self.fd)
        hasher = self.hasher
        if hasher is None:  # resumed in another process: hash what is on disk
            hasher = hashlib.sha256()
            with open(self.area.store.part_path(self.row.id), "rb") as f:
                while block := f.read(READ_CHUNK):
                    hasher.update(block)
        self.area.hashers.drop(self.row.id)
        try:
            result = verify(hasher.hexdigest(), os.pread(self.fd, SNIFF_BYTES, 0))
        except BaseException:
            self.area.discard(self.row)
            raise
        self.area.store.commit(self.area.store.part_path(self.row.id), self.row.sha256)
        return result

    def close(self) -> None:
        os.close(self.fd)
