"""Stream wrappers: at most N bytes of another stream (a byte range); a stream that
hashes what is read through it."""

from __future__ import annotations

import hashlib
import io
from typing import Any


class LimitedReader(io.RawIOBase):
    def __init__(self, inner: Any, limit: int) -> None:
        self._inner = inner
        self._left = limit

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        if self._left <= 0:
            return 0
        view = memoryview(b)[: self._left]
        data = self._inner.read(len(view))
        n = len(data)
        view[:n] = data
        self._left -= n
        return n

    def close(self) -> None:
        try:
            self._inner.close()
        finally:
            super().close()


class HashingReader(io.RawIOBase):
    """Reads through to ``inner`` and keeps the SHA-256 of everything read."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self._hasher = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        view = memoryview(b)
        data = self._inner.read(len(view))
        n = len(data)
        view[:n] = data
        self._hasher.update(data)
        return n

    def hexdigest(self) -> str:
        return self._hasher.hexdigest()


class LazyRange(io.RawIOBase):
    """A file of the media store, opened at its first read: ``seek`` before that picks
    where the ranged read starts (what a resumed download needs), so an object store
    answers one ranged GET and nothing is copied first."""

    def __init__(self, opener: Any) -> None:
        self._opener = opener  # start → a stream of the file's bytes from there
        self._start = 0
        self._inner: Any = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return self._inner is None

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if self._inner is not None or whence != io.SEEK_SET or offset < 0:
            raise io.UnsupportedOperation("seek only to an absolute place before reading")
        self._start = offset
        return offset

    def readinto(self, b: Any) -> int:
        if self._inner is None:
            self._inner = self._opener(self._start)
        view = memoryview(b)
        readinto = getattr(self._inner, "readinto", None)
        if readinto is not None:  # straight into the caller's buffer: no copy
            return int(readinto(view) or 0)
        data = self._inner.read(len(view))
        view[: len(data)] = data
        return len(data)

    def close(self) -> None:
        try:
            if self._inner is not None:
                self._inner.close()
        finally:
            super().close()
