"""连接报送服务器: the office's address and the unit's connection code, typed or read from
the ``.qmconnect`` file the office hands out; checked at once on a worker
(:mod:`qmclient.services.connection`), then kept (the code in the system keyring only).

The first *Connect* checks and stores; the dialog then shows the unit as the office knows
it, the clock and any difference from the local profile (which the user may take over),
and the button becomes *Done*.  Nothing typed is lost on an error: the fields stay filled.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QWidget

from qmclient.core.work import QmError
from qmclient.services import connection
from qmclient.services.context import AppContext
from qmclient.sync.errors import SyncError
from qmclient.ui.forms.ui_connect_dialog import Ui_ConnectDialog
from qmclient.ui.tasks import TaskRunner


class ConnectDialog(QDialog):
    def __init__(
        self,
        ctx: AppContext,
        language: str,
        parent: QWidget | None = None,
        file: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.zh = language.startswith("zh")
        self.ui = Ui_ConnectDialog()
        self.ui.setupUi(self)
        self.runner = TaskRunner(self, max_threads=1)
        self.campaign_id = ""
        self.checked: connection.ConnectionCheck | None = None
        self.ok_button = self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Connect"))
        self.ui.buttonBox.accepted.connect(self.accept)
        self.ui.buttonBox.rejected.connect(self.reject)
        self.ui.fileButton.clicked.connect(self.choose_file)
        self.ui.disconnectButton.clicked.connect(self.forget_connection)
        self.ui.takeOverCheck.hide()
        current = connection.state(ctx)
        self.ui.endpointEdit.setText(current.endpoint)
        self.ui.disconnectButton.setVisible(current.connected)
        if current.connected:
            self.ui.resultLabel.setText(
                self.tr("Connected to %1 as %2.")
                .replace("%1", current.endpoint)
                .replace("%2", current.unit_name or "—")
            )
        if file is not None:
            self.load_file(file)

    def _say(self, err: Any) -> str:
        return str(err.message_zh if self.zh else err.message_en)

    # -------------------------------------------------------------- input

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open a connection file"), "", self.tr("Connection files (*.qmconnect)")
        )
        if path:
            self.load_file(Path(path))

    def load_file(self, path: Path) -> bool:
        """Fill the fields from a ``.qmconnect`` file; ``False`` (and why) if refused."""
        try:
            info = connection.read_connection_file(path)
        except QmError as err:
            self.ui.problemLabel.setText(self._say(err))
            return False
        self.ui.endpointEdit.setText(info.endpoint)
        self.ui.codeEdit.setText(info.token)
        self.campaign_id = info.campaign_id
        unit = info.unit.get("name", "")
        self.ui.problemLabel.clear()
        self.ui.resultLabel.setText(
            self.tr("Connection file for %1 from %2. Click Connect to check and use it.")
            .replace("%1", unit or "—")
            .replace("%2", info.office or info.endpoint)
        )
        return True

    # -------------------------------------------------------------- connecting

    def accept(self) -> None:
        if self.checked is not None:  # second click: done
            if self.ui.takeOverCheck.isChecked():
                connection.take_over_profile(self.ctx, self.checked.office_unit)
            super().accept()
            return
        endpoint = self.ui.endpointEdit.text().strip()
        code = self.ui.codeEdit.text().strip()
        if not endpoint or not code:
            self.ui.problemLabel.setText(
                self.tr("Fill in the server address and the connection code first.")
            )
            return
        self.ui.problemLabel.clear()
        self.ui.resultLabel.setText(self.tr("Checking the connection…"))
        self.ok_button.setEnabled(False)
        ctx, campaign_id = self.ctx, self.campaign_id

        def work(_task: Any) -> connection.ConnectionCheck:
            return connection.connect(ctx, endpoint, code, campaign_id=campaign_id)

        self.runner.run_task(work, self._checked)

    def _checked(self, result: Any, error: BaseException | None) -> None:
        self.ok_button.setEnabled(True)
        if error is not None:
            self.ui.resultLabel.clear()
            if isinstance(error, connection.KeyringUnavailable):
                hint = connection.FALLBACK_HINT[0 if self.zh else 1]
                self.ui.problemLabel.setText(self._say(error) + "\n" + hint)
            elif isinstance(error, SyncError | QmError):
                self.ui.problemLabel.setText(self._say(error))
            else:
                self.ui.problemLabel.setText(str(error))
            return
        assert isinstance(result, connection.ConnectionCheck)
        self.checked = result
        self.show_result(result)

    def show_result(self, result: connection.ConnectionCheck) -> None:
        unit = result.office_unit
        district = str(unit.get("district", "") or "")
        campaign = self.ctx.campaigns.default()
        known = campaign.district(district) if district else None
        if known is not None:
            district = known.name_zh if self.zh else known.name_en
        lines = [
            self.tr("Connected. The office knows this unit as: %1 (district: %2).")
            .replace("%1", str(unit.get("name", "")))
            .replace("%2", district or "—"),
        ]
        warning = result.clock_warning
        if warning:
            lines.append("⚠ " + warning[0 if self.zh else 1])
        if result.mismatches:
            lines.append(self.tr("This computer's unit details differ from the office's:"))
            for name, mine, theirs in result.mismatches:
                lines.append(f"  {name}: {mine or '—'} → {theirs}")
            self.ui.takeOverCheck.show()
            self.ui.takeOverCheck.setChecked(True)
        self.ui.resultLabel.setText("\n".join(lines))
        self.ui.disconnectButton.show()
        self.ok_button.setText(self.tr("Done"))
        self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Cancel).hide()

    def forget_connection(self) -> None:
        old = connection.disconnect(self.ctx)
        self.checked = None
        self.ui.codeEdit.clear()
        self.ui.takeOverCheck.hide()
        self.ui.disconnectButton.hide()
        self.ok_button.setText(self.tr("Connect"))
        self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Cancel).show()
        self.ui.resultLabel.setText(
            self.tr("Disconnected from %1; the connection code was removed.").replace("%1", old)
        )

    def done(self, r: int) -> None:
        self.runner.close(5000)
        super().done(r)
