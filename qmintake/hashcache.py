"""Running SHA-256 states of uploads in progress, so a finished upload is not re-read.

Only an optimisation: when the state is missing (another process wrote the earlier
bytes, or the server restarted) the file is hashed from disk at the end.
"""

from __future__ import annotations

import hashlib
import threading
from typing import Any


class HasherCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._states: dict[str, tuple[int, Any]] = {}

    def take(self, upload_id: str, offset: int) -> Any:
        """The hasher covering exactly ``offset`` bytes, or None; removes it."""
        with self._lock:
            entry = self._states.pop(upload_id, None)
        if offset == 0:
            return hashlib.sha256()
        if entry is not None and entry[0] == offset:
            return entry[1]
        return None

    def put(self, upload_id: str, offset: int, hasher: Any) -> None:
        with self._lock:
            self._states[upload_id] = (offset, hasher)

    def drop(self, upload_id: str) -> None:
        with self._lock:
            self._states.pop(upload_id, None)
