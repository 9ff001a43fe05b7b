"""The proxy setting: the system's (default) or an explicit server, with an optional login.

Everything is stored by :mod:`qmclient.services.network` (the password in the keyring).
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QWidget

from qmclient.services.context import AppContext
from qmclient.services.network import ProxySettingError, load_proxy, save_proxy
from qmclient.ui.forms.ui_proxy_dialog import Ui_ProxyDialog


class ProxyDialog(QDialog):
    def __init__(self, ctx: AppContext, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.zh = language.startswith("zh")
        self.ui = Ui_ProxyDialog()
        self.ui.setupUi(self)
        current = load_proxy(ctx)
        self.ui.manualRadio.setChecked(current.mode == "manual")
        self.ui.addressEdit.setText(current.url)
        self.ui.userEdit.setText(current.user)
        for edit in (self.ui.addressEdit, self.ui.userEdit, self.ui.passwordEdit):
            edit.textEdited.connect(lambda _t: self.ui.manualRadio.setChecked(True))
        self.ui.manualRadio.toggled.connect(self._enable)
        self._enable()
        self.ui.buttonBox.accepted.connect(self.accept)
        self.ui.buttonBox.rejected.connect(self.reject)

    def _enable(self) -> None:
        manual = self.ui.manualRadio.isChecked()
        for w in (self.ui.addressEdit, self.ui.userEdit, self.ui.passwordEdit):
            w.setEnabled(manual)

    def accept(self) -> None:
        u = self.ui
        try:
            if u.manualRadio.isChecked():
                password = u.passwordEdit.text() or None
                save_proxy(self.ctx, "manual", u.addressEdit.text(), u.userEdit.text(), password)
            else:
                try:
                    save_proxy(self.ctx, "system", u.addressEdit.text())
                except ProxySettingError:  # a half-typed address does not matter here
                    save_proxy(self.ctx, "system")
        except ProxySettingError as err:
            u.problemLabel.setText(err.message_zh if self.zh else err.message_en)
            return
        super().accept()
