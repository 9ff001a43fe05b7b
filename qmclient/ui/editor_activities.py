"""The activities tab of the report editor: the table, and adding, editing, removing (with
undo) and reordering activities.

A part of :class:`~qmclient.ui.editor.Editor` (its methods run on the editor).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMessageBox

from qmclient.ui.activity_model import ActivityModel
from qmclient.ui.icons import icon
from qmclient.ui.parts import Part

if TYPE_CHECKING:
    from qmclient.ui.editor import Editor

TAB_OVERVIEW, TAB_ACTIVITIES, TAB_MEDIA = range(3)  # the editor's tabs, in the form's order


class EditorActivities(Part):
    def _setup_activities(self: Editor) -> None:
        ui = self.ui
        view = ui.activitiesView
        view.setModel(self.activities)
        view.verticalHeader().hide()
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ActivityModel.NAME, QHeaderView.ResizeMode.Stretch)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.doubleClicked.connect(lambda idx: self.edit_activity(idx.row()))
        view.activated.connect(lambda idx: self.edit_activity(idx.row()))
        ui.addActivityButton.clicked.connect(self.add_activity)
        ui.editActivityButton.clicked.connect(lambda: self.edit_activity())
        ui.removeActivityButton.clicked.connect(self.remove_selected_activity)
        ui.activityUpButton.clicked.connect(lambda: self.move_activity(-1))
        ui.activityDownButton.clicked.connect(lambda: self.move_activity(+1))
        ui.addActivityButton.setIcon(icon("add-activity"))

    # ------------------------------------------------------------------ activities
    def selected_activity_row(self: Editor) -> int:
        rows = self.ui.activitiesView.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def add_activity(self: Editor) -> str | None:
        if self.submission_id is None or self.campaign is None or self.ctx is None:
            return None
        self.flush()
        from qmclient.ui.activity_dialog import ActivityDialog

        dialog = ActivityDialog(self.campaign, self.language, parent=self)
        if dialog.exec() != ActivityDialog.DialogCode.Accepted:
            return None
        return self.save_new_activity(dialog.values())

    def save_new_activity(self: Editor, values: dict[str, Any]) -> str | None:
        if self.submission_id is None or self.ctx is None:
            return None
        from qmclient.services import drafts

        try:
            activity_id = drafts.add_activity(self.ctx, self.submission_id, values)
        except drafts.FieldError as exc:
            QMessageBox.warning(self, self.tr("Activity not saved"), str(exc))
            return None
        self.ui.tabs.setCurrentIndex(TAB_ACTIVITIES)  # the list shows it already
        self.ui.activitiesView.selectRow(self.activities.row_of(activity_id))
        return activity_id

    def edit_activity(self: Editor, row: int = -1, focus_field: str = "") -> None:
        if self.report is None or self.campaign is None or self.ctx is None:
            return
        row = row if row >= 0 else self.selected_activity_row()
        if not 0 <= row < len(self.activities.activities):
            return
        activity = self.activities.activities[row]
        from qmclient.ui.activity_dialog import ActivityDialog

        dialog = ActivityDialog(
            self.campaign, self.language, activity, focus_field=focus_field, parent=self
        )
        if dialog.exec() != ActivityDialog.DialogCode.Accepted:
            return
        from qmclient.services import drafts

        try:
            drafts.update_activity(self.ctx, activity.id, dialog.values())
        except drafts.FieldError as exc:
            QMessageBox.warning(self, self.tr("Activity not saved"), str(exc))

    def remove_selected_activity(self: Editor) -> None:
        row = self.selected_activity_row()
        if self.submission_id is None or self.ctx is None or row < 0:
            return
        from qmclient.ui.undo_commands import RemoveActivityCommand

        activity = self.activities.activities[row]
        self.undo.push(
            RemoveActivityCommand(self.ctx, self.submission_id, activity, row, self.changes.holding)
        )
        self.message.emit(self.tr("Activity removed. Undo with Ctrl+Z."))

    def move_activity(self: Editor, step: int) -> None:
        row = self.selected_activity_row()
        if row < 0 or self.ctx is None:
            return
        from qmclient.services import drafts

        new = row + step
        if not 0 <= new < len(self.activities.activities):
            return
        drafts.move_activity(self.ctx, self.activities.activities[row].id, new)
        self.ui.activitiesView.selectRow(new)
