"""Saving the text typed in the editor: off the GUI thread while typing, at once when asked.

Each change is kept in :attr:`Autosave.pending` and restarts a :data:`AUTOSAVE_MS` timer;
when it fires, the pending changes are written by a task on the window's one write
executor (a :class:`~qmclient.ui.tasks.TaskRunner` with one thread), so typing never waits
for the disk.  :meth:`Autosave.flush` — leaving a field, switching report, closing the
window, before sending or exporting — writes what is pending *now* and returns only when
it is in the store: a save still queued is taken over, a save under way is waited for
(so an older text never lands after a newer one), then the rest is written under the
process-wide writer lock.  A failed save keeps the changes and tries again.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from qmclient.ui.tasks import Task, TaskRunner

if TYPE_CHECKING:
    from qmclient.services.context import AppContext

log = logging.getLogger(__name__)
AUTOSAVE_MS = 500
RETRY_MS = 2000


class _Save:
    """One background save: ``queued`` until the writer starts it, then ``running``, then
    ``done``; a flush may take a queued save over (``dropped``)."""

    def __init__(self, submission_id: int, changes: dict[str, str]) -> None:
        self.submission_id = submission_id
        self.changes = changes
        self.state = "queued"
        self.lock = threading.Lock()
        self.finished = threading.Event()

    def start(self) -> bool:
        with self.lock:
            if self.state != "queued":
                return False
            self.state = "running"
            return True

    def take_over(self) -> bool:
        """``True`` if the save had not started: it will not run, the caller writes."""
        with self.lock:
            if self.state == "queued":
                self.state = "dropped"
                self.finished.set()
                return True
            return False


class Autosave(QObject):
    saved = Signal()  # pending text reached the store
    failed = Signal(str)  # why the last save failed ("" once one succeeds again)

    def __init__(
        self, ctx: AppContext | None, writer: TaskRunner, parent: QObject | None = None
    ) -> None:
        """Without ``ctx`` (the window opened before its store) changes are kept, per
        report, and written when :meth:`attach` brings the store."""
        super().__init__(parent)
        self.ctx = ctx
        self.writer = writer
        self.submission_id: int | None = None
        self.pending: dict[str, str] = {}
        self.held: dict[int, dict[str, str]] = {}  # other reports' text, typed before attach
        self.error = ""
        self._save: _Save | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(AUTOSAVE_MS)
        self.timer.timeout.connect(self.save_later)

    @property
    def state(self) -> str:
        """The background save's state: ``idle``, ``queued`` or ``running``."""
        save = self._save
        return "idle" if save is None or save.finished.is_set() else save.state

    def change(self, key: str, value: str) -> None:
        if self.submission_id is None:
            return
        self.pending[key] = value
        self.timer.start(AUTOSAVE_MS)

    def attach(self, ctx: AppContext) -> None:
        """The store is open: what was typed before is written now, off the GUI thread."""
        self.ctx = ctx
        self._write_held()
        self.save_later()

    def _write_held(self) -> None:
        ctx = self.ctx
        assert ctx is not None, "held text is written once the store is attached"
        for submission_id, changes in list(self.held.items()):
            del self.held[submission_id]

            def write(_task: Task, sid: int = submission_id, c: dict[str, str] = changes) -> None:
                from qmclient.services import drafts

                drafts.update_fields(ctx, sid, c)

            def ended(
                _r: object,
                error: BaseException | None,
                sid: int = submission_id,
                c: dict[str, str] = changes,
            ) -> None:
                if error is not None:  # kept, and tried again with the next save
                    self.held[sid] = {**c, **self.held.get(sid, {})}
                    self._failed(error)
                else:
                    self.saved.emit()

            self.writer.run_task(write, ended)

    def save_later(self) -> None:
        """Write what is pending on the write executor; the GUI thread goes on."""
        if self.ctx is None:
            return  # kept until the store is attached
        if self.held:
            self._write_held()
        if not self.pending or self.submission_id is None:
            return
        if self._save is not None:  # one at a time: the next starts when it ends
            return
        save = _Save(self.submission_id, dict(self.pending))
        self._save = save
        ctx = self.ctx

        def write(_task: Task) -> None:
            from qmclient.services import drafts

            try:
                if save.start():
                    drafts.update_fields(ctx, save.submission_id, save.changes)
            finally:
                save.finished.set()

        self.writer.run_task(write, lambda _r, error: self._ended(save, error))

    def _ended(self, save: _Save, error: BaseException | None) -> None:
        if self._save is save:
            self._save = None
        if save.state == "dropped":
            return  # a flush wrote it instead
        if error is not None:
            self._failed(error)
            return
        self._done(save.submission_id, save.changes)
        if self.pending:
            self.timer.start(AUTOSAVE_MS)

    def flush(self) -> bool:
        """Write what is pending now; ``False`` if it could not be saved (kept)."""
        self.timer.stop()
        if self.ctx is None:  # nothing can be written before the store is attached
            return not self.pending and not self.held
        save = self._save
        if save is not None and not save.take_over():
            save.finished.wait()  # under way: its text first, then the newer one
        if not self.pending or self.submission_id is None:
            return True
        changes = dict(self.pending)
        from qmclient.services import drafts

        try:
            drafts.update_fields(self.ctx, self.submission_id, changes)
        except Exception as exc:  # kept and retried, never dropped
            self._failed(exc)
            return False
        self._done(self.submission_id, changes)
        return True

    def _done(self, submission_id: int, changes: dict[str, str]) -> None:
        if submission_id == self.submission_id:
            for key, value in changes.items():
                if self.pending.get(key) == value:
                    del self.pending[key]
        if self.error:
            self.error = ""
            self.failed.emit("")
        self.saved.emit()

    def _failed(self, exc: BaseException) -> None:
        log.error("autosave failed", exc_info=exc)
        self.error = str(exc)
        self.failed.emit(self.error)
        self.timer.start(RETRY_MS)

    def switch_to(self, submission_id: int | None) -> None:
        """Start on another report (after :meth:`flush`).  Before the store is attached
        the text typed in the report left is held for it, and what was held for the one
        shown becomes pending again."""
        if self.ctx is None and self.pending and self.submission_id is not None:
            self.held.setdefault(self.submission_id, {}).update(self.pending)
        self.submission_id = submission_id
        self.pending.clear()
        if self.ctx is None and submission_id is not None:
            self.pending.update(self.held.pop(submission_id, {}))

    def discard(self) -> None:
        """Forget what is pending (the report is being deleted)."""
        self.timer.stop()
        self.pending.clear()
