"""The unit profile: who is reporting.  Asked once at first start (and can be skipped)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from qmclient.core.campaign import Campaign
from qmclient.core.report import Unit
from qmclient.ui.forms.ui_profile_dialog import Ui_ProfileDialog
from qmclient.ui.unit_fields import fill_choices, get_unit, set_unit


class ProfileDialog(QDialog):
    def __init__(
        self,
        campaign: Campaign,
        unit: Unit | None,
        language: str,
        *,
        first_start: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_ProfileDialog()
        self.ui.setupUi(self)
        fill_choices(self.ui, campaign, language.startswith("zh"), self.tr("(none)"))
        set_unit(self.ui, unit or Unit())
        self.ui.creditCodeEdit.setPlaceholderText("91350100M000100Y43")
        self.ui.phoneEdit.setPlaceholderText(self.tr("e.g. 0531-82568852 or a mobile number"))
        if first_start:
            self.setWindowTitle(self.tr("Welcome to qmclient"))
            cancel = self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Cancel)
            cancel.setText(self.tr("Skip for now"))
        self.ui.buttonBox.accepted.connect(self.accept)
        self.ui.buttonBox.rejected.connect(self.reject)

    def unit(self) -> Unit:
        return get_unit(self.ui)
