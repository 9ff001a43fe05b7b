"""Pause, cancel and progress for a running transfer, shared with the GUI or the terminal.

A :class:`TransferControl` is handed to the worker; the GUI thread calls :meth:`cancel`
(which also serves as *pause*: the upload state is kept and the next run resumes).
The worker checks it between and within chunks and sleeps through it while backing off,
so a cancel takes effect within one read of the file (1 MiB).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from qmclient.sync.errors import Cancelled


@dataclass(frozen=True)
class FileProgress:
    """Where one file's upload stands: ``done`` of ``total`` bytes are on the server."""

    sha256: str
    name: str
    done: int
    total: int
    sent_now: int  # bytes sent in this run (for speed), not counting earlier runs


ProgressFn = Callable[[FileProgress], None]


class TransferControl:
    def __init__(self) -> None:
        self._stop = threading.Event()

    def cancel(self) -> None:
        self._stop.set()

    def reset(self) -> None:
        self._stop.clear()

    @property
    def cancelled(self) -> bool:
        return self._stop.is_set()

    def check(self) -> None:
        if self._stop.is_set():
            raise Cancelled()

    def sleep(self, seconds: float) -> None:
        """Wait ``seconds``, or less when cancelled (then raise :class:`Cancelled`)."""
        if seconds > 0 and self._stop.wait(seconds):
            raise Cancelled()
        self.check()
