"""The one contract every long operation takes, client and server: a handle for progress
and cancelling (:class:`Work`), the exception that ends cancelled work (:class:`Cancelled`)
and the bilingual error base (:class:`QmError`).

A long service takes ``work: Work | None = None`` as a keyword argument, calls
``work.check()`` between steps (it raises :class:`Cancelled` once cancelled) and
``work.progress(done, total, label)`` as it goes; it raises a :class:`QmError` (or a
subclass) with a Chinese and an English message that name the thing and say what to do.
The window's runner, the CLI and the tests hand in their own :class:`Work`; nothing here
knows of Qt, SQL or HTTP.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


class QmError(Exception):
    """An error for people: ``zh`` and ``en`` messages (keyword arguments, always in that
    spelling) and a stable ``code`` callers may react to.

    ``message_zh`` and ``message_en`` are the messages; :meth:`message` picks one by the
    language code (``zh_CN`` → Chinese, anything else → English).
    """

    code: str = "error"

    def __init__(self, *, zh: str, en: str, code: str | None = None) -> None:
        super().__init__(en)
        self.message_zh = zh
        self.message_en = en
        if code is not None:
            self.code = code

    def message(self, lang: str = "zh") -> str:
        return self.message_zh if lang.lower().startswith("zh") else self.message_en

    def __str__(self) -> str:
        return self.message_en


class Cancelled(QmError):
    """The user cancelled (or paused) a long operation; what was finished is kept."""

    code = "cancelled"

    def __init__(
        self,
        *,
        zh: str = "操作已取消。",
        en: str = "The operation was cancelled.",
        code: str | None = None,
    ) -> None:
        # ``code`` is accepted (and must stay "cancelled") so that a subclass that is also
        # another QmError (sync's Cancelled is a SyncError too) can pass it along its MRO
        super().__init__(zh=zh, en=en, code=code)


@dataclass(frozen=True)
class Progress:
    """Where a long operation stands: ``done`` of ``total`` units (bytes, files, rows;
    ``total`` 0 when not known), what it is doing now (``label``), and an optional
    operation-specific ``detail`` (for example one file's upload state)."""

    done: int
    total: int
    label: str = ""
    detail: Any = None

    @property
    def fraction(self) -> float | None:
        return None if self.total <= 0 else min(1.0, max(0.0, self.done / self.total))


ProgressSink = Callable[[Progress], None]


class Work:
    """Progress and cancel for one long operation, shared between the thread doing it
    and whoever watches it (the window, a terminal, a test).

    ``cancel()`` may be called from any thread; the worker sees it at its next
    ``check()``, ``progress()`` or ``sleep()``.  ``reset()`` makes the handle usable again
    (a paused transfer resumed with the same handle).
    """

    def __init__(self, on_progress: ProgressSink | None = None) -> None:
        self._stop = threading.Event()
        self._sink = on_progress

    # -- cancelling ---------------------------------------------------------------------
    def cancel(self) -> None:
        self._stop.set()

    def reset(self) -> None:
        self._stop.clear()

    @property
    def cancelled(self) -> bool:
        return self._stop.is_set()

    def is_cancelled(self) -> bool:
        return self.cancelled

    def check(self) -> None:
        """Raise :class:`Cancelled` when cancelled."""
        if self.cancelled:
            raise self.cancelled_error()

    def sleep(self, seconds: float) -> None:
        """Wait ``seconds``, or less when cancelled (then raise :class:`Cancelled`)."""
        if seconds > 0 and self._stop.wait(seconds):
            raise self.cancelled_error()
        self.check()

    def cancelled_error(self) -> Cancelled:
        """The exception :meth:`check` raises (a layer may raise its own subclass)."""
        return Cancelled()

    # -- progress -----------------------------------------------------------------------
    def progress(self, done: int, total: int = 0, label: str = "", detail: Any = None) -> None:
        """Report progress, then :meth:`check` (so a loop that reports also stops)."""
        if self._sink is not None:
            self._sink(Progress(done, total, label, detail))
        self.check()

    def part(self, start: int, span: int, total: int) -> Work:
        """A handle for a sub-step that covers ``start .. start + span`` of ``total``:
        the sub-step reports its own 0..N and this handle scales it.  Cancelling either
        cancels both."""
        child = _Part(self, start, span, total)
        return child

    def relay(self, sink: ProgressSink, halt: threading.Event | None = None) -> Work:
        """A handle for a sub-step whose progress goes to ``sink`` (which may translate it
        and report on this handle); cancelling either cancels both.  ``halt``: an event
        that stops the sub-step too (without cancelling this handle), e.g. set by one of
        several sub-steps run side by side when it fails, so the others stop as well."""
        return _Relay(self, sink) if halt is None else _HaltableRelay(self, sink, halt)

    def quiet(self) -> Work:
        """A handle for a sub-step whose own progress is not shown (its units differ
        from this operation's); cancelling either cancels both."""
        return _Relay(self, _ignore)


class _Part(Work):
    def __init__(self, parent: Work, start: int, span: int, total: int) -> None:
        super().__init__(None)
        self._stop = parent._stop  # one flag: cancelling the part cancels the whole
        self._parent = parent
        self._start, self._span, self._total = start, span, total

    def cancelled_error(self) -> Cancelled:
        return self._parent.cancelled_error()

    def progress(self, done: int, total: int = 0, label: str = "", detail: Any = None) -> None:
        scaled = self._start + (self._span * done // total if total > 0 else 0)
        self._parent.progress(scaled, self._total, label, detail)


class _Relay(Work):
    def __init__(self, parent: Work, sink: ProgressSink) -> None:
        super().__init__(sink)
        self._stop = parent._stop
        self._parent = parent

    def cancelled_error(self) -> Cancelled:
        return self._parent.cancelled_error()


class _HaltableRelay(_Relay):
    """A relay that also stops when its ``halt`` event is set."""

    HALT_POLL_S = 0.1  # how soon a sleep notices ``halt`` (one event is waited on)

    def __init__(self, parent: Work, sink: ProgressSink, halt: threading.Event) -> None:
        super().__init__(parent, sink)
        self._halt = halt

    @property
    def cancelled(self) -> bool:
        return self._stop.is_set() or self._halt.is_set()

    def sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while True:
            self.check()
            left = end - time.monotonic()
            if left <= 0:
                return
            self._stop.wait(min(left, self.HALT_POLL_S))


def _ignore(_progress: Progress) -> None:
    pass


def work_or_new(work: Work | None) -> Work:
    """The handle a service was given, or a fresh one nobody watches."""
    return work if work is not None else Work()
