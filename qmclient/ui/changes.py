"""The store's "what changed" announcements as a Qt signal, for the views to listen to.

Every committed write names the tables it changed (:meth:`Store.subscribe`);
:class:`StoreChanges` turns that into ``changed(tables)`` on the GUI thread:

- a write made on the GUI thread (a command of the window) is announced at once, when the
  write returns, so the command goes on with the views up to date (it selects the row it
  just added, say).  A command that writes several times in a row wraps them in
  :meth:`StoreChanges.holding` and they are announced once at its end; a write made while
  an announcement is under way (a view saving on its way) is announced right after it;
- writes made on worker threads are gathered and announced together (:data:`GATHER_MS`
  after the first, so a run of hundreds of small commits costs a few refreshes) — and at
  once when a background task ends, before its callback runs
  (:func:`qmclient.ui.tasks.before_callbacks`), so a callback finds the views up to date.

Connect views with ``changes.changed.connect(view.method)`` (a method of a ``QObject``:
then Qt calls it on the GUI thread) and check whether ``tables`` concern them, e.g.
:data:`SUBMISSION_TABLES`.  ``tables`` is a :class:`Changes`; its ``at_once`` says the
write was the GUI thread's own (a view may then re-read at once; gathered changes come
from background work, and a heavy view re-reads them off the GUI thread).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from qmclient.ui.tasks import before_callbacks

if TYPE_CHECKING:
    from qmclient.store.database import Store

GATHER_MS = 400
SUBMISSION_TABLES = frozenset(
    {
        "submission",
        "submission_revision",
        "export_record",  # an export shows beside the status
        "media_item",
        "activity",
        "outbox_entry",
    }
)
REPORT_CONTENT_TABLES = frozenset({"media_item", "activity"})  # the editor's lists
REPORT_LIST_TABLES = SUBMISSION_TABLES | {"campaign_file"}  # a campaign gives the deadlines
INBOX_TABLES = frozenset({"inbox_item"})
OUTBOX_TABLES = frozenset({"outbox_entry", "media_upload", "submission"})


class Changes(frozenset[str]):
    """The tables a committed write changed; ``at_once``: written on the GUI thread."""

    at_once: bool

    def __new__(cls, tables: Iterable[str] = (), *, at_once: bool = False) -> Changes:
        made = super().__new__(cls, tables)
        made.at_once = at_once
        return made


class StoreChanges(QObject):
    changed = Signal(object)  # Changes: the tables committed writes changed
    _heard_signal = Signal()

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._gathered: set[str] = set()
        self._here: set[str] = set()  # written on the GUI thread, not yet announced
        self._holding = 0
        self._announcing = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(GATHER_MS)
        self._timer.timeout.connect(self.flush)
        self._heard_signal.connect(self._start_timer)  # queued from workers: GUI thread
        self._stop = store.subscribe(self._heard)
        self._unhook = before_callbacks(self.flush)

    def _heard(self, tables: frozenset[str]) -> None:
        """Called on the thread that wrote."""
        if QThread.currentThread() is self.thread():
            self._here |= tables
            if not self._holding and not self._announcing:
                self._announce_here()
            return
        with self._lock:
            first = not self._gathered
            self._gathered |= tables
        if first:
            self._heard_signal.emit()

    def _announce_here(self) -> None:
        self._announcing = True
        try:
            while self._here:  # writes made by the views on their way: announced too
                tables, self._here = Changes(self._here, at_once=True), set()
                self.changed.emit(tables)
        finally:
            self._announcing = False

    @contextlib.contextmanager
    def holding(self) -> Iterator[None]:
        """Announce the GUI thread's writes made inside the block once, at its end."""
        self._holding += 1
        try:
            yield
        finally:
            self._holding -= 1
            if not self._holding and not self._announcing:
                self._announce_here()

    @Slot()
    def _start_timer(self) -> None:
        if not self._timer.isActive():
            self._timer.start()

    @Slot()
    def flush(self) -> None:
        """Announce what the workers' writes gathered now."""
        self._timer.stop()
        with self._lock:
            tables, self._gathered = Changes(self._gathered), set()
        if tables:
            self.changed.emit(tables)

    def close(self) -> None:
        """Stop listening (the store may outlive the window)."""
        self._stop()
        self._unhook()
        self._timer.stop()
