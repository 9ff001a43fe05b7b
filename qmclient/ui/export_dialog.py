"""Export: the Word report, the Excel table, e-mail drafts and the package, with a preview.

The dialog shows what will be produced (files, mail parts and their sizes, what happens to
each large video) before anything is written; the plan is recomputed off the GUI thread
whenever an option changes, and builds the files as the export does, so its sizes are
the ones written.  Exporting runs the checks sending runs: with errors the dialog names
them, offers to go to the first, and exports only as an explicit draft (marked 草稿);
warnings are confirmed once.  The export itself runs on a worker with a progress bar and
a Cancel button; a cancelled or failed export leaves no file behind (the service's rule).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QStandardPaths, Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QMenu,
    QMessageBox,
    QTreeWidgetItem,
    QWidget,
)

from qmclient.core import lifecycle
from qmclient.core.work import Progress
from qmclient.ui.forms.ui_export_dialog import Ui_ExportDialog
from qmclient.ui.tasks import TaskRunner

log = logging.getLogger(__name__)
PLAN_DELAY_MS = 300


def default_folder() -> Path:
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs or Path.home()) / "质量月报送"


class ExportDialog(QDialog):
    def __init__(self, window: Any, submission_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.window_ = window
        self.ctx = window.ctx
        self.zh = window.language.startswith("zh")
        self.submission_id = submission_id
        self.ui = Ui_ExportDialog()
        self.ui.setupUi(self)
        self.runner = TaskRunner(self, 1)
        self._plan_task: Any = None
        self._plan_generation = 0
        self._run_task: Any = None
        self._plan_timer = QTimer(self, singleShot=True, interval=PLAN_DELAY_MS)
        self._plan_timer.timeout.connect(self._start_plan)
        self.result_folder: Path | None = None
        self.last_result: Any = None
        self.last_error: Any = None
        self.last_plan: Any = None
        self.warning_box: QMessageBox | None = None
        self._confirmed = ""  # the report hash whose warnings were confirmed

        from qmclient.export.naming import report_basename
        from qmclient.services import drafts

        report = drafts.load_report(self.ctx, submission_id)
        campaign = self.ctx.campaigns.get(report.campaign_id)
        self.basename = report_basename(report, campaign)
        self.setWindowTitle(self.tr("Export: %1").replace("%1", report.title or self.basename))
        remembered = window.settings.export_folder
        self.ui.folderEdit.setText(str(Path(remembered) if remembered else default_folder()))
        for spin in (self.ui.sideSpin, self.ui.qualitySpin):
            spin.setMaximumWidth(spin.fontMetrics().horizontalAdvance("00000 像素") + 40)
        header = self.ui.previewTree.header()
        header.resizeSection(0, 380)
        header.resizeSection(1, 90)
        self.ui.progressBar.hide()
        self.ui.cancelButton.hide()
        self.ui.openFolderButton.hide()
        self.ui.messageLabel.hide()
        self.ui.goToProblemButton.hide()
        self.ui.draftCheck.hide()

        for box in (
            self.ui.docxCheck,
            self.ui.xlsxCheck,
            self.ui.emlCheck,
            self.ui.packageCheck,
            self.ui.downscaleCheck,
            self.ui.onePerRowCheck,
            self.ui.draftCheck,
        ):
            box.toggled.connect(self._options_changed)
        for spin in (self.ui.sideSpin, self.ui.qualitySpin):
            spin.valueChanged.connect(self._options_changed)
        self.ui.reencodeRadio.toggled.connect(self._options_changed)
        self.ui.folderEdit.textChanged.connect(self._options_changed)
        self.ui.browseButton.clicked.connect(self._browse)
        self.ui.exportButton.clicked.connect(self.start_export)
        self.ui.cancelButton.clicked.connect(self.cancel_export)
        self.ui.closeButton.clicked.connect(self.reject)
        self.ui.openFolderButton.clicked.connect(self._open_folder)
        self.ui.goToProblemButton.clicked.connect(self.go_to_first_problem)
        self._options_changed()

    # ------------------------------------------------------------------ options and plan
    def folder(self) -> Path:
        return Path(self.ui.folderEdit.text().strip() or str(default_folder())).expanduser()

    def options(self) -> Any:
        from qmclient.services.export import ExportOptions

        folder = self.folder()
        ui = self.ui
        return ExportOptions(
            docx=folder / f"{self.basename}.docx" if ui.docxCheck.isChecked() else None,
            xlsx=folder / f"{self.basename}.xlsx" if ui.xlsxCheck.isChecked() else None,
            eml_dir=folder / "邮件" if ui.emlCheck.isChecked() else None,
            package=folder / f"{self.basename}.qmpkg" if ui.packageCheck.isChecked() else None,
            downscale=ui.sideSpin.value() if ui.downscaleCheck.isChecked() else None,
            quality=ui.qualitySpin.value(),
            video="reencode" if ui.reencodeRadio.isChecked() else "omit",
            draft=ui.draftCheck.isChecked(),
            photos_per_row=1 if ui.onePerRowCheck.isChecked() else 2,
        )

    def _options_changed(self, *_args: Any) -> None:
        self._update_enabled()
        self._plan_timer.start()

    def _update_enabled(self) -> None:
        mail = self.ui.emlCheck.isChecked()
        self.ui.mailBox.setEnabled(mail)
        self.ui.sideSpin.setEnabled(mail and self.ui.downscaleCheck.isChecked())
        self.ui.qualitySpin.setEnabled(mail and self.ui.downscaleCheck.isChecked())
        any_output = any(
            b.isChecked()
            for b in (self.ui.docxCheck, self.ui.xlsxCheck, self.ui.emlCheck, self.ui.packageCheck)
        )
        blocked = bool(self.last_plan and self.last_plan.blockers)
        self.ui.exportButton.setEnabled(
            any_output
            and self._run_task is None
            and (not blocked or self.ui.draftCheck.isChecked())
        )
        self.ui.exportButton.setText(
            self.tr("Export draft") if self.ui.draftCheck.isChecked() else self.tr("Export")
        )

    def _start_plan(self) -> None:
        if self._run_task is not None:
            return
        if self._plan_task is not None:
            self._plan_task.cancel()
        if not any(
            b.isChecked()
            for b in (self.ui.docxCheck, self.ui.xlsxCheck, self.ui.emlCheck, self.ui.packageCheck)
        ):
            self.ui.previewTree.clear()
            return
        from qmclient.services.export import plan

        ctx, sid, options = self.ctx, self.submission_id, self.options()
        self.ui.previewLabel.setText(self.tr("What will be produced (working it out…)"))
        self._plan_generation += 1
        generation = self._plan_generation

        def show(result: Any, error: BaseException | None) -> None:
            if generation == self._plan_generation:  # a newer plan supersedes this one
                self._show_plan(result, error)

        self._plan_task = self.runner.run_task(
            lambda task: plan(ctx, sid, options, work=task), show
        )

    def _show_plan(self, result: Any, error: BaseException | None) -> None:
        self._plan_task = None
        from qmclient.export.text import size_text

        tree = self.ui.previewTree
        tree.clear()
        self.ui.previewLabel.setText(self.tr("What will be produced"))
        if error is not None:
            self._message(self._describe(error), error=True)
            return
        self.last_plan = result
        self._update_enabled()
        kinds = {
            "docx": self.tr("Word summary"),
            "xlsx": self.tr("Excel table"),
            "package": self.tr("Report package"),
        }
        for f in result.files:
            if f.kind == "eml":
                continue
            size = size_text(f.size) if f.exact else "≈ " + size_text(f.size)
            QTreeWidgetItem(tree, [f.path.name, size, kinds.get(f.kind, f.kind)])
        for part in result.mail_parts:
            note = (
                self.tr("mail %1 of %2: %3")
                .replace("%1", str(part.index))
                .replace("%2", str(part.total))
                .replace("%3", "、".join(part.attachments))
            )
            exact = all(f.exact for f in result.files if f.kind == "eml")
            size = size_text(part.size) if exact else "≈ " + size_text(part.size)
            item = QTreeWidgetItem(tree, [part.path.name, size, note])
            item.setToolTip(2, "\n".join(part.attachments))
        for video in result.videos:
            if video.action == "attach":
                continue
            note = video.note_zh if self.zh else video.note_en
            item = QTreeWidgetItem(tree, [video.original_name, size_text(video.size), note])
            item.setForeground(2, Qt.GlobalColor.darkYellow)
        # the dialog creates a missing folder when the export starts
        problems = [p for p in result.problems if getattr(p, "code", "") != "no-folder"]
        blockers = result.blockers
        self.ui.goToProblemButton.setVisible(bool(blockers))
        self.ui.draftCheck.setVisible(bool(blockers))
        if not blockers:
            self.ui.draftCheck.setChecked(False)
        if problems:
            self._message("\n".join(self._describe(p) for p in problems), error=True)
            self.ui.exportButton.setEnabled(False)
        elif blockers:
            shown = "\n".join(
                f"• {f.message_zh if self.zh else f.message_en}" for f in blockers[:5]
            )
            more = len(blockers) - 5
            if more > 0:
                shown += "\n" + self.tr("• … and %1 more").replace("%1", str(more))
            self._message(
                self.tr(
                    "The report has %n problem(s) to fix before it can be exported:",
                    "",
                    len(blockers),
                )
                + "\n"
                + shown
                + "\n"
                + self.tr("Fix them, or export a draft (every file then says 草稿)."),
                error=True,
            )
        else:
            limit = size_text(result.mail_limit)
            self._message(
                self.tr("Each e-mail stays under the campaign's limit of %1.").replace("%1", limit)
                if result.mail_parts
                else "",
            )

    # ------------------------------------------------------------------ running
    def go_to_first_problem(self) -> None:
        """Close the dialog and show the first error where it is (the editor's field)."""
        plan = self.last_plan
        if plan is None or not plan.blockers:
            return
        first = plan.blockers[0]
        self.reject()
        self.window_.jump_to(first, open_editor=True)

    def confirm_warnings(self) -> bool:
        """Warnings do not stop an export; they are shown once, to be confirmed (the box
        is window-modal; Yes starts the export)."""
        plan = self.last_plan
        if plan is None or not plan.warnings or self.ui.draftCheck.isChecked():
            return True
        if self._confirmed == plan.report_hash:
            return True
        lines = "\n".join(
            f"• {f.message_zh if self.zh else f.message_en}" for f in plan.warnings[:8]
        )
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Export the report?"),
            self.tr("Please note:") + "\n\n" + lines + "\n\n" + self.tr("Export it anyway?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.No)

        def answered(button: Any) -> None:
            if box.standardButton(button) == QMessageBox.StandardButton.Yes:
                self._confirmed = plan.report_hash
                self.start_export()

        box.buttonClicked.connect(answered)
        self.warning_box = box
        box.open()
        return False

    def start_export(self) -> None:
        if self._run_task is not None:
            return
        self.window_.flush_edits()
        if not self.confirm_warnings():
            return
        from qmclient.services.export import run

        self._plan_generation += 1  # a plan still running no longer matters
        try:
            self.folder().mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            self._message(
                self.tr("The folder %1 cannot be created (%2); choose another.")
                .replace("%1", str(self.folder()))
                .replace("%2", reason),
                error=True,
            )
            self.last_error = exc
            return
        ctx, sid, options = self.ctx, self.submission_id, self.options()
        self.window_.settings.export_folder = str(self.folder())
        for w in (
            self.ui.whatBox,
            self.ui.mailBox,
            self.ui.folderEdit,
            self.ui.browseButton,
            self.ui.exportButton,
            self.ui.closeButton,
        ):
            w.setEnabled(False)
        self.ui.cancelButton.show()
        self.ui.openFolderButton.hide()
        self.ui.progressBar.setRange(0, 0)
        self.ui.progressBar.show()
        self._message(self.tr("Exporting…"))

        def work(task: Any) -> Any:
            return run(ctx, sid, options, work=task)

        self._run_task = self.runner.run_task(work, self._finished, on_progress=self._progress)

    def _progress(self, value: Progress) -> None:
        done, total, label = value.done, value.total, value.label
        self.ui.progressBar.setRange(0, max(1, total))
        self.ui.progressBar.setValue(min(done, total))
        if label:
            self.ui.progressBar.setFormat(f"%p%  {label}")

    def cancel_export(self) -> None:
        if self._run_task is not None:
            self._run_task.cancel()
            self.ui.cancelButton.setEnabled(False)
            self._message(self.tr("Cancelling…"))

    def _finished(self, result: Any, error: BaseException | None) -> None:
        self._run_task = None
        self.ui.progressBar.hide()
        self.ui.cancelButton.hide()
        self.ui.cancelButton.setEnabled(True)
        for w in (
            self.ui.whatBox,
            self.ui.mailBox,
            self.ui.folderEdit,
            self.ui.browseButton,
            self.ui.exportButton,
            self.ui.closeButton,
        ):
            w.setEnabled(True)
        self.last_result, self.last_error = result, error
        self._update_enabled()
        if error is not None:
            if getattr(error, "code", "") == "cancelled":
                self._message(self.tr("Cancelled; nothing was written."))
            else:
                log.warning("export failed: %s", error)
                self._message(self._describe(error), error=True)
            return
        self.result_folder = self.folder()
        self._show_written(result)
        lines = [
            self.tr("Done: %n file(s) written to %1.", "", len(result.files)).replace(
                "%1", str(self.result_folder)
            )
        ]
        lines += [zh if self.zh else en for zh, en in result.warnings]
        self._message("\n".join(lines))
        self.ui.openFolderButton.show()
        self.ui.closeButton.setFocus()  # the list heard of the new status by itself
        if result.exported is not None:  # the same words as the list and the editor
            note = result.exported
            zh, en = lifecycle.status_words(result.status, note, note.revision)
            self.window_.statusBar().showMessage(zh if self.zh else en, 15_000)

    def _show_written(self, result: Any) -> None:
        """The preview becomes the list of what was written, with exact sizes."""
        from qmclient.export.text import size_text

        tree = self.ui.previewTree
        tree.clear()
        self.ui.previewLabel.setText(self.tr("Written"))
        for path in result.files:
            try:
                size = size_text(Path(path).stat().st_size)
            except OSError:
                size = ""
            QTreeWidgetItem(tree, [Path(path).name, size, str(Path(path).parent)])

    # ------------------------------------------------------------------ helpers
    def _describe(self, error: BaseException) -> str:
        zh, en = getattr(error, "message_zh", None), getattr(error, "message_en", None)
        if zh and en:
            return str(zh if self.zh else en)
        return str(error)

    def _message(self, text: str, *, error: bool = False) -> None:
        self.ui.messageLabel.setVisible(bool(text))
        self.ui.messageLabel.setText(text)
        self.ui.messageLabel.setStyleSheet("color: #c62828;" if error else "")

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, self.tr("Export to folder"), str(self.folder())
        )
        if chosen:
            self.ui.folderEdit.setText(chosen)

    def _open_folder(self) -> None:
        if self.result_folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.result_folder)))

    def reject(self) -> None:
        if self._run_task is not None:  # closing the window cancels, and waits for it
            self.cancel_export()
            return
        self.runner.close()
        super().reject()


class ExportMenu(QObject):
    """The Export menu of a main window: 导出报告… (Ctrl+E) opens :class:`ExportDialog`."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.menu = QMenu(self.tr("E&xport"), window)
        self.action = QAction(self.tr("&Export report…"), window)
        self.action.setShortcut(QKeySequence("Ctrl+E"))
        self.action.setStatusTip(
            self.tr("Word summary, Excel table, e-mail drafts and the report package")
        )
        self.action.triggered.connect(self.open_dialog)
        self.menu.addAction(self.action)
        window.insert_menu(self.menu)
        self.dialog: ExportDialog | None = None

    def open_dialog(self) -> ExportDialog | None:
        sid = self.window.current_submission_id()
        if sid is None:
            self.window.statusBar().showMessage(self.tr("Choose a report to export first."), 5000)
            return None
        self.dialog = ExportDialog(self.window, sid)
        self.dialog.open()
        return self.dialog


def install_export(window: Any) -> ExportMenu:
    menu = ExportMenu(window)
    window.exporting = menu
    return menu
