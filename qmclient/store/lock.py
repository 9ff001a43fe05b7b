"""Which program owns a data folder: an OS file lock, released when the process ends.

The desktop app holds it as long as its window is open, so a second window on the same
folder is refused and a command-line restore can tell that the folder is in use.  The
lock file lives in the temporary folder, named after the data folder's path, so that it
never stands in the way of renaming the data folder itself (a restore swaps folders, and
Windows cannot rename a folder holding an open file).
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path
from typing import IO


def instance_key(data_dir: Path) -> str:
    """A short name for the data folder, the same in every process of this user."""
    text = str(data_dir.expanduser().resolve())  # one key however the folder is spelled
    if sys.platform == "win32":
        text = text.lower()
    user = os.environ.get("USERNAME") or os.environ.get("USER") or ""
    return "qmclient-" + hashlib.sha256(f"{user}\0{text}".encode()).hexdigest()[:16]


def lock_path(data_dir: Path) -> Path:
    return Path(tempfile.gettempdir()) / f"{instance_key(data_dir)}.lock"


class DataDirLock:
    """``acquire()`` returns ``False`` when another process holds the folder."""

    def __init__(self, data_dir: Path) -> None:
        self.path = lock_path(data_dir)
        self._fh: IO[bytes] | None = None
        self._unguarded = False

    def acquire(self) -> bool:
        if self._fh is not None:
            return True
        try:
            fh = open(self.path, "a+b")  # noqa: SIM115 - kept open while the lock is held
        except OSError:
            self._unguarded = True
            return True  # no usable temporary folder: run without the guard, never refuse
        try:
            if sys.platform == "win32":
                import msvcrt

                fh.seek(0)
                msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            return False
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()).encode())
        fh.flush()
        self._fh = fh
        return True

    @property
    def held(self) -> bool:
        """This process holds the lock (or runs without one: no usable temporary folder)."""
        return self._fh is not None or self._unguarded

    def release(self) -> None:
        if self._fh is None:
            return
        try:
            if sys.platform == "win32":
                import msvcrt

                self._fh.seek(0)
                msvcrt.locking(self._fh.fileno(), msvcrt.LK_UNLCK, 1)
            else:
                import fcntl

                fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
        finally:
            self._fh.close()
            self._fh = None

    def held_elsewhere(self) -> bool:
        """True when another process holds the lock (checked by taking it briefly)."""
        if self._fh is not None:
            return False
        if not self.acquire():
            return True
        self.release()
        return False

    def __enter__(self) -> DataDirLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
