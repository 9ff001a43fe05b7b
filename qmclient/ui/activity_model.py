"""The activities of one report as a table."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from qmclient.core.campaign import Campaign
from qmclient.core.report import Activity, MediaRef

Index = QModelIndex | QPersistentModelIndex


class ActivityModel(QAbstractTableModel):
    NUMBER, FOCUS, NAME, DATES, PLACE, PARTICIPANTS, MEDIA = range(7)

    def __init__(self, language: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.zh = language.startswith("zh")
        self.activities: list[Activity] = []
        self.media_counts: dict[str, int] = {}
        self.campaign: Campaign | None = None

    def set_data(
        self, activities: list[Activity], media: list[MediaRef], campaign: Campaign | None
    ) -> None:
        self.beginResetModel()
        self.activities = list(activities)
        self.campaign = campaign
        self.media_counts = {}
        for m in media:
            if m.activity_id:
                self.media_counts[m.activity_id] = self.media_counts.get(m.activity_id, 0) + 1
        self.endResetModel()

    def row_of(self, activity_id: str) -> int:
        return next((i for i, a in enumerate(self.activities) if a.id == activity_id), -1)

    def focus_name(self, area_id: str) -> str:
        area = self.campaign.focus_area(area_id) if self.campaign else None
        if area is None:
            return area_id
        return area.name_zh if self.zh else area.name_en

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.activities)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 7

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return [
                "#",
                self.tr("Focus area"),
                self.tr("Activity"),
                self.tr("Dates"),
                self.tr("Place"),
                self.tr("Participants"),
                self.tr("Photos"),
            ][section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        a = self.activities[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.UserRole:
            return a.id
        if role == Qt.ItemDataRole.ToolTipRole and col in (self.FOCUS, self.NAME):
            return self.focus_name(a.focus_area) if col == self.FOCUS else a.description
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if col == self.NUMBER:
            return index.row() + 1
        if col == self.FOCUS:
            return self.focus_name(a.focus_area) if a.focus_area else self.tr("(not chosen)")
        if col == self.NAME:
            return a.name or self.tr("(no name)")
        if col == self.DATES:
            if a.start_date is None:
                return ""
            if a.end_date and a.end_date != a.start_date:
                return f"{a.start_date:%Y-%m-%d} – {a.end_date:%m-%d}"
            return f"{a.start_date:%Y-%m-%d}"
        if col == self.PLACE:
            return a.place
        if col == self.PARTICIPANTS:
            return "" if a.participants is None else a.participants
        if col == self.MEDIA:
            return self.media_counts.get(a.id, 0) or ""
        return None
