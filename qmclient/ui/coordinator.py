"""Plugs the district coordinator's workspace into the main window.

:func:`install` adds the inbox panel (a dock below the reports), a "District" menu
(import into the inbox, batch upload, roll-up export, expected units) and keeps imported
reports read-only in the editor: a coordinator reads them, checks them or returns them,
and never edits another unit's report by accident.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QWidget,
)

from qmclient.services import inbox
from qmclient.store.models import Submission
from qmclient.ui.inbox_panel import InboxPanel
from qmclient.ui.media_model import local_paths

if TYPE_CHECKING:  # batch sending and the roll-up load on first use, not at start-up
    from qmclient.ui.batch_dialog import BatchDialog


class Coordinator(QObject):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = window.ctx
        self.zh = window.zh
        self.panel = InboxPanel(self.ctx, window.language)
        self.dock = QDockWidget(self.tr("Inbox"), window)
        self.dock.setObjectName("inboxDock")
        self.dock.setWidget(self.panel)
        window.add_panel(self.dock, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "QLabel { background: #fff4d6; border: 1px solid #e0c070; padding: 6px; }"
        )
        self.banner.hide()
        window.ui.editorPageLayout.insertWidget(0, self.banner)
        menu = QMenu(self.tr("&District"), window)
        menu.setObjectName("districtMenu")
        menu.addAction(self.tr("Import packages or mails…"), self.panel.import_dialog)
        menu.addAction(self.tr("Batch upload…"), self.batch_dialog)
        menu.addSeparator()
        menu.addAction(self.tr("Import expected units…"), self.import_expected)
        menu.addAction(self.tr("Roll-up export…"), self.export_rollup)
        menu.addSeparator()
        menu.addAction(self.tr("Import a note returning a report…"), self.import_note)
        menu.addSeparator()
        menu.addAction(self.dock.toggleViewAction())
        window.insert_menu(menu)
        self.menu = menu
        self.panel.openSubmission.connect(lambda sid: window.select_submission(sid))
        self.panel.batchWanted.connect(self.batch_dialog)
        self.panel.rollupWanted.connect(self.export_rollup)
        self.panel.expectedWanted.connect(self.import_expected)
        window.submissionChanged.connect(self.follow)
        profile_kind = getattr(self._profile(), "kind", "")
        self.dock.setVisible(profile_kind == "district" or bool(self.panel.model.rows))
        self.dialogs: list[BatchDialog] = []
        window.installEventFilter(self)
        # packages and mails dropped anywhere on the window go to the inbox
        # (Qt delivers a drop to the widget under the pointer that accepts drops)
        self._drop_targets = [window] + [
            w for w in window.findChildren(QWidget) if w.acceptDrops() and w is not self.panel
        ]
        for target in self._drop_targets[1:]:
            target.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.window and kind == QEvent.Type.Close:
            self.close()
        if watched in self._drop_targets and kind in (
            QEvent.Type.DragEnter,
            QEvent.Type.DragMove,
            QEvent.Type.Drop,
        ):
            paths = local_paths(event.mimeData())  # type: ignore[attr-defined]
            if paths and for_inbox(paths):
                event.acceptProposedAction()  # type: ignore[attr-defined]
                if kind == QEvent.Type.Drop:
                    self.dock.show()
                    self.panel.import_paths(paths)
                return True
        return False

    def _profile(self) -> Any:
        from qmclient.services import drafts

        return drafts.get_profile(self.ctx)

    # -- read-only imported reports
    def follow(self, submission_id: int) -> None:
        imported = False
        unit = ""
        if submission_id:
            with self.ctx.store.read() as s:
                sub = s.get(Submission, submission_id)
                imported = sub is not None and sub.origin == "imported"
                unit = sub.unit_name if sub is not None else ""
        self.set_read_only(imported)
        if imported:
            self.banner.setText(
                self.tr(
                    "Received from %1 — read only. Check it or return it in the inbox below."
                ).replace("%1", unit or "?")
            )
        self.banner.setVisible(imported)

    def set_read_only(self, read_only: bool) -> None:
        editor = self.window.editor
        for w in editor.findChildren(QLineEdit) + editor.findChildren(QPlainTextEdit):
            w.setReadOnly(read_only)
        for w in editor.findChildren(QTextEdit):
            w.setReadOnly(read_only)
        for w in editor.findChildren(QComboBox) + editor.findChildren(QPushButton):
            w.setEnabled(not read_only)
        for v in editor.findChildren(QAbstractItemView):
            v.setDragDropMode(
                QAbstractItemView.DragDropMode.NoDragDrop
                if read_only
                else QAbstractItemView.DragDropMode.DragDrop
            )
            if read_only:
                v.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        editor.setAcceptDrops(not read_only)
        ui = self.window.ui
        for action in (ui.actionAddMedia, ui.actionAddFolder, ui.actionAddActivity):
            action.setEnabled(not read_only)
        if read_only:
            ui.actionEditActivity.setEnabled(False)
            ui.actionDeleteSelected.setEnabled(False)

    # -- actions
    def batch_dialog(self, ids: list[int] | None = None) -> BatchDialog:
        from qmclient.services import batch
        from qmclient.ui.batch_dialog import BatchDialog

        if not ids:
            chosen = [r.submission_id for r in self.panel.selected() if r.submission_id]
            ids = list(dict.fromkeys(chosen)) or inbox.checked_submissions(self.ctx)
        if not ids:
            ids = batch.pending_submissions(self.ctx)
        dialog = BatchDialog(self.ctx, ids, self.window.language, self.window)
        dialog.finished.connect(lambda _r: self.panel.refresh())
        self.dialogs = [d for d in self.dialogs if d.isVisible()] + [dialog]
        dialog.show()
        return dialog

    def import_expected(self) -> None:
        from qmclient.export.expected_units import ExpectedUnitsError
        from qmclient.services import rollup

        path, _ = QFileDialog.getOpenFileName(
            self.window, self.tr("Expected units"), "", self.tr("Excel workbooks (*.xlsx)")
        )
        if not path:
            return
        try:
            units = rollup.import_expected(self.ctx, Path(path))
        except ExpectedUnitsError as err:
            QMessageBox.warning(
                self.window,
                self.tr("Not imported"),
                err.message_zh if self.zh else err.message_en,
            )
            return
        QMessageBox.information(
            self.window,
            self.tr("Expected units"),
            self.tr("%1 units are expected to report.").replace("%1", str(len(units))),
        )

    def export_rollup(self) -> None:
        from qmclient.export.errors import ExportError
        from qmclient.services import rollup

        folder = QFileDialog.getExistingDirectory(self.window, self.tr("Save the roll-up in"))
        if not folder:
            return
        base = Path(folder)
        campaign = self.ctx.campaigns.default()
        xlsx = base / f"{campaign.year}年质量月活动汇总表.xlsx"
        docx = base / f"{campaign.year}年质量月活动情况总结（区县）.docx"
        try:
            files = rollup.export(self.ctx, xlsx=xlsx, docx=docx)
        except ExportError as err:
            QMessageBox.warning(
                self.window, self.tr("Not exported"), err.message_zh if self.zh else err.message_en
            )
            return
        r = files.rollup
        QMessageBox.information(
            self.window,
            self.tr("Roll-up exported"),
            self.tr("%1 reports with %2 activities; %3 expected units have not reported.")
            .replace("%1", str(len(r.reports)))
            .replace("%2", str(len(r.rows)))
            .replace("%3", str(len(r.not_reported)))
            + f"\n{xlsx}\n{docx}",
        )

    def import_note(self) -> None:
        """The unit's side: a coordinator returned a report with a .qmnote file."""
        from qmclient.export.errors import PackageError

        path, _ = QFileDialog.getOpenFileName(
            self.window,
            self.tr("Import a note returning a report"),
            "",
            self.tr("Return notes (*.qmnote)"),
        )
        if not path:
            return
        try:
            sid, comment = inbox.apply_note(self.ctx, Path(path))
        except (inbox.InboxError, PackageError) as err:
            QMessageBox.warning(
                self.window, self.tr("Not imported"), err.message_zh if self.zh else err.message_en
            )
            return
        self.window.select_submission(sid)
        QMessageBox.information(
            self.window,
            self.tr("Returned for revision"),
            self.tr("The report was returned for revision:\n%1").replace("%1", comment),
        )

    def close(self) -> None:
        self.panel.close_runner()
        for d in self.dialogs:
            d.close()


INBOX_SUFFIXES = (".qmpkg", ".eml")


def for_inbox(paths: list[Path], look: int = 200) -> bool:
    """Whether dropped paths are for the inbox rather than the report: packages, mails,
    or folders holding some (a look at the first entries of each, no deeper)."""
    for p in paths:
        if p.is_file():
            if p.suffix.lower() not in INBOX_SUFFIXES:
                return False
        elif p.is_dir():
            try:
                names = [e.name.lower() for _, e in zip(range(look), p.iterdir(), strict=False)]
            except OSError:
                return False
            if not any(n.endswith(INBOX_SUFFIXES) for n in names):
                return False
        else:
            return False
    return bool(paths)


def install(window: Any) -> Coordinator:
    coordinator = Coordinator(window)
    window.coordinator = coordinator
    return coordinator
