"""The list of submissions: status, campaign, revision, last change and a deadline badge."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QTableView

from qmclient.core import lifecycle
from qmclient.core.campaign import Campaign
from qmclient.core.deadline import DeadlineStatus, deadline_status
from qmclient.store.listing import SubmissionRow
from qmclient.ui.formatting import local_time

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
# plain ints: data() runs for every painted cell and role, enum lookups there add up
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_TEXT_ROLES = frozenset((_DISPLAY, int(SORT_ROLE), _TOOLTIP))
Index = QModelIndex | QPersistentModelIndex


class SubmissionModel(QAbstractTableModel):
    TITLE, STATUS, DEADLINE, CHANGED, REVISION, CAMPAIGN = range(6)

    def __init__(
        self, campaign_of: Callable[[str], Campaign], language: str, parent: Any = None
    ) -> None:
        super().__init__(parent)
        self.campaign_of = campaign_of  # raises LookupError for an unknown campaign
        self.zh = language.startswith("zh")
        self.rows: list[SubmissionRow] = []
        self._deadlines: dict[str, tuple[DeadlineStatus | None, str]] = {}
        self._now = dt.datetime.now(dt.UTC)
        self._sort: tuple[int, Qt.SortOrder] | None = None

    def _headers(self) -> list[str]:
        return [
            self.tr("Report"),
            self.tr("Status"),
            self.tr("Deadline"),
            self.tr("Last change"),
            self.tr("Revision"),
            self.tr("Campaign"),
        ]

    def set_rows(self, rows: list[SubmissionRow], now: dt.datetime | None = None) -> None:
        now = now or dt.datetime.now(dt.UTC)
        self._now = now
        self.beginResetModel()
        self.rows = rows
        self._deadlines = {}
        for row in rows:
            if row.campaign_id in self._deadlines:
                continue
            try:
                campaign = self.campaign_of(row.campaign_id)
            except LookupError:
                self._deadlines[row.campaign_id] = (None, row.campaign_id)
                continue
            title = campaign.title if self.zh else campaign.title_en
            self._deadlines[row.campaign_id] = (deadline_status(campaign, now), title)
        self._apply_sort()
        self.endResetModel()

    # Sorting happens here, on the Python list with one key per row; a sorting proxy would
    # call data() some twenty thousand times for a thousand reports at every refresh.
    def _key(self, row: SubmissionRow, col: int) -> Any:
        if col == self.TITLE:
            return row.title
        if col == self.STATUS:
            return row.status
        if col == self.DEADLINE:
            return self._badge(row)[2]
        if col == self.CHANGED:
            return row.updated_at
        if col == self.REVISION:
            return row.revision
        return self._deadlines.get(row.campaign_id, (None, row.campaign_id))[1]

    def _apply_sort(self) -> None:
        if self._sort is None:
            return
        col, order = self._sort
        self.rows.sort(
            key=lambda r: (self._key(r, col), r.id),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        ids = [self.rows[i.row()].id for i in old]
        self.rows = list(self.rows)
        self._apply_sort()
        where = {r.id: n for n, r in enumerate(self.rows)}
        self.changePersistentIndexList(
            old, [self.index(where[i], idx.column()) for i, idx in zip(ids, old, strict=True)]
        )
        self.layoutChanged.emit()

    def row_of(self, submission_id: int) -> int:
        return next((i for i, r in enumerate(self.rows) if r.id == submission_id), -1)

    # -- Qt model API
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 6

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers()[section]
        return None

    def _badge(self, row: SubmissionRow) -> tuple[str, str, int]:
        """Text, colour name and sort key of the deadline badge."""
        status, _title = self._deadlines.get(row.campaign_id, (None, ""))
        if status is None:
            return "", "", 0
        if row.status in (lifecycle.RECEIVED, lifecycle.ACCEPTED):  # only with a receipt
            return self.tr("received"), "#2e7d32", 100_000
        if status.state == "overdue":
            return self.tr("%n day(s) overdue", "", status.days), "#c62828", -status.days
        if status.state == "due_today":
            return self.tr("due today"), "#c62828", 0
        colour = "#ef6c00" if status.days <= 7 else "#1565c0"
        return self.tr("%n day(s) left", "", status.days), colour, status.days

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = index.column()
        if role == ID_ROLE:
            return row.id
        if role in _TEXT_ROLES:
            if col == self.TITLE:
                text = row.title or self.tr("(untitled report)")
                if role == _TOOLTIP:
                    return "\n".join(
                        filter(
                            None,
                            [
                                text,
                                row.unit_name,
                                self.tr("%n activities", "", row.activity_count),
                                self.tr("%n photos and videos", "", row.media_count),
                            ],
                        )
                    )
                return text
            if col == self.STATUS:
                short = role != _TOOLTIP  # the column is narrow: the time is in the tooltip
                zh, en = lifecycle.status_words(
                    row.status, row.export_note, row.revision, short=short
                )
                return zh if self.zh else en
            if role == SORT_ROLE:
                return self._key(row, col)
            if col == self.DEADLINE:
                return self._badge(row)[0]
            if col == self.CHANGED:
                return local_time(row.updated_at, self._now)
            if col == self.REVISION:
                return row.revision
            if col == self.CAMPAIGN:
                return self._deadlines.get(row.campaign_id, (None, row.campaign_id))[1]
        if role == _FOREGROUND and col == self.DEADLINE:
            _text, colour, _key = self._badge(row)
            return _colour(colour) if colour else None
        if role == _ALIGNMENT and col == self.REVISION:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


@cache
def _colour(name: str) -> QColor:
    """The badge's colour (a QBrush would make QGradient's 169 preset names into a Python
    enum on the way to the first paint)."""
    return QColor(name)


class FilterProxy(QSortFilterProxyModel):
    """Filters the list by the search text; sorting is passed on to the source model."""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if source is not None and column >= 0:
            source.sort(column, order)


class ReportTable(QTableView):
    """The list's view (promoted in the main window's form): a table, which lays out only
    the rows on screen (a tree view lays out every row, two calls into the model each,
    whenever the list is shown or read again), moving like a list: Home and End go to
    the first and the last report, not to the first and the last column."""

    def moveCursor(
        self, cursorAction: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        ends = (QAbstractItemView.CursorAction.MoveHome, QAbstractItemView.CursorAction.MoveEnd)
        if cursorAction in ends:
            modifiers |= Qt.KeyboardModifier.ControlModifier
        return super().moveCursor(cursorAction, modifiers)
