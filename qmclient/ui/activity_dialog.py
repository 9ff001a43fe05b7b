"""Adding or editing one activity: focus area, dates, place, organiser, people, results."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QDateTimeEdit, QDialog, QWidget

from qmclient.core.campaign import Campaign
from qmclient.core.report import Activity
from qmclient.ui.forms.ui_activity_dialog import Ui_ActivityDialog

TIP = Qt.ItemDataRole.ToolTipRole
NO_DATE = QDate(2000, 1, 1)  # the minimum of the date fields, shown as "not set"

FIELD_WIDGETS = {
    "focus_area": "focusCombo",
    "name": "nameEdit",
    "start_date": "startDateEdit",
    "end_date": "endDateEdit",
    "place": "placeEdit",
    "organiser": "organiserEdit",
    "participants": "participantsSpin",
    "description": "descriptionEdit",
    "results": "resultsEdit",
}


def _qdate(value: dt.date | None) -> QDate:
    return NO_DATE if value is None else QDate(value.year, value.month, value.day)


def _pydate(value: QDate) -> str:
    return "" if value == NO_DATE else value.toString("yyyy-MM-dd")


class ActivityDialog(QDialog):
    def __init__(
        self,
        campaign: Campaign,
        language: str,
        activity: Activity | None = None,
        *,
        focus_field: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_ActivityDialog()
        self.ui.setupUi(self)
        self.campaign = campaign
        zh = language.startswith("zh")
        ui = self.ui
        self.setWindowTitle(self.tr("Edit activity") if activity else self.tr("New activity"))
        ui.focusCombo.addItem(self.tr("Choose the focus area…"), "")
        for n, area in enumerate(campaign.focus_areas, 1):
            ui.focusCombo.addItem(f"{n}. {area.name_zh if zh else area.name_en}", area.id)
            ui.focusCombo.setItemData(
                n, area.hint_zh if zh else (area.hint_en or area.hint_zh), TIP
            )
        ui.focusCombo.currentIndexChanged.connect(self._show_hint)
        for edit in (ui.startDateEdit, ui.endDateEdit):
            edit.setMinimumDate(NO_DATE)
            edit.setMaximumDate(QDate(2100, 12, 31))
            edit.setSpecialValueText(self.tr("not set"))
        ui.participantsSpin.setSpecialValueText(self.tr("not given"))
        ui.participantsSpin.setSuffix(self.tr(" people"))
        ui.nameEdit.setPlaceholderText(self.tr("e.g. Quality Month launch ceremony"))
        ui.placeEdit.setPlaceholderText(self.tr("Where it took place"))
        ui.organiserEdit.setPlaceholderText(self.tr("Who organised it"))
        for edit in (ui.descriptionEdit, ui.resultsEdit):
            edit.setTabChangesFocus(True)
        ui.startDateEdit.dateChanged.connect(self._start_changed)
        # an end date not set yet starts from the start date once the field is entered or
        # its calendar opened: typing works at once, the calendar opens on the right month
        ui.endDateEdit.installEventFilter(self)
        self._fill(activity)
        ui.buttonBox.accepted.connect(self.accept)
        ui.buttonBox.rejected.connect(self.reject)
        target = getattr(ui, FIELD_WIDGETS.get(focus_field, "nameEdit"))
        target.setFocus()

    def _fill(self, a: Activity | None) -> None:
        ui = self.ui
        if a is None:
            today = dt.date.today()
            start = min(max(today, self.campaign.period_start), self.campaign.period_end)
            ui.startDateEdit.setDate(_qdate(start))
            ui.endDateEdit.setDate(NO_DATE)
            self._show_hint()
            return
        i = ui.focusCombo.findData(a.focus_area)
        ui.focusCombo.setCurrentIndex(max(i, 0))
        ui.nameEdit.setText(a.name)
        ui.startDateEdit.setDate(_qdate(a.start_date))
        ui.endDateEdit.setDate(_qdate(a.end_date))
        ui.placeEdit.setText(a.place)
        ui.organiserEdit.setText(a.organiser)
        ui.participantsSpin.setValue(-1 if a.participants is None else a.participants)
        ui.descriptionEdit.setPlainText(a.description)
        ui.resultsEdit.setPlainText(a.results)
        self._show_hint()

    def _show_hint(self) -> None:
        hint = self.ui.focusCombo.currentData(TIP) or ""
        self.ui.focusHintLabel.setText(str(hint))
        self.ui.focusHintLabel.setVisible(bool(hint))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        end = self.ui.endDateEdit
        if (
            watched is end
            and event.type() in (QEvent.Type.FocusIn, QEvent.Type.MouseButtonPress)
            and end.date() == NO_DATE
        ):
            start = self.ui.startDateEdit.date()
            end.setDate(start if start != NO_DATE else _qdate(self.campaign.period_start))
            # after the field's own focus handling: the day selected, typing replaces it
            QTimer.singleShot(0, lambda: end.setSelectedSection(QDateTimeEdit.Section.DaySection))
        return super().eventFilter(watched, event)

    def _start_changed(self, value: QDate) -> None:
        end = self.ui.endDateEdit
        if end.date() != NO_DATE and value != NO_DATE and end.date() < value:
            end.setDate(value)

    def values(self) -> dict[str, Any]:
        ui = self.ui
        spin = ui.participantsSpin.value()
        return {
            "focus_area": str(ui.focusCombo.currentData() or ""),
            "name": ui.nameEdit.text().strip(),
            "start_date": _pydate(ui.startDateEdit.date()),
            "end_date": _pydate(ui.endDateEdit.date()),
            "place": ui.placeEdit.text().strip(),
            "organiser": ui.organiserEdit.text().strip(),
            "participants": "" if spin < 0 else spin,
            "description": ui.descriptionEdit.toPlainText().strip(),
            "results": ui.resultsEdit.toPlainText().strip(),
        }
