"""The findings of the shared validation engine, grouped by severity; a click jumps there."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtGui import QBrush, QColor, QResizeEvent
from PySide6.QtWidgets import QListWidgetItem, QSizePolicy, QWidget

from qmclient.ui.forms.ui_validation_panel import Ui_ValidationPanel
from qmclient.ui.icons import icon

if TYPE_CHECKING:  # the engine loads with the store, after the first paint
    from qmclient.core.validation import Finding

FINDING_ROLE = Qt.ItemDataRole.UserRole + 1


class ValidationPanel(QWidget):
    findingClicked = Signal(object)  # Finding
    findingActivated = Signal(object)  # Finding (double-click / Enter)

    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_ValidationPanel()
        self.ui.setupUi(self)
        self.zh = language.startswith("zh")
        self.findings: list[Finding] = []
        view = self.ui.findingsList
        view.itemClicked.connect(lambda item: self._emit(item, self.findingClicked))
        view.itemActivated.connect(lambda item: self._emit(item, self.findingActivated))
        label = self.ui.summaryLabel
        # The note above the list wraps; a dock's layout does not ask a wrapped label for
        # its height at the dock's width, so a narrow panel (the English words are longer)
        # gave it too few lines and cut its first one.  Its minimum height follows its width.
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.show_findings(None)

    def _fit_note(self) -> None:
        label = self.ui.summaryLabel
        width = label.width() if label.width() > 1 else label.sizeHint().width()
        old = label.minimumHeight()
        label.setMinimumHeight(0)  # QLabel's heightForWidth never answers below it
        needed = max(label.heightForWidth(width), 0)
        label.setMinimumHeight(needed)
        if needed != old:
            label.updateGeometry()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_note()

    def _note(self, text: str) -> None:
        self.ui.summaryLabel.setText(text)
        self._fit_note()

    def _emit(self, item: QListWidgetItem, signal: SignalInstance) -> None:
        finding = item.data(FINDING_ROLE)
        if finding is not None:  # the group headings carry none
            signal.emit(finding)

    def show_note(self, text: str) -> None:
        """No findings, only ``text`` (while the reports are still opening)."""
        self.ui.findingsList.clear()
        self.findings = []
        self._note(text)

    def show_findings(self, findings: list[Finding] | None) -> None:
        view = self.ui.findingsList
        view.clear()
        self.findings = list(findings or [])
        if findings is None:
            self._note(self.tr("Select a report to see what is missing."))
            return
        errors = [f for f in self.findings if f.severity == "error"]
        warnings = [f for f in self.findings if f.severity != "error"]
        if not self.findings:
            self._note(self.tr("Nothing is missing: the report is complete."))
        elif errors:
            self._note(
                self.tr(
                    "%n problem(s) must be fixed before the report can be handed in.",
                    "",
                    len(errors),
                )
            )
        else:
            self._note(
                self.tr("The report can be handed in; %n suggestion(s) below.", "", len(warnings))
            )
        groups = [
            (errors, self.tr("Must be fixed (%1)"), "error", "#c62828"),
            (warnings, self.tr("Suggestions (%1)"), "warning", "#ef6c00"),
        ]
        for items, title, icon_name, colour in groups:
            if not items:
                continue
            head = QListWidgetItem(icon(icon_name), title.replace("%1", str(len(items))))
            head.setForeground(QBrush(QColor(colour)))
            font = head.font()
            font.setBold(True)
            head.setFont(font)
            head.setFlags(Qt.ItemFlag.ItemIsEnabled)
            view.addItem(head)
            for f in items:
                text = f.message_zh if self.zh else f.message_en
                item = QListWidgetItem("    • " + text)
                item.setData(FINDING_ROLE, f)
                item.setToolTip(f"{text}\n[{f.code}]")
                view.addItem(item)

    def item_for(self, code: str) -> QListWidgetItem | None:
        view = self.ui.findingsList
        for i in range(view.count()):
            item = view.item(i)
            finding = item.data(FINDING_ROLE)
            if finding is not None and finding.code == code:
                return item
        return None
