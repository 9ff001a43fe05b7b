"""Run something once the window has painted its first frame.

A zero-delay timer set after ``show()`` fires *before* the first paint (the platform's
expose event comes later), so work meant to wait for the window to be on screen — the
store loading on a worker, the log file, the single-instance socket — waits for the
window's first paint event instead, and then for the rest of that paint pass.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

FALLBACK_MS = 3000  # a window that is never painted (hidden at once) still goes on


class _FirstPaint(QObject):
    def __init__(self, window: QWidget, callbacks: list[Callable[[], object]]) -> None:
        super().__init__(window)
        self.window = window
        self.callbacks: list[Callable[[], object]] | None = callbacks
        window.installEventFilter(self)
        QTimer.singleShot(FALLBACK_MS, self._fire)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.callbacks is not None:
            QTimer.singleShot(0, self._fire)  # the children paint in this same pass
        return False

    def _fire(self) -> None:
        callbacks, self.callbacks = self.callbacks, None
        if callbacks is None:
            return
        self.window.removeEventFilter(self)
        for callback in callbacks:
            callback()


def after_first_paint(window: QWidget, *callbacks: Callable[[], object]) -> None:
    """Call ``callbacks`` in order, on the GUI thread, right after the first frame."""
    _FirstPaint(window, list(callbacks))
