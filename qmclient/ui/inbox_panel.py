"""The coordinator's inbox panel: what arrived, how it was filed, check and return.

The list is an item model over :func:`qmclient.services.inbox.list_items`; imports run on
a worker (:class:`~qmclient.ui.tasks.TaskRunner`) and the panel is a drop target for
packages, mails and folders.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import QBrush, QColor, QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QHeaderView, QInputDialog, QMessageBox, QWidget

from qmclient.core.work import Progress
from qmclient.services import inbox, inbox_import
from qmclient.services.context import AppContext
from qmclient.ui.changes import INBOX_TABLES
from qmclient.ui.forms.ui_inbox_panel import Ui_InboxPanel
from qmclient.ui.media_model import local_paths
from qmclient.ui.tasks import Task, TaskRunner

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
COL_OUTCOME, COL_UNIT, COL_REASON, COL_SOURCE, COL_REVIEW, COL_WHEN = range(6)
COLOURS = {
    inbox.NEW: "#1e7e34",
    inbox.UPDATED: "#0b61a4",
    inbox.DUPLICATE: "#6c757d",
    inbox.QUARANTINED: "#b02a37",
}


class InboxModel(QAbstractTableModel):
    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.zh = language.startswith("zh")
        self.rows: list[inbox.InboxRow] = []

    def headers(self) -> list[str]:
        return [
            self.tr("Filed as"),
            self.tr("Unit"),
            self.tr("Reason"),
            self.tr("Received item"),
            self.tr("Review"),
            self.tr("Received"),
        ]

    def outcome_label(self, outcome: str) -> str:
        return {
            inbox.NEW: self.tr("New"),
            inbox.UPDATED: self.tr("Updated"),
            inbox.DUPLICATE: self.tr("Duplicate"),
            inbox.QUARANTINED: self.tr("Quarantined"),
        }.get(outcome, outcome)

    def group_label(self, group: str) -> str:
        return {
            "broken": self.tr("Broken or unsafe file"),
            "wrong-district": self.tr("Another district"),
            "wrong-campaign": self.tr("Another campaign"),
            "older-revision": self.tr("Older revision"),
            "failed-validation": self.tr("Fails the checks"),
            "incomplete": self.tr("Mail parts missing"),
            "conflict": self.tr("Conflicts with a report here"),
            "newer-format": self.tr("Made by a newer version"),
        }.get(group, group)

    def review_label(self, review: str) -> str:
        return {inbox.CHECKED: self.tr("Checked"), inbox.RETURNED: self.tr("Returned")}.get(
            review, ""
        )

    def set_rows(self, rows: list[inbox.InboxRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 6

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        col = index.column()
        if role == ROW_ROLE:
            return r
        if role == SORT_ROLE:
            if col == COL_WHEN:
                return r.id  # received order, to the item
            role = Qt.ItemDataRole.DisplayRole
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_OUTCOME:
                return "● " + self.outcome_label(r.outcome)
            if col == COL_UNIT:
                return r.unit_name or "—"
            if col == COL_REASON:
                if r.outcome != inbox.QUARANTINED:
                    return self.tr("revision %1").replace("%1", str(r.revision))
                return self.group_label(r.group)
            if col == COL_SOURCE:
                return r.source_name
            if col == COL_REVIEW:
                return self.review_label(r.review)
            if col == COL_WHEN:
                return r.received_at.astimezone().strftime("%m-%d %H:%M")
        if role == Qt.ItemDataRole.ToolTipRole:
            return r.message_zh if self.zh else r.message_en
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_OUTCOME:
            return QBrush(QColor(COLOURS.get(r.outcome, "#000000")))
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_REVIEW and r.review:
            return QBrush(QColor("#1e7e34" if r.review == inbox.CHECKED else "#b02a37"))
        return None


class InboxPanel(QWidget):
    openSubmission = Signal(int)
    batchWanted = Signal()
    rollupWanted = Signal()
    expectedWanted = Signal()
    changed = Signal()

    def __init__(self, ctx: AppContext, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.zh = language.startswith("zh")
        self.ui = Ui_InboxPanel()
        self.ui.setupUi(self)
        self.model = InboxModel(language, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(COL_OUTCOME)
        self.proxy.setSortRole(SORT_ROLE)
        view = self.ui.itemsView
        view.setModel(self.proxy)
        view.verticalHeader().setVisible(False)
        header = view.horizontalHeader()
        header.setSectionResizeMode(COL_SOURCE, QHeaderView.ResizeMode.Stretch)
        for col, width in ((COL_OUTCOME, 96), (COL_UNIT, 220), (COL_REASON, 170), (COL_REVIEW, 72)):
            view.setColumnWidth(col, width)
        view.sortByColumn(COL_WHEN, Qt.SortOrder.DescendingOrder)
        self.runner = TaskRunner(self, max_threads=1)
        self.ui.filterCombo.addItem(self.tr("All"), "")
        for outcome in inbox.OUTCOMES:
            self.ui.filterCombo.addItem(self.model.outcome_label(outcome), outcome)
        self.ui.filterCombo.currentIndexChanged.connect(self._filter)
        self.ui.importButton.clicked.connect(self.import_dialog)
        self.ui.checkButton.clicked.connect(self.check_selected)
        self.ui.returnButton.clicked.connect(self.return_selected)
        self.ui.showFileButton.clicked.connect(self.show_file)
        self.ui.batchButton.clicked.connect(self.batchWanted)
        self.ui.rollupButton.clicked.connect(self.rollupWanted)
        self.ui.expectedButton.clicked.connect(self.expectedWanted)
        view.doubleClicked.connect(self._activated)
        view.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        self.refresh()  # the first fill; then it follows the store (store_changed)

    # -- list
    @Slot(object)
    def store_changed(self, tables: frozenset[str]) -> None:
        """The store's announcement (``window.changes``): filed or reviewed items."""
        if tables & INBOX_TABLES:
            self.refresh()

    def refresh(self) -> None:
        rows = inbox.list_items(self.ctx)
        rows.reverse()  # newest first
        self.model.set_rows(rows)
        counts = dict.fromkeys(inbox.OUTCOMES, 0)
        for r in rows:
            counts[r.outcome] += 1
        self.ui.countsLabel.setText(
            "  ".join(f"{self.model.outcome_label(k)} {v}" for k, v in counts.items())
        )
        self._enable()

    def _filter(self) -> None:
        outcome = self.ui.filterCombo.currentData()
        label = self.model.outcome_label(outcome) if outcome else ""
        self.proxy.setFilterFixedString(f"● {label}" if label else "")

    def selected(self) -> list[inbox.InboxRow]:
        rows = self.ui.itemsView.selectionModel().selectedRows()
        return [self.proxy.data(i, ROW_ROLE) for i in rows]

    def _enable(self) -> None:
        sel = self.selected()
        reviewable = [r for r in sel if r.outcome != inbox.QUARANTINED and r.submission_id]
        self.ui.checkButton.setEnabled(bool(reviewable))
        self.ui.returnButton.setEnabled(len(sel) == 1 and bool(sel[0].uuid))
        self.ui.showFileButton.setEnabled(len(sel) == 1 and bool(sel[0].kept_path))

    def _activated(self, index: QModelIndex) -> None:
        r = self.proxy.data(index, ROW_ROLE)
        if r is not None and r.submission_id:
            self.openSubmission.emit(r.submission_id)

    # -- importing
    def import_dialog(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self,
            self.tr("Import packages or mails"),
            "",
            self.tr("Packages and mails (*.qmpkg *.eml);;All files (*)"),
        )
        if files:
            self.import_paths([Path(f) for f in files])

    def import_paths(self, paths: list[Path]) -> Task:
        self.ui.countsLabel.setText(self.tr("Importing…"))
        self.ui.importButton.setEnabled(False)

        def work(task: Task) -> list[inbox.InboxRow]:
            return inbox_import.import_paths(self.ctx, paths, work=task)

        def progress(value: Progress) -> None:
            done, total, name = value.done, value.total, value.label
            self.ui.countsLabel.setText(
                self.tr("Importing %1 of %2: %3")
                .replace("%1", str(min(done + 1, total)))
                .replace("%2", str(total))
                .replace("%3", name)
            )

        return self.runner.run_task(work, self._imported, on_progress=progress)

    def _imported(self, rows: list[inbox.InboxRow] | None, error: BaseException | None) -> None:
        self.ui.importButton.setEnabled(True)  # the list followed the store's announcement
        self.changed.emit()
        if error is not None:
            QMessageBox.warning(self, self.tr("Import failed"), str(error))
            return
        if rows:
            bad = sum(1 for r in rows if r.outcome == inbox.QUARANTINED)
            self.window().statusBar().showMessage(  # type: ignore[attr-defined]
                self.tr("%1 items received, %2 quarantined")
                .replace("%1", str(len(rows)))
                .replace("%2", str(bad)),
                10_000,
            )

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if local_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = local_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    # -- review
    def check_selected(self) -> None:
        for r in self.selected():
            if r.outcome != inbox.QUARANTINED and r.submission_id:
                inbox.check_item(self.ctx, r.id)  # the list hears of it (store_changed)
        self.changed.emit()

    def return_selected(self) -> None:
        sel = self.selected()
        if len(sel) != 1:
            return
        r = sel[0]
        comment, ok = QInputDialog.getMultiLineText(
            self,
            self.tr("Return for revision"),
            self.tr("Comment for %1 (it goes into a note file for the unit):").replace(
                "%1", r.unit_name or r.source_name
            ),
        )
        if not ok:
            return
        try:
            _row, note = inbox.return_item(self.ctx, r.id, comment)
        except inbox.InboxError as err:
            QMessageBox.warning(
                self, self.tr("Not returned"), err.message_zh if self.zh else err.message_en
            )
            return
        self.changed.emit()  # the list heard of it (store_changed)
        if note is not None:
            QMessageBox.information(
                self,
                self.tr("Returned"),
                self.tr("The note for the unit is saved as:\n%1").replace("%1", str(note)),
            )

    def show_file(self) -> None:
        sel = self.selected()
        if len(sel) == 1 and sel[0].kept_path:
            path = self.ctx.data_dir / sel[0].kept_path
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))

    def close_runner(self) -> None:
        self.runner.close(10_000)
