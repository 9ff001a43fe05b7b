"""After an import: one line per file that was not added, saying why."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QHeaderView, QTableWidgetItem, QWidget

from qmclient.services.drafts import AttachResult
from qmclient.ui.forms.ui_import_report import Ui_ImportReport


def problems(result: AttachResult, zh: bool) -> list[tuple[str, str]]:
    rows = [(e.path, e.message_zh if zh else e.message_en) for e in result.failed]
    rows += [(path, msg_zh if zh else msg_en) for path, msg_zh, msg_en in result.skipped]
    return rows


class ImportReportDialog(QDialog):
    def __init__(self, result: AttachResult, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_ImportReport()
        self.ui.setupUi(self)
        zh = language.startswith("zh")
        rows = problems(result, zh)
        parts = [self.tr("%n file(s) added.", "", len(result.added))]
        if result.failed:
            parts.append(self.tr("%n file(s) could not be added.", "", len(result.failed)))
        if result.skipped:
            parts.append(self.tr("%n file(s) skipped.", "", len(result.skipped)))
        if result.cancelled:
            parts.append(self.tr("The import was cancelled; the files not listed were not read."))
        self.ui.summaryLabel.setText(" ".join(parts))
        table = self.ui.problemsTable
        table.setRowCount(len(rows))
        for r, (path, message) in enumerate(rows):
            item = QTableWidgetItem(path.rsplit("/", 1)[-1] or path)
            item.setToolTip(path)
            table.setItem(r, 0, item)
            table.setItem(r, 1, QTableWidgetItem(message))
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        table.resizeRowsToContents()
        self.ui.buttonBox.rejected.connect(self.reject)
        self.ui.buttonBox.accepted.connect(self.accept)
