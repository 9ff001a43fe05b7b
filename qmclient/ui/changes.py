"""The store's "what changed" announcements as a Qt signal, for the views to listen to.

Every committed write names the tables it changed (:meth:`Store.subscribe`);
:class:`StoreChanges` turns that into ``changed(tables)`` on the GUI thread.  Writes are
gathered and announced together (:data:`GATHER_MS` after the first, so a run of hundreds
of small commits, or of saves while typing, costs a few refreshes) — and at once when a
background task ends, before its callback runs (:func:`qmclient.ui.tasks.before_callbacks`),
so a callback finds the views up to date.  Connect views with ``changes.changed.connect(view.method)`` (a method of a
``QObject``: then Qt calls it on the GUI thread) and check whether ``tables`` concern
them, e.g. :data:`SUBMISSION_TABLES`.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from qmclient.ui.tasks import before_callbacks

if TYPE_CHECKING:
    from qmclient.store.database import Store

GATHER_MS = 400
SUBMISSION_TABLES = frozenset(
    {"submission", "submission_revision", "media_item", "activity", "outbox_entry"}
)
INBOX_TABLES = frozenset({"inbox_item"})
OUTBOX_TABLES = frozenset({"outbox_entry", "media_upload", "submission"})


class StoreChanges(QObject):
    changed = Signal(object)  # frozenset[str]: the tables a committed write changed
    _heard_signal = Signal()

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._gathered: set[str] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(GATHER_MS)
        self._timer.timeout.connect(self.flush)
        self._heard_signal.connect(self._start_timer)  # queued from workers: GUI thread
        self._stop = store.subscribe(self._heard)
        self._unhook = before_callbacks(self.flush)

    def _heard(self, tables: frozenset[str]) -> None:
        """Called on the thread that wrote."""
        with self._lock:
            first = not self._gathered
            self._gathered |= tables
        if first:
            self._heard_signal.emit()

    @Slot()
    def _start_timer(self) -> None:
        if not self._timer.isActive():
            self._timer.start()

    @Slot()
    def flush(self) -> None:
        """Announce what was gathered now."""
        self._timer.stop()
        with self._lock:
            tables, self._gathered = frozenset(self._gathered), set()
        if tables:
            self.changed.emit(tables)

    def close(self) -> None:
        """Stop listening (the store may outlive the window)."""
        self._stop()
        self._unhook()
        self._timer.stop()
