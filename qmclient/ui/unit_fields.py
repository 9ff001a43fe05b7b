"""Filling and reading the unit fields (type, district, name, code, contact) of a form.

The editor and the profile dialog share the same field names in their ``.ui`` files.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox

from qmclient.core.campaign import Campaign
from qmclient.core.report import Unit

LINE_FIELDS = {
    "name": "nameEdit",
    "credit_code": "creditCodeEdit",
    "contact_person": "contactEdit",
    "phone": "phoneEdit",
    "email": "emailEdit",
}


def fill_choices(ui: Any, campaign: Campaign, zh: bool, none_text: str) -> None:
    kind: QComboBox = ui.kindCombo
    kind.blockSignals(True)
    kind.clear()
    for k in campaign.submitter_kinds:
        kind.addItem(k.name_zh if zh else k.name_en, k.id)
    kind.blockSignals(False)
    district: QComboBox = ui.districtCombo
    district.blockSignals(True)
    district.clear()
    district.addItem(none_text, "")
    for d in campaign.districts:
        district.addItem(d.name_zh if zh else (d.name_en or d.name_zh), d.id)
    district.blockSignals(False)


def select_data(combo: QComboBox, value: str) -> None:
    i = combo.findData(value)
    if i < 0 and value:  # a value this campaign does not list: keep it visible
        combo.addItem(value, value)
        i = combo.count() - 1
    combo.setCurrentIndex(max(i, 0))


def set_unit(ui: Any, unit: Unit) -> None:
    for widget in [ui.kindCombo, ui.districtCombo, *(getattr(ui, n) for n in LINE_FIELDS.values())]:
        widget.blockSignals(True)
    select_data(ui.kindCombo, unit.kind)
    select_data(ui.districtCombo, unit.district)
    for field, name in LINE_FIELDS.items():
        edit = getattr(ui, name)
        if edit.text() != getattr(unit, field):
            edit.setText(getattr(unit, field))
    for widget in [ui.kindCombo, ui.districtCombo, *(getattr(ui, n) for n in LINE_FIELDS.values())]:
        widget.blockSignals(False)


def get_unit(ui: Any) -> Unit:
    return Unit(
        kind=str(ui.kindCombo.currentData() or ""),
        district=str(ui.districtCombo.currentData() or ""),
        **{field: getattr(ui, name).text().strip() for field, name in LINE_FIELDS.items()},
    )
