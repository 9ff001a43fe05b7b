"""Files coming into the main window: the "Add photos and videos" dialogs, files and
folders dropped on the window, and what the window says when an import ends.

A part of :class:`~qmclient.ui.main_window.MainWindow` (its methods run on the window).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
)
from PySide6.QtWidgets import QFileDialog, QMessageBox

from qmclient.ui.parts import Part

if TYPE_CHECKING:
    from qmclient.services.drafts import AttachResult
    from qmclient.ui.main_window import MainWindow

MEDIA_FILTER = "*.jpg *.jpeg *.png *.heic *.heif *.webp *.mp4 *.m4v *.mov"
log = logging.getLogger(__name__)


class WindowFiles(Part):
    def _start_folder(self: MainWindow) -> str:
        return self.settings.last_folder or str(Path.home())

    def add_media_dialog(self: MainWindow) -> None:
        files, _filter = QFileDialog.getOpenFileNames(
            self,
            self.tr("Add photos and videos"),
            self._start_folder(),
            self.tr("Photos and videos (%1);;All files (*)").replace("%1", MEDIA_FILTER),
        )
        if files:
            self.settings.last_folder = str(Path(files[0]).parent)
            self.import_paths([Path(f) for f in files])

    def add_folder_dialog(self: MainWindow) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Add a folder of photos and videos"), self._start_folder()
        )
        if folder:
            self.settings.last_folder = folder
            self.import_paths([Path(folder)])

    def import_paths(self: MainWindow, paths: list[Path]) -> None:
        """Add files (and folders) to the current report, starting one if there is none."""
        if not paths:
            return
        if self.ctx is None:  # added as soon as the store is loaded
            self._dropped.extend(paths)
            self.statusBar().showMessage(
                self.tr("The files will be added as soon as the reports are open."), 5000
            )
            return
        submission_id = self.editor.submission_id
        if submission_id is None:
            submission_id = self.new_report()
        self.editor.flush()
        self.editor.ui.tabs.setCurrentIndex(2)
        self.importer.add(submission_id, paths)

    def _import_finished(self: MainWindow, submission_id: int, result: AttachResult) -> None:
        self._validate_timer.start()  # the editor shows the files by itself (store changes)
        message = self.tr("%n file(s) added.", "", len(result.added))
        if result.cancelled:
            message += " " + self.tr("Import cancelled.")
        self.statusBar().showMessage(message, 10_000)
        if result.failed or result.skipped:
            from qmclient.ui.import_report import ImportReportDialog

            dialog = ImportReportDialog(result, self.language, self)
            self.import_reports.append(dialog)
            dialog.finished.connect(lambda _r, d=dialog: self.import_reports.remove(d))
            dialog.show()

    def _import_failed(self: MainWindow, submission_id: int, error: BaseException) -> None:
        QMessageBox.warning(
            self,
            self.tr("Adding files stopped"),
            self.tr("Adding files stopped: %1. The files added before are kept.").replace(
                "%1", getattr(error, "message_zh" if self.zh else "message_en", str(error))
            ),
        )

    # ------------------------------------------------------------------ drops and closing
    def dragEnterEvent(self: MainWindow, event: QDragEnterEvent) -> None:
        from qmclient.ui.media_model import local_paths

        if local_paths(event.mimeData()):
            event.acceptProposedAction()

    def dragMoveEvent(self: MainWindow, event: QDragMoveEvent) -> None:
        from qmclient.ui.media_model import local_paths

        if local_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self: MainWindow, event: QDropEvent) -> None:
        from qmclient.ui.media_model import local_paths

        paths = local_paths(event.mimeData())
        connect = [p for p in paths if p.suffix.lower() == ".qmconnect"]
        sending = getattr(self, "sending", None)  # set once the Send menu is installed
        if connect and sending is not None:
            event.acceptProposedAction()  # the office's connection file: the connect dialog
            sending.connect_server(connect[0])
            return
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)  # kept until the store is loaded
