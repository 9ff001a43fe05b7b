"""The list of submissions: status, campaign, revision, last change and a deadline badge."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from qmclient.core import lifecycle
from qmclient.core.deadline import DeadlineStatus, deadline_status
from qmclient.services.context import AppContext
from qmclient.services.drafts import SubmissionRow
from qmclient.ui.formatting import local_time

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex


class SubmissionModel(QAbstractTableModel):
    TITLE, STATUS, DEADLINE, CHANGED, REVISION, CAMPAIGN = range(6)

    def __init__(self, ctx: AppContext, language: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.zh = language.startswith("zh")
        self.rows: list[SubmissionRow] = []
        self._deadlines: dict[str, tuple[DeadlineStatus | None, str]] = {}

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
        self.beginResetModel()
        self.rows = rows
        self._deadlines = {}
        for row in rows:
            if row.campaign_id in self._deadlines:
                continue
            try:
                campaign = self.ctx.campaigns.get(row.campaign_id)
            except LookupError:
                self._deadlines[row.campaign_id] = (None, row.campaign_id)
                continue
            title = campaign.title if self.zh else campaign.title_en
            self._deadlines[row.campaign_id] = (deadline_status(campaign, now), title)
        self.endResetModel()

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
        if row.status not in lifecycle.EDITABLE and row.status != lifecycle.RETURNED:
            return self.tr("handed in"), "#2e7d32", 100_000
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
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE, Qt.ItemDataRole.ToolTipRole):
            sort = role == SORT_ROLE
            if col == self.TITLE:
                text = row.title or self.tr("(untitled report)")
                if role == Qt.ItemDataRole.ToolTipRole:
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
                zh, en = lifecycle.LABELS.get(row.status, (row.status, row.status))
                return row.status if sort else (zh if self.zh else en)
            if col == self.DEADLINE:
                text, _colour, key = self._badge(row)
                return key if sort else text
            if col == self.CHANGED:
                return row.updated_at.isoformat() if sort else local_time(row.updated_at)
            if col == self.REVISION:
                return row.revision
            if col == self.CAMPAIGN:
                return self._deadlines.get(row.campaign_id, (None, row.campaign_id))[1]
        if role == Qt.ItemDataRole.ForegroundRole and col == self.DEADLINE:
            _text, colour, _key = self._badge(row)
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.REVISION:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None
