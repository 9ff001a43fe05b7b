"""The main window's list of reports: its view and columns, reading it again when the
store announces a change, and following the selection.

A part of :class:`~qmclient.ui.main_window.MainWindow` (its methods run on the window).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, Slot
from PySide6.QtWidgets import QHeaderView, QMenu

from qmclient.core.campaign import Campaign
from qmclient.ui.changes import REPORT_LIST_TABLES
from qmclient.ui.parts import Part
from qmclient.ui.submission_model import ID_ROLE, SORT_ROLE, FilterProxy, SubmissionModel

if TYPE_CHECKING:
    from qmclient.ui.main_window import MainWindow


def _no_campaign(campaign_id: str) -> Campaign:
    raise LookupError(campaign_id)


class ReportList(Part):
    def _setup_list(self: MainWindow) -> None:
        glance = self._glance
        self.model = SubmissionModel(
            glance.campaign if glance is not None else _no_campaign, self.language, self
        )
        self.proxy = FilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        view = self.ui.submissionsView
        view.setModel(self.proxy)
        view.sortByColumn(SubmissionModel.CHANGED, Qt.SortOrder.DescendingOrder)
        header = view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        # Fixed widths from the font, not ResizeToContents: measuring every row of a long
        # list on each change costs seconds with a thousand reports.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(SubmissionModel.TITLE, QHeaderView.ResizeMode.Stretch)
        metrics = view.fontMetrics()
        rows = view.verticalHeader()  # rows as compact as a list's
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(metrics.height() + 4)
        samples = {
            SubmissionModel.STATUS: "草稿 · 已导出",  # the widest common state
            SubmissionModel.DEADLINE: "逾期 9999 天",
            SubmissionModel.CHANGED: "09-24 10:05",
            SubmissionModel.REVISION: "99",
            SubmissionModel.CAMPAIGN: "2022年济南市“质量月”活动",
        }
        for col, sample in samples.items():
            header.resizeSection(col, metrics.horizontalAdvance(sample) + 18)
        view.setColumnHidden(SubmissionModel.CAMPAIGN, True)
        view.setColumnHidden(SubmissionModel.REVISION, True)
        view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.ui.filterEdit.textChanged.connect(self.proxy.setFilterFixedString)
        self.ui.splitter.setStretchFactor(0, 2)
        self.ui.splitter.setStretchFactor(1, 5)
        self.ui.splitter.setSizes([420, 980])
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)

    def _header_menu(self: MainWindow, pos: Any) -> None:
        menu = QMenu(self)
        view = self.ui.submissionsView
        for col in range(1, self.model.columnCount()):
            name = self.model.headerData(col, Qt.Orientation.Horizontal, 0)
            action = menu.addAction(str(name))
            action.setCheckable(True)
            action.setChecked(not view.isColumnHidden(col))
            action.toggled.connect(lambda on, c=col: view.setColumnHidden(c, not on))
        menu.popup(view.horizontalHeader().mapToGlobal(pos))

    # ------------------------------------------------------------------ list
    @Slot(object)
    def _store_changed(self: MainWindow, tables: frozenset[str]) -> None:
        """The store's announcement: the list is read again when reports changed."""
        if tables & REPORT_LIST_TABLES:
            self.refresh_list()

    def refresh_list(self: MainWindow, select: int | None = None) -> None:
        """Read the list again, keeping the row picked in it (or picking ``select``)."""
        from qmclient.services import drafts

        view = self.ui.submissionsView
        current = view.currentIndex()
        keep = select
        if keep is None:  # the row the user sees picked (the editor may be switching to it)
            keep = current.data(ID_ROLE) if current.isValid() else self.editor.submission_id
        view.selectionModel().blockSignals(True)
        try:
            self.model.set_rows(drafts.list_submissions(self.store_ctx), self.clock())
            if keep is not None:
                self._select_in_view(keep)
        finally:
            view.selectionModel().blockSignals(False)
        if select is not None and select != self.editor.submission_id:
            self._show_current(select)

    def _select_in_view(self: MainWindow, submission_id: int) -> None:
        row = self.model.row_of(submission_id)
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        view = self.ui.submissionsView
        view.setCurrentIndex(index)
        view.scrollTo(index)

    def select_submission(self: MainWindow, submission_id: int, *, reload: bool = True) -> None:
        """Show ``submission_id``.  The list follows the store by itself; it is read here
        only when the report is not in it yet (written by background work whose changes
        are still being gathered), unless ``reload=False``."""
        if reload and self.model.row_of(submission_id) < 0:
            self.refresh_list(select=submission_id)
            return
        view = self.ui.submissionsView
        view.selectionModel().blockSignals(True)
        try:
            self._select_in_view(submission_id)
        finally:
            view.selectionModel().blockSignals(False)
        self._show_current(submission_id)

    def _current_changed(self: MainWindow, current: QModelIndex, _previous: QModelIndex) -> None:
        submission_id = current.data(ID_ROLE) if current.isValid() else None
        if self.editor is None:  # still loading: show it once the store is there
            self._chosen = submission_id
            self._update_deadline()
            return
        if submission_id != self.editor.submission_id:
            self._show_current(submission_id)
