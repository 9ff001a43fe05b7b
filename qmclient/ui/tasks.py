"""Background work: ``run_task(func, callback)`` on a thread pool, results by signal.

``func`` runs on a worker thread and receives a :class:`Task` handle (progress reports and
the cancel flag); ``callback(result, error)`` runs on the GUI thread afterwards.  Nothing
here touches widgets from a worker.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)

Callback = Callable[[Any, BaseException | None], None]


class _Signals(QObject):
    # One tuple per emission: queued signals that carry a bare ``None`` upset PySide6's
    # reference counting, a tuple holding it does not.
    finished = Signal(tuple)  # (result, error)
    progress = Signal(tuple)


class Task:
    """What the worker function sees: ``progress(value)`` and ``is_cancelled()``."""

    def __init__(self, signals: _Signals) -> None:
        self._signals = signals
        self._cancel = threading.Event()
        self.done = False

    def progress(self, *value: Any) -> None:
        self._signals.progress.emit(value)

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()


class _Runnable(QRunnable):
    def __init__(self, func: Callable[[Task], Any], task: Task, signals: _Signals) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.func = func
        self.task = task
        self.signals = signals

    def run(self) -> None:
        try:
            result = self.func(self.task)
        except BaseException as exc:  # reported to the callback, never lost in a thread
            log.exception("background task failed")
            self.signals.finished.emit((None, exc))
        else:
            self.signals.finished.emit((result, None))


class TaskRunner(QObject):
    """A pool of worker threads with Picard-style ``run_task``."""

    def __init__(self, parent: QObject | None = None, max_threads: int = 1) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max(1, max_threads))
        self._live: dict[int, tuple[_Signals, Task]] = {}
        self._closed = False

    def run_task(
        self,
        func: Callable[[Task], Any],
        callback: Callback | None = None,
        *,
        on_progress: Callable[[Any], None] | None = None,
    ) -> Task:
        signals = _Signals()
        task = Task(signals)
        key = id(task)
        self._live[key] = (signals, task)

        def finished(outcome: tuple[Any, BaseException | None]) -> None:
            result, error = outcome
            self._live.pop(key, None)
            task.done = True
            if callback is not None and not self._closed:
                callback(result, error)

        signals.finished.connect(finished)
        if on_progress is not None:
            signals.progress.connect(
                lambda value: on_progress(value[0] if len(value) == 1 else value)
            )
        self.pool.start(_Runnable(func, task, signals))
        return task

    def busy(self) -> bool:
        return bool(self._live)

    def cancel_all(self) -> None:
        for _signals, task in list(self._live.values()):
            task.cancel()

    def wait(self, msecs: int = 30_000) -> bool:
        return self.pool.waitForDone(msecs)

    def close(self, msecs: int = 30_000) -> bool:
        """Cancel what runs, wait for it, and drop the callbacks still to come (their
        widgets are going away)."""
        self.cancel_all()
        self._closed = True
        return self.wait(msecs)
