"""Background work: ``run_task(func, callback)`` on a thread pool, results by signal.

``func`` runs on a worker thread and receives a :class:`Task` — the
:class:`~qmclient.core.work.Work` it hands to the service (progress and cancel) — and
``callback(result, error)`` runs on the GUI thread afterwards.  ``on_progress`` gets, on
the GUI thread, each :class:`~qmclient.core.work.Progress` the service reports and each
event posted with :meth:`Task.post`.  Nothing here touches widgets from a worker.

The pool a runner starts its work on is injectable (Picard's way): tests call
``use_pool(SyncPool)`` and every task then runs at once on the calling thread, its
callbacks included, with no waiting.  Operations with a success/failure/progress shape
are built with :class:`qmclient.ui.operations.Op` on top of this runner.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, QRunnable, QThread, QThreadPool, Signal

from qmclient.core.work import Work

log = logging.getLogger(__name__)

Callback = Callable[[Any, BaseException | None], None]


class _Signals(QObject):
    # One tuple per emission: queued signals that carry a bare ``None`` upset PySide6's
    # reference counting, a tuple holding it does not.
    finished = Signal(tuple)  # (result, error)
    progress = Signal(tuple)


class Task(Work):
    """The :class:`Work` of one background task: its progress and the events posted on
    it reach ``on_progress`` on the GUI thread."""

    def __init__(self, signals: _Signals) -> None:
        super().__init__(self.post)
        self._signals = signals
        self.done = False

    def post(self, value: Any) -> None:
        """Hand ``value`` (a :class:`Progress`, or an event of the operation such as a
        sending event) to the GUI thread."""
        self._signals.progress.emit((value,))


_worker = threading.local()
WORKER_NICENESS = 5


def _lower_priority() -> None:
    """Workers yield the CPU to the GUI thread: on a two-core office PC, hashing and
    thumbnails must not make the window stutter.  Done once per pool thread."""
    if getattr(_worker, "lowered", False) or threading.current_thread() is threading.main_thread():
        return  # a synchronous pool (tests) runs the task on the GUI thread itself
    _worker.lowered = True
    thread = QThread.currentThread()
    if thread is not None:
        thread.setPriority(QThread.Priority.LowPriority)  # Windows, macOS
    if hasattr(os, "setpriority") and hasattr(threading, "get_native_id"):
        try:  # Linux: a thread's own nice value
            current = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
            os.setpriority(
                os.PRIO_PROCESS, threading.get_native_id(), min(19, current + WORKER_NICENESS)
            )
        except OSError:
            pass


class _Runnable(QRunnable):
    def __init__(self, func: Callable[[Task], Any], task: Task, signals: _Signals) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.func = func
        self.task = task
        self.signals = signals

    def run(self) -> None:
        _lower_priority()
        try:
            result = self.func(self.task)
        except BaseException as exc:  # reported to the callback, never lost in a thread
            log.exception("background task failed")
            outcome: tuple[Any, BaseException | None] = (None, exc)
        else:
            outcome = (result, None)
        try:
            self.signals.finished.emit(outcome)
        except RuntimeError:  # the program is closing and the receiver is gone
            log.debug("task finished after its receiver was deleted")


class Pool(Protocol):
    """What a runner needs of a thread pool (``QThreadPool`` has it)."""

    def start(self, runnable: QRunnable) -> None: ...

    def waitForDone(self, msecs: int = ...) -> bool: ...


class SyncPool:
    """A pool that runs each task at once on the calling thread: for tests, so that a
    task and its callback are done when the call that started it returns."""

    def __init__(self, _parent: QObject | None = None, _max_threads: int = 1) -> None:
        pass

    def start(self, runnable: QRunnable) -> None:
        runnable.run()

    def waitForDone(self, msecs: int = -1) -> bool:
        return True


def _thread_pool(parent: QObject | None, max_threads: int) -> Pool:
    pool = QThreadPool(parent)
    pool.setMaxThreadCount(max(1, max_threads))
    return pool


PoolFactory = Callable[[QObject | None, int], Pool]
_pool_factory: PoolFactory = _thread_pool


def use_pool(factory: PoolFactory | None) -> PoolFactory:
    """Make the runners created from now on use pools from ``factory`` (``None``: real
    thread pools again); returns the factory that was in use."""
    global _pool_factory
    previous = _pool_factory
    _pool_factory = factory if factory is not None else _thread_pool
    return previous


_before_callbacks: list[Callable[[], None]] = []


def before_callbacks(hook: Callable[[], None]) -> Callable[[], None]:
    """Run ``hook`` on the GUI thread when any task ends, before its callback (the
    store's changes are announced there, so a callback sees refreshed views); returns
    the function that removes it."""
    _before_callbacks.append(hook)
    return lambda: _before_callbacks.remove(hook) if hook in _before_callbacks else None


class TaskRunner(QObject):
    """A pool of worker threads with Picard-style ``run_task``."""

    def __init__(
        self, parent: QObject | None = None, max_threads: int = 1, *, pool: Pool | None = None
    ) -> None:
        super().__init__(parent)
        self.pool = pool if pool is not None else _pool_factory(self, max_threads)
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
            for hook in list(_before_callbacks):
                hook()
            if callback is not None and not self._closed:
                callback(result, error)

        signals.finished.connect(finished)
        if on_progress is not None:
            signals.progress.connect(lambda value: on_progress(value[0]))
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
