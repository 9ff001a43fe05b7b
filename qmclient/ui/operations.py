"""One shape for a long operation started from the window (after Anki's ``CollectionOp``)::

    Op(self, lambda work: backup.create_backup(ctx.data_dir, path, work=work))
        .success(self._backed_up)
        .with_progress(self.tr("Backing up…"))
        .disabling(self.ui.backupButton)
        .run(self.runner)

The function runs on the runner's worker thread with a :class:`~qmclient.core.work.Work`
to hand to the service.  Then, on the GUI thread: ``success(result)``; or the failure —
``failure(error)`` when given, otherwise the standard error dialog
(:func:`~qmclient.ui.error_dialog.show_failure`: a :class:`QmError` in the user's
language, a cancel silently, anything else as an unexpected error).  A progress dialog
appears only when the work takes longer than :data:`PROGRESS_DELAY_MS`; the widgets
named in ``disabling`` are disabled while it runs.

What the work changed reaches the views by itself: the store announces every committed
write (:class:`qmclient.ui.changes.StoreChanges`), so an operation does not refresh lists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

from qmclient.core.work import Progress, Work
from qmclient.ui.error_dialog import show_failure
from qmclient.ui.tasks import Task, TaskRunner

PROGRESS_DELAY_MS = 600  # quick work shows no dialog at all
T = TypeVar("T")


class Op(Generic[T]):
    """A background operation: build it, then :meth:`run` it once."""

    def __init__(self, parent: QWidget, op: Callable[[Work], T]) -> None:
        self._parent = parent
        self._op = op
        self._success: Callable[[T], Any] | None = None
        self._failure: Callable[[BaseException], Any] | None = None
        self._on_progress: Callable[[Progress], Any] | None = None
        self._label: str | None = None
        self._cancellable = False
        self._delay_ms = PROGRESS_DELAY_MS
        self._disable: tuple[QWidget, ...] = ()
        self.dialog: QProgressDialog | None = None
        self.task: Task | None = None

    # -- building -----------------------------------------------------------------------
    def success(self, fn: Callable[[T], Any] | None) -> Op[T]:
        self._success = fn
        return self

    def failure(self, fn: Callable[[BaseException], Any] | None) -> Op[T]:
        self._failure = fn
        return self

    def with_progress(
        self, label: str, *, cancellable: bool = False, delay_ms: int = PROGRESS_DELAY_MS
    ) -> Op[T]:
        """Show a progress dialog with ``label`` once the work has run ``delay_ms``."""
        self._label, self._cancellable, self._delay_ms = label, cancellable, delay_ms
        return self

    def on_progress(self, fn: Callable[[Progress], Any]) -> Op[T]:
        """Also hand each :class:`Progress` to ``fn`` (on the GUI thread)."""
        self._on_progress = fn
        return self

    def disabling(self, *widgets: QWidget) -> Op[T]:
        self._disable = widgets
        return self

    # -- running ------------------------------------------------------------------------
    def run(self, runner: TaskRunner) -> Task:
        for w in self._disable:
            w.setEnabled(False)
        timer: QTimer | None = None
        if self._label is not None:
            timer = QTimer(self._parent)
            timer.setSingleShot(True)
            timer.timeout.connect(self._show_dialog)
            timer.start(self._delay_ms)

        def done(result: Any, error: BaseException | None) -> None:
            if timer is not None:
                timer.stop()
                timer.deleteLater()
            self._close_dialog()
            for w in self._disable:
                w.setEnabled(True)
            if error is None:
                if self._success is not None:
                    self._success(result)
            elif self._failure is not None:
                self._failure(error)
            else:
                show_failure(error, self._parent)

        self.task = runner.run_task(self._op, done, on_progress=self._progress)
        return self.task

    def _progress(self, value: Any) -> None:
        if not isinstance(value, Progress):
            return
        if self.dialog is not None and value.fraction is not None:
            self.dialog.setMaximum(1000)
            self.dialog.setValue(int(1000 * value.fraction))
            if value.label:
                self.dialog.setLabelText(f"{self._label}\n{value.label}")
        if self._on_progress is not None:
            self._on_progress(value)

    def _show_dialog(self) -> None:
        if self.task is None or self.task.done or self.dialog is not None:
            return
        dialog = QProgressDialog(self._label or "", "", 0, 0, self._parent)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if self._cancellable:
            dialog.setCancelButtonText(dialog.tr("Cancel"))
            dialog.canceled.connect(self.task.cancel)
        else:
            dialog.setCancelButton(None)
        dialog.show()
        self.dialog = dialog

    def _close_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog.reset()
            self.dialog.deleteLater()
            self.dialog = None
