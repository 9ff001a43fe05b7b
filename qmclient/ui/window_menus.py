"""The main window's menus: the actions table (icons, shortcuts, what each action does)
and the small commands behind it (find, unit profile, settings, logs, about).

A part of :class:`~qmclient.ui.main_window.MainWindow` (its methods run on the window).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtGui import (
    QAction,
    QDesktopServices,
    QKeySequence,
)
from PySide6.QtWidgets import QMessageBox

from qmclient import __version__
from qmclient.ui.icons import icon
from qmclient.ui.parts import Part

if TYPE_CHECKING:
    from qmclient.ui.main_window import MainWindow

log = logging.getLogger(__name__)


class WindowMenus(Part):
    def _store_actions(self: MainWindow) -> list[QAction]:
        """The actions that need the store (all but Quit and Find)."""
        keep = (self.ui.actionQuit, self.ui.actionFind)
        return [
            a
            for name, a in vars(self.ui).items()
            if name.startswith("action") and isinstance(a, QAction) and a not in keep
        ]

    def _setup_actions(self: MainWindow) -> None:
        ui = self.ui
        icons = {
            ui.actionNewReport: "new",
            ui.actionAddMedia: "add-media",
            ui.actionAddActivity: "add-activity",
            ui.actionValidate: "validate",
            ui.actionDeleteReport: "delete",
            ui.actionSettings: "settings",
            ui.actionQuit: "quit",
            ui.actionFind: "find",
        }
        for action, name in icons.items():
            action.setIcon(icon(name))
        self.setWindowIcon(icon("qmclient"))
        font = ui.emptyTitle.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        ui.emptyTitle.setFont(font)
        undo = self.undo.createUndoAction(self, self.tr("&Undo"))
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo.createRedoAction(self, self.tr("&Redo"))
        redo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Redo), QKeySequence("Ctrl+Y")])
        first = ui.menuEdit.actions()[0]
        ui.menuEdit.insertActions(first, [undo, redo])
        ui.menuEdit.insertSeparator(first)
        self.undo_action, self.redo_action = undo, redo

        ui.actionNewReport.triggered.connect(self.new_report)
        ui.emptyNewButton.clicked.connect(self.new_report)
        ui.actionAddMedia.triggered.connect(self.add_media_dialog)
        ui.actionAddFolder.triggered.connect(self.add_folder_dialog)
        ui.actionDeleteReport.triggered.connect(self.delete_report)
        ui.actionSettings.triggered.connect(self.open_settings)
        ui.actionQuit.triggered.connect(self.close)
        ui.actionFind.triggered.connect(self._find)
        ui.actionEditProfile.triggered.connect(self.edit_profile)
        ui.actionValidate.triggered.connect(lambda: self.validate_now(show=True))
        ui.actionOpenLogs.triggered.connect(self.open_logs)
        ui.actionAbout.triggered.connect(self.about)
        ui.menuView.addAction(ui.validationDock.toggleViewAction())
        ui.menuView.addAction(ui.mainToolBar.toggleViewAction())

    def _connect_editor_actions(self: MainWindow) -> None:
        ui = self.ui
        ui.actionDeleteSelected.triggered.connect(self.editor.remove_selected)
        ui.actionAddActivity.triggered.connect(self.editor.add_activity)
        ui.actionEditActivity.triggered.connect(lambda: self.editor.edit_activity())

    def _find(self: MainWindow) -> None:
        self.ui.filterEdit.setFocus()
        self.ui.filterEdit.selectAll()

    def edit_profile(self: MainWindow, *, first_start: bool = False) -> bool:
        from qmclient.services import drafts
        from qmclient.ui.profile_dialog import ProfileDialog

        campaign = self.editor.campaign or self.store_ctx.campaigns.default()
        dialog = ProfileDialog(
            campaign,
            drafts.get_profile(self.store_ctx),
            self.language,
            first_start=first_start,
            parent=self,
        )
        self._profile_dialog = dialog
        if dialog.exec() != ProfileDialog.DialogCode.Accepted:
            return False
        drafts.save_profile(self.store_ctx, dialog.unit())
        self.statusBar().showMessage(self.tr("Your unit profile was saved."), 5000)
        return True

    def open_settings(self: MainWindow) -> None:
        from qmclient.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, self)
        dialog.profileRequested.connect(lambda: self.edit_profile())
        self._settings_dialog = dialog
        dialog.exec()

    def open_logs(self: MainWindow) -> None:
        self.store_ctx.logs_dir.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.store_ctx.logs_dir)))

    def about(self: MainWindow) -> None:
        QMessageBox.about(
            self,
            self.tr("About qmclient"),
            self.tr(
                "qmclient %1\n\nDraft, check and hand in Quality Month activity summaries, "
                "offline first.\n\nData folder: %2"
            )
            .replace("%1", __version__)
            .replace("%2", str(self.store_ctx.data_dir)),
        )
