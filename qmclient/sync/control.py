"""Pause, cancel and progress for a running transfer, shared with the GUI or the terminal.

A :class:`TransferControl` is the :class:`~qmclient.core.work.Work` handed to the sender;
the GUI thread calls :meth:`~qmclient.core.work.Work.cancel` (which also serves as
*pause*: the upload state is kept and the next run resumes).  The worker checks it
between and within chunks and sleeps through it while backing off, so a cancel takes
effect within one read of the file (1 MiB).  Its cancel is raised as
:class:`qmclient.sync.errors.Cancelled`, which the outbox records like any other outcome
of sending.
"""

from __future__ import annotations

from dataclasses import dataclass

from qmclient.core.work import Work
from qmclient.sync.errors import Cancelled


@dataclass(frozen=True)
class FileProgress:
    """Where one file's upload stands: ``done`` of ``total`` bytes are on the server
    (the ``detail`` of the upload's :class:`~qmclient.core.work.Progress`)."""

    sha256: str
    name: str
    done: int
    total: int
    sent_now: int  # bytes sent in this run (for speed), not counting earlier runs


class TransferControl(Work):
    """The :class:`Work` of a transfer: its cancel is a :class:`SyncError` too."""

    def cancelled_error(self) -> Cancelled:
        return Cancelled()
