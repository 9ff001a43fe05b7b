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
