"""The main window's layout kept between starts (geometry, docks, splitter) and its status
bar's deadline.

A part of :class:`~qmclient.ui.main_window.MainWindow` (its methods run on the window).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer

from qmclient.core.campaign import Campaign
from qmclient.ui.deadline_widget import DeadlineWidget
from qmclient.ui.parts import Part

if TYPE_CHECKING:
    from qmclient.ui.main_window import MainWindow


class WindowLayout(Part):
    def _setup_status_bar(self: MainWindow) -> None:
        self.deadline = DeadlineWidget(self.language, self)
        self.statusBar().addPermanentWidget(self.deadline)

    def showEvent(self: MainWindow, event: Any) -> None:
        super().showEvent(event)
        if not self._sized:
            self._sized = True
            if self.settings.window_state("splitter") is None:
                QTimer.singleShot(0, self._first_split)

    def _first_split(self: MainWindow) -> None:
        """On first start, give the report list about two fifths of the room."""
        total = sum(self.ui.splitter.sizes())
        if total > 0:
            self.ui.splitter.setSizes([int(total * 0.38), total - int(total * 0.38)])

    def _restore_layout(self: MainWindow) -> None:
        geometry = self.settings.window_state("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = self.settings.window_state("state")
        if state is not None:
            self.restoreState(state)
        splitter = self.settings.window_state("splitter")
        if splitter is not None:
            self.ui.splitter.restoreState(splitter)

    def _update_deadline(self: MainWindow) -> None:
        if self.ctx is None:
            self.deadline.update_status(self._glance_campaign(), self.clock())
            return
        campaign: Campaign | None = self.editor.campaign if self.editor.report else None
        if campaign is None:
            try:
                campaign = self.ctx.campaigns.default()
            except LookupError:
                campaign = None
        self.deadline.update_status(campaign, self.clock())

    def _glance_campaign(self: MainWindow) -> Campaign | None:
        """Before the store is loaded: the campaign of the report picked in the list."""
        glance = self._glance
        if glance is None:
            return None
        if self.editor is not None and self.editor.report is not None:
            shown: Campaign | None = self.editor.campaign  # before the store was attached
            return shown
        row = next((r for r in glance.rows if r.id == self._chosen), None)
        try:
            return glance.campaign(row.campaign_id) if row else glance.default_campaign()
        except LookupError:
            return glance.default_campaign()

    def _save_layout(self: MainWindow) -> None:
        self.settings.set_window_state("geometry", self.saveGeometry())
        self.settings.set_window_state("state", self.saveState())
        self.settings.set_window_state("splitter", self.ui.splitter.saveState())
        self.settings.sync()
