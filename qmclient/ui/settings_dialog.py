"""Settings: language, data folder, and the default unit profile."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QWidget

from qmclient.ui.forms.ui_settings_dialog import Ui_SettingsDialog
from qmclient.ui.settings import AppSettings


class SettingsDialog(QDialog):
    profileRequested = Signal()

    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_SettingsDialog()
        self.ui.setupUi(self)
        self.settings = settings
        combo = self.ui.languageCombo
        combo.addItem(self.tr("Follow the system"), "auto")
        combo.addItem("简体中文", "zh_CN")
        combo.addItem("English", "en")
        combo.setCurrentIndex(max(combo.findData(settings.language), 0))
        self.ui.dataDirEdit.setText(settings.data_dir)
        self.ui.dataDirEdit.setPlaceholderText(self.tr("The standard folder for this user"))
        self.ui.browseButton.clicked.connect(self._browse)
        self.ui.profileButton.clicked.connect(self.profileRequested)
        self.ui.buttonBox.accepted.connect(self.accept)
        self.ui.buttonBox.rejected.connect(self.reject)
        restore = self.ui.buttonBox.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        restore.clicked.connect(self._defaults)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Choose the data folder"), self.ui.dataDirEdit.text()
        )
        if folder:
            self.ui.dataDirEdit.setText(folder)

    def _defaults(self) -> None:
        self.ui.languageCombo.setCurrentIndex(0)
        self.ui.dataDirEdit.clear()

    def accept(self) -> None:
        self.settings.language = str(self.ui.languageCombo.currentData())
        self.settings.data_dir = self.ui.dataDirEdit.text().strip()
        self.settings.sync()
        super().accept()
