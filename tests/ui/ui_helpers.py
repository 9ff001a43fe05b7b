"""Helpers for UI tests: real drops of file URLs, and answering modal dialogs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget


def drop_files(target: QWidget, paths: list[Path], pos: QPoint | None = None) -> bool:
    """A real drag-enter and drop of file URLs on ``target``, as a file manager does it."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    point = QPointF(pos or QPoint(target.width() // 2, target.height() // 2))
    enter = QDragEnterEvent(
        point.toPoint(),
        Qt.DropAction.CopyAction | Qt.DropAction.MoveAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, enter)
    drop = QDropEvent(
        point,
        Qt.DropAction.CopyAction | Qt.DropAction.MoveAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, drop)
    return drop.isAccepted()


def on_modal(handler: Callable[[QWidget], None], timeout_ms: int = 5000) -> list[str]:
    """Run ``handler`` on the next modal dialog once it is open; returns a list that
    receives the dialog's class name (to assert the dialog did show)."""
    seen: list[str] = []
    waited = [0]

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None:
            seen.append(type(dialog).__name__)
            handler(dialog)
            return
        waited[0] += 20
        if waited[0] < timeout_ms:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
    return seen


def type_text(qtbot: object, widget: QWidget, text: str) -> None:
    """Type ``text`` as a user does: ASCII as key presses, Chinese as an input method's
    commit (QTest cannot press keys for characters that are not on the keyboard)."""
    from PySide6.QtGui import QInputMethodEvent

    chunk = ""
    for ch in text + "\0":
        if ch != "\0" and (ch.isascii() == (chunk[:1].isascii() if chunk else ch.isascii())):
            chunk += ch
            continue
        if chunk:
            if chunk.isascii():
                qtbot.keyClicks(widget, chunk)  # type: ignore[attr-defined]
            else:
                event = QInputMethodEvent()
                event.setCommitString(chunk)
                QApplication.sendEvent(widget, event)
        chunk = ch if ch != "\0" else ""
