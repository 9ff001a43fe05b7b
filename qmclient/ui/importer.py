"""Adding files in the background: hashing, copying and probing run on a worker thread,
with a progress bar and a cancel button in the status bar, and a list of the files that
were not added at the end.  Imports are queued and run one after the other."""

from __future__ import annotations

import logging
import time
from collections import deque
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from qmclient.core.sizes import size_text
from qmclient.core.work import Progress
from qmclient.media.thumbnails import ThumbnailCache
from qmclient.services import drafts
from qmclient.services.context import AppContext
from qmclient.services.drafts import AttachResult
from qmclient.ui.tasks import Task, TaskRunner

log = logging.getLogger(__name__)
PROGRESS_MS = 100  # how often the progress bar is redrawn (each redraw costs a few ms)


class ImportProgress(QWidget):
    """Status-bar widget: what is being added, a progress bar and a Cancel button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setFixedWidth(220)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self.hide()

        self._last = 0.0

    def show_starting(self, queued: int) -> None:
        """Before the first file is counted: no "0 of 0"."""
        self._last = time.monotonic()
        self.bar.setMaximum(0)  # busy, until there is something to count
        text = self.tr("Preparing to add the files…")
        if queued:
            text += " " + self.tr("(%n more waiting)", "", queued)
        self.label.setText(text)
        self.show()

    def show_progress(
        self, done: int, total: int, name: str, queued: int, *, force: bool = False
    ) -> None:
        """Files counted: the file being added and how many there are."""
        if not self._due(force):
            return
        self.bar.setMaximum(max(total, 1))
        self.bar.setValue(done)
        text = self.tr("Adding %1 of %2: %3")
        text = text.replace("%1", str(min(done + 1, total))).replace("%2", str(total))
        text = text.replace("%3", name)
        if queued:
            text += " " + self.tr("(%n more waiting)", "", queued)
        self.label.setText(text)
        self.show()

    def show_bytes(self, name: str, done: int, size: int) -> None:
        """One large file being copied: the bar follows its bytes."""
        if not self._due(done >= size):
            return
        self.bar.setMaximum(1000)
        self.bar.setValue(done * 1000 // max(size, 1))
        self.label.setText(
            self.tr("Adding %1: %2 of %3")
            .replace("%1", name)
            .replace("%2", size_text(done))
            .replace("%3", size_text(size))
        )
        self.show()

    def _due(self, force: bool) -> bool:
        now = time.monotonic()
        if not force and self.isVisible() and now - self._last < PROGRESS_MS / 1000:
            return False
        self._last = now
        return True


class Importer(QObject):
    """Runs ``drafts.attach_files`` for one report at a time on its own worker thread."""

    started = Signal(int)  # submission id
    progressed = Signal(int, int, int, str)  # submission id, done, total, name
    copying = Signal(int, str, int, int)  # submission id, file name, bytes copied, bytes
    finished = Signal(int, object)  # submission id, AttachResult
    failed = Signal(int, object)  # submission id, exception

    def __init__(
        self,
        ctx: AppContext,
        progress: ImportProgress,
        parent: QObject,
        thumbnails: ThumbnailCache | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.thumbnails = thumbnails  # previews made while the files are checked
        self.progress = progress
        self.runner = TaskRunner(self, max_threads=1)
        self.queue: deque[tuple[int, list[Path]]] = deque()
        self.current: Task | None = None
        self.current_id: int | None = None
        progress.cancel_button.clicked.connect(self.cancel)

    def busy(self) -> bool:
        return self.current is not None

    def add(self, submission_id: int, paths: list[Path]) -> None:
        self.queue.append((submission_id, paths))
        if self.current is None:
            self._next()

    def cancel(self) -> None:
        """Cancel the running import and drop the waiting ones."""
        self.queue.clear()
        if self.current is not None:
            self.current.cancel()

    def _next(self) -> None:
        if not self.queue:
            self.current = None
            self.current_id = None
            self.progress.hide()
            return
        submission_id, paths = self.queue.popleft()
        self.current_id = submission_id
        ctx, thumbnails = self.ctx, self.thumbnails

        def work(task: Task) -> AttachResult:
            return drafts.attach_files(
                ctx,
                submission_id,
                paths,
                work=task,
                thumbnails=thumbnails,
                byte_progress=lambda name, done, size: task.post(("bytes", name, done, size)),
            )

        self.progress.show_starting(len(self.queue))
        self.started.emit(submission_id)
        self.current = self.runner.run_task(
            work,
            lambda result, error: self._done(submission_id, result, error),
            on_progress=lambda value: self._progress(submission_id, value),
        )

    def _progress(self, submission_id: int, value: Progress | tuple[Any, ...]) -> None:
        if isinstance(value, tuple):  # ("bytes", name, copied, size): one file's bytes
            _kind, name, copied, size = value
            self.progress.show_bytes(name, copied, size)
            self.copying.emit(submission_id, name, copied, size)
            return
        done, total, name = value.done, value.total, value.label
        self.progress.show_progress(done, total, name, len(self.queue))
        self.progressed.emit(submission_id, done, total, name)

    def _done(self, submission_id: int, result: Any, error: BaseException | None) -> None:
        self.current = None
        if error is not None:
            log.error("import into %s failed: %r", submission_id, error)
            self.failed.emit(submission_id, error)
        else:
            self.finished.emit(submission_id, result)
        self._next()

    def shutdown(self, msecs: int = 10_000) -> None:
        self.queue.clear()
        self.runner.close(msecs)
