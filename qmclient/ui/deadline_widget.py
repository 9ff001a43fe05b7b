"""The status bar's deadline: days left, due today or overdue (campaign time zone), and a
warning when the computer's clock looks wrong."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from qmclient.core.campaign import Campaign
from qmclient.core.deadline import clock_problem, deadline_status


class DeadlineWidget(QWidget):
    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.zh = language.startswith("zh")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        self.clock_label = QLabel(self)
        self.clock_label.setStyleSheet("color: #c62828;")
        self.clock_label.hide()
        self.label = QLabel(self)
        layout.addWidget(self.clock_label)
        layout.addWidget(self.label)
        self.campaign: Campaign | None = None

    def update_status(
        self,
        campaign: Campaign | None,
        now: dt.datetime | None = None,
        computer_now: dt.datetime | None = None,
    ) -> None:
        """Show the deadline as of ``now``; warn if ``computer_now`` (the computer's own
        clock, by default) looks wrong."""
        self.campaign = campaign
        now = now or dt.datetime.now(dt.UTC)
        problem = clock_problem(computer_now or dt.datetime.now().astimezone())
        if problem:
            self.clock_label.setText(
                self.tr("⚠ The computer's clock looks wrong; check the date and time.")
            )
            self.clock_label.setToolTip(problem)
            self.clock_label.show()
        else:
            self.clock_label.hide()
        if campaign is None:
            self.label.clear()
            return
        status = deadline_status(campaign, now)
        text = status.text_zh() if self.zh else status.text_en()
        name = campaign.title if self.zh else campaign.title_en
        if status.state == "open" and status.days > 7:
            colour = "#1565c0"
        elif status.state == "open":
            colour = "#ef6c00"
        else:
            colour = "#c62828"
        self.label.setText(f"{name} · <b style='color:{colour}'>{text}</b>")
        self.label.setToolTip(
            self.tr("Deadline: %1 (%2)")
            .replace("%1", f"{status.due:%Y-%m-%d %H:%M}")
            .replace("%2", campaign.timezone)
        )
