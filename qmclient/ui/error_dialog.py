"""What the user sees when something goes wrong: an unexpected error, or a store that
cannot be opened at start."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from qmclient.core.work import QmError
from qmclient.store.errors import StoreCorruptError, StoreError, StoreTooNewError

log = logging.getLogger(__name__)


def exception_box(
    exc: BaseException, details: str, log_path: Path | None, parent: QWidget | None = None
) -> QMessageBox:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(QCoreApplication.translate("ErrorDialog", "qmclient: unexpected error"))
    box.setText(
        QCoreApplication.translate(
            "ErrorDialog",
            "Something went wrong that qmclient did not expect. What you typed has been saved; "
            "you can go on working, or restart the program if it misbehaves.",
        )
    )
    where = (
        str(log_path) if log_path else QCoreApplication.translate("ErrorDialog", "(no log file)")
    )
    box.setInformativeText(
        QCoreApplication.translate(
            "ErrorDialog", "Error: %1\n\nThe details were written to the log file:\n%2"
        )
        .replace("%1", f"{type(exc).__name__}: {exc}")
        .replace("%2", where)
    )
    box.setDetailedText(details)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    if log_path is not None:
        button = box.addButton(
            QCoreApplication.translate("ErrorDialog", "Open log folder"),
            QMessageBox.ButtonRole.ActionRole,
        )
        button.clicked.disconnect()
        button.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_path.parent)))
        )
    return box


class ExceptionHook:
    """Replaces ``sys.excepthook``: log, save the user's typing, then tell the user."""

    def __init__(
        self,
        log_path: Path | None,
        save_work: Callable[[], None] | None = None,
        parent: Callable[[], QWidget | None] | None = None,
        *,
        modal: bool = True,
    ) -> None:
        self.log_path = log_path
        self.save_work = save_work
        self.parent = parent
        self.modal = modal
        self.shown: list[QMessageBox] = []
        self._busy = False
        self._previous = sys.excepthook

    def install(self) -> None:
        sys.excepthook = self

    def uninstall(self) -> None:
        if sys.excepthook is self:
            sys.excepthook = self._previous

    def __call__(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            self._previous(exc_type, exc, tb)
            return
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        log.error("unhandled exception\n%s", details)
        if self._busy:  # an error while showing the error: log only
            return
        self._busy = True
        try:
            if self.save_work is not None:
                try:
                    self.save_work()
                except Exception:
                    log.exception("saving the user's work after an error failed")
            box = exception_box(exc, details, self.log_path, self.parent() if self.parent else None)
            self.shown.append(box)
            if self.modal:
                box.exec()
            else:
                box.show()
        finally:
            self._busy = False


def show_failure(
    err: BaseException, parent: QWidget | None = None, title: str = ""
) -> QMessageBox | None:
    """The standard way to tell the user that an operation failed: a :class:`QmError`
    in the user's language (it says what to do), nothing for a cancel, and anything else
    as an unexpected error (logged, with the log file named) through ``sys.excepthook``."""
    from qmclient.ui.i18n import current_language, is_chinese

    if isinstance(err, QmError):
        if err.code == "cancelled":
            return None
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(title or QCoreApplication.translate("ErrorDialog", "Not done"))
        box.setText(err.message("zh" if is_chinese(current_language()) else "en"))
        box.open()
        return box
    sys.excepthook(type(err), err, err.__traceback__)
    return None


def store_error_box(err: StoreError, zh: bool, parent: QWidget | None = None) -> QMessageBox:
    """The dialog for a store that cannot be opened; for a damaged one it offers the backup."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(QCoreApplication.translate("ErrorDialog", "qmclient cannot open its data"))
    if isinstance(err, StoreTooNewError):
        box.setText(
            QCoreApplication.translate(
                "ErrorDialog", "The data was written by a newer version of qmclient."
            )
        )
    elif isinstance(err, StoreCorruptError):
        box.setText(
            QCoreApplication.translate("ErrorDialog", "The database of qmclient is damaged.")
        )
    else:
        box.setText(
            QCoreApplication.translate("ErrorDialog", "The data folder of qmclient cannot be used.")
        )
    box.setInformativeText(err.message_zh if zh else err.message_en)
    if isinstance(err, StoreCorruptError) and err.backup is not None:
        restore = box.addButton(
            QCoreApplication.translate("ErrorDialog", "Restore the newest backup"),
            QMessageBox.ButtonRole.AcceptRole,
        )
        box.setDefaultButton(restore)
        restore.setObjectName("restore")
    quit_button = box.addButton(
        QCoreApplication.translate("ErrorDialog", "Quit"), QMessageBox.ButtonRole.RejectRole
    )
    quit_button.setObjectName("quit")
    return box


def ask_store_error(err: StoreError, zh: bool) -> str:
    """Show :func:`store_error_box`; ``"restore"`` or ``"quit"``."""
    box = store_error_box(err, zh)
    box.exec()
    clicked = box.clickedButton()
    return "restore" if clicked is not None and clicked.objectName() == "restore" else "quit"
