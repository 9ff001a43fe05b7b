"""The editor of one submission: unit, title, summary, activities, photos and videos.

Text is autosaved: each change restarts a 500 ms timer, and leaving a field, switching
report or closing the window saves at once, so at most about a second of typing is ever
at risk.  A failed save keeps the pending change and tries again.
"""

from __future__ import annotations

import logging
import os
import shutil
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QImage, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QListView,
    QMenu,
    QMessageBox,
    QWidget,
)

from qmclient.core import lifecycle
from qmclient.core.campaign import Campaign
from qmclient.core.report import Report
from qmclient.services import drafts, export_record
from qmclient.services.context import AppContext
from qmclient.store.database import StoreError
from qmclient.ui.activity_model import ActivityModel
from qmclient.ui.forms.ui_editor import Ui_Editor
from qmclient.ui.icons import icon
from qmclient.ui.media_model import ICON_SIZE, SHA_ROLE, MediaDelegate, MediaModel
from qmclient.ui.tasks import Task, TaskRunner
from qmclient.ui.thumbnail_loader import ThumbnailLoader
from qmclient.ui.undo_commands import RemoveActivityCommand, RemoveMediaCommand
from qmclient.ui.unit_fields import LINE_FIELDS, fill_choices, set_unit

log = logging.getLogger(__name__)
AUTOSAVE_MS = 500
TAB_OVERVIEW, TAB_ACTIVITIES, TAB_MEDIA = range(3)


class Editor(QWidget):
    saved = Signal()  # something was written to the store
    importRequested = Signal(list)  # [Path]: files to add to this report
    addFilesRequested = Signal()  # "Add…" pressed: the window asks for files
    message = Signal(str)  # a line for the status bar

    def __init__(
        self,
        ctx: AppContext,
        language: str,
        thumbnails: ThumbnailLoader,
        undo: QUndoStack,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_Editor()
        self.ui.setupUi(self)
        self.ctx = ctx
        self.language = language
        self.zh = language.startswith("zh")
        self.undo = undo
        self._undo_index = undo.index()
        undo.indexChanged.connect(self._undo_moved)  # "Undo with Ctrl+Z" is then stale
        self.submission_id: int | None = None
        self.report: Report | None = None
        self.campaign: Campaign | None = None
        self.status = ""
        self.pending: dict[str, str] = {}
        self.save_error: str = ""
        self.reader = TaskRunner(self, max_threads=1)  # reads off the GUI thread
        self._reading = False
        self._read_again = False

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self.flush)

        self.activities = ActivityModel(language, self)
        self.media = MediaModel(self)
        self.thumbnails = thumbnails
        thumbnails.ready.connect(self._thumbnail_ready)
        thumbnails.failed.connect(self.media.set_broken)
        self.media.thumbnailWanted.connect(thumbnails.request)
        self.media.captionEdited.connect(self._caption_edited)
        self.media.orderChanged.connect(self._order_changed)
        self.media.filesDropped.connect(self.importRequested)

        self._setup_fields()
        self._setup_activities()
        self._setup_media()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    # ------------------------------------------------------------------ set-up
    def _field_widgets(self) -> dict[str, Any]:
        ui = self.ui
        out: dict[str, Any] = {"title": ui.titleEdit, "summary": ui.summaryEdit}
        out.update({f"unit.{k}": getattr(ui, v) for k, v in LINE_FIELDS.items()})
        out["unit.kind"] = ui.kindCombo
        out["unit.district"] = ui.districtCombo
        return out

    def _setup_fields(self) -> None:
        ui = self.ui
        font = ui.titleEdit.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        ui.titleEdit.setFont(font)
        ui.titleEdit.textEdited.connect(lambda t: self._changed("title", t))
        ui.summaryEdit.textChanged.connect(
            lambda: self._changed("summary", ui.summaryEdit.toPlainText())
        )
        ui.summaryEdit.textChanged.connect(self._count_summary)
        for field, name in LINE_FIELDS.items():
            getattr(ui, name).textEdited.connect(
                lambda text, key=f"unit.{field}": self._changed(key, text)
            )
        ui.kindCombo.currentIndexChanged.connect(
            lambda _i: self._changed("unit.kind", str(ui.kindCombo.currentData() or ""), now=True)
        )
        ui.districtCombo.currentIndexChanged.connect(
            lambda _i: self._changed(
                "unit.district", str(ui.districtCombo.currentData() or ""), now=True
            )
        )
        ui.creditCodeEdit.setPlaceholderText(self.tr("18 characters"))
        # wide enough for an 18-character credit code or a unit's name; where the panel is
        # narrower (long English labels) the form puts the label above its field
        wide = ui.creditCodeEdit.fontMetrics().horizontalAdvance("91350100M000100Y43") + 24
        for widget in (ui.kindCombo, ui.districtCombo, *self._field_widgets().values()):
            if widget not in (ui.titleEdit, ui.summaryEdit):
                widget.setMinimumWidth(wide)
        ui.useProfileButton.clicked.connect(self.fill_from_profile)
        ui.summaryEdit.setTabChangesFocus(True)
        from qmclient.ui.media_model import FileDropCatcher

        self.drop_catcher = FileDropCatcher(self)  # a dropped file is added, not typed in
        self.drop_catcher.watch(ui.summaryEdit, ui.summaryEdit.viewport(), ui.titleEdit)
        self.drop_catcher.dropped.connect(self.importRequested)

    def _setup_activities(self) -> None:
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

    def _setup_media(self) -> None:
        ui = self.ui
        view: QListView = ui.mediaView
        view.setModel(self.media)
        self.media_delegate = MediaDelegate(view)
        view.setItemDelegate(self.media_delegate)
        view.setUniformItemSizes(True)
        view.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
        view.setGridSize(QSize(ICON_SIZE + 28, ICON_SIZE + 64))
        view.setMovement(QListView.Movement.Static)
        view.setDragEnabled(True)
        view.setAcceptDrops(True)
        view.viewport().setAcceptDrops(True)
        view.setDropIndicatorShown(True)
        view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        view.setDefaultDropAction(Qt.DropAction.MoveAction)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        view.doubleClicked.connect(lambda idx: self.open_media(idx.row()))
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._media_menu)
        ui.addMediaButton.clicked.connect(self.addFilesRequested)
        ui.addMediaButton.setIcon(icon("add-media"))
        ui.openMediaButton.clicked.connect(lambda: self.open_media())
        ui.removeMediaButton.clicked.connect(self.remove_selected_media)
        ui.mediaLeftButton.clicked.connect(lambda: self.move_media(-1))
        ui.mediaRightButton.clicked.connect(lambda: self.move_media(+1))
        for key, step in (("Alt+Left", -1), ("Alt+Right", +1)):
            action = QAction(self)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _c=False, s=step: self.move_media(s))
            view.addAction(action)

    # ------------------------------------------------------------------ loading
    def load(self, submission_id: int | None) -> None:
        """Show ``submission_id`` (saving what is pending for the one shown before)."""
        self.flush()
        self.submission_id = submission_id
        self.pending.clear()
        if submission_id is None:
            self.report = None
            return
        self.report = drafts.load_report(self.ctx, submission_id)
        self.status = drafts.status_of(self.ctx, submission_id)
        try:
            self.campaign = self.ctx.campaigns.get(self.report.campaign_id)
        except LookupError:
            self.campaign = self.ctx.campaigns.default()
        fill_choices(self.ui, self.campaign, self.zh, self.tr("(none)"))
        r = self.report
        widgets = self._field_widgets()
        for w in widgets.values():
            w.blockSignals(True)
        self.ui.titleEdit.setText(r.title)
        self.ui.summaryEdit.setPlainText(r.summary)
        for w in widgets.values():
            w.blockSignals(False)
        set_unit(self.ui, r.unit)
        self._count_summary()
        self._fill_lists()
        self._show_status()

    def reload(self) -> None:
        """Re-read activities and media (after an import or undo); keeps text and selection."""
        if self.submission_id is None:
            return
        selected = self.selected_media()
        self.report = drafts.load_report(self.ctx, self.submission_id)
        self.status = drafts.status_of(self.ctx, self.submission_id)
        self._fill_lists()
        self._select_media(selected)
        self._show_status()
        self.saved.emit()

    def reload_later(self) -> None:
        """Like :meth:`reload`, but the store is read on a worker thread (during imports:
        the GUI thread only fills the models).  Requests made meanwhile are merged."""
        if self.submission_id is None:
            return
        if self._reading:
            self._read_again = True
            return
        self._reading = True
        submission_id, ctx = self.submission_id, self.ctx

        def read(_task: Task) -> tuple[Report, str]:
            return drafts.load_report(ctx, submission_id), drafts.status_of(ctx, submission_id)

        def apply(result: tuple[Report, str] | None, error: BaseException | None) -> None:
            self._reading = False
            if result is not None and submission_id == self.submission_id:
                selected = self.selected_media()
                self.report, self.status = result
                self._fill_lists()
                self._select_media(selected)
                self._show_status()
                self.saved.emit()
            elif error is not None:
                log.warning("reading the report failed: %r", error)
            if self._read_again:
                self._read_again = False
                self.reload_later()

        self.reader.run_task(read, apply)

    def _fill_lists(self) -> None:
        r = self.report
        if r is None:
            return
        current = self.selected_activity_row()
        self.activities.set_data(r.activities, r.media, self.campaign)
        if 0 <= current < len(r.activities):
            self.ui.activitiesView.selectRow(current)
        names = {a.id: a.name or self.tr("(no name)") for a in r.activities}
        self.media.set_items(r.media, names)
        tabs = self.ui.tabs
        tabs.setTabText(
            TAB_ACTIVITIES, self.tr("Activities (%1)").replace("%1", str(len(r.activities)))
        )
        tabs.setTabText(
            TAB_MEDIA, self.tr("Photos and videos (%1)").replace("%1", str(len(r.media)))
        )

    def _show_status(self) -> None:
        if self.report is None or self.campaign is None:
            return
        note = export_record.latest(self.ctx, self.submission_id) if self.submission_id else None
        zh, en = lifecycle.status_words(self.status, note, self.report.revision)
        parts = [
            self.tr("Status: %1").replace("%1", zh if self.zh else en),
            self.tr("revision %1").replace("%1", str(self.report.revision)),
            self.campaign.title if self.zh else self.campaign.title_en,
        ]
        text = " · ".join(parts)
        if lifecycle.is_frozen(self.status):
            text += "  " + self.tr("(handed in: a change starts revision %1)").replace(
                "%1", str(self.report.revision + 1)
            )
        elif note is not None and note.revision == self.report.revision:
            text += "  " + self.tr("(exported: a change starts revision %1)").replace(
                "%1", str(self.report.revision + 1)
            )
        if self.save_error:
            text += "  ⚠ " + self.save_error
        self.ui.statusLabel.setText(text)

    def _count_summary(self) -> None:
        n = len(self.ui.summaryEdit.toPlainText().strip())
        self.ui.summaryCountLabel.setText(self.tr("%n character(s)", "", n))

    # ------------------------------------------------------------------ autosave
    def _changed(self, key: str, value: str, *, now: bool = False) -> None:
        if self.submission_id is None:
            return
        self.pending[key] = value
        if now:
            self.flush()
        else:
            self._timer.start()

    def _focus_changed(self, old: QWidget | None, _new: QWidget | None) -> None:
        if self.pending and old is not None and old in self._field_widgets().values():
            self.flush()

    def flush(self) -> bool:
        """Write pending text changes now; ``False`` if they could not be saved (kept)."""
        self._timer.stop()
        if not self.pending or self.submission_id is None:
            return True
        changes = dict(self.pending)
        try:
            drafts.update_fields(self.ctx, self.submission_id, changes)
        except (StoreError, OSError, Exception) as exc:  # kept and retried, never dropped
            log.exception("autosave failed")
            self.save_error = self.tr("Not saved yet: %1").replace("%1", str(exc))
            self._show_status()
            self._timer.start(2000)
            return False
        for key, value in changes.items():
            if self.pending.get(key) == value:
                del self.pending[key]
        if self.save_error:
            self.save_error = ""
        if self.report is not None:
            self.report.title = changes.get("title", self.report.title)
        self.status = drafts.status_of(self.ctx, self.submission_id)
        self.report = drafts.load_report(self.ctx, self.submission_id)
        self._show_status()
        self.saved.emit()
        return True

    def fill_from_profile(self) -> None:
        unit = drafts.get_profile(self.ctx)
        if unit is None or self.submission_id is None:
            self.message.emit(self.tr("No unit profile yet: set it in Edit ▸ My unit profile."))
            return
        set_unit(self.ui, unit)
        for field in (
            "name",
            "kind",
            "district",
            "credit_code",
            "contact_person",
            "phone",
            "email",
        ):
            self.pending[f"unit.{field}"] = getattr(unit, field)
        self.flush()

    # ------------------------------------------------------------------ activities
    def selected_activity_row(self) -> int:
        rows = self.ui.activitiesView.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def add_activity(self) -> str | None:
        if self.submission_id is None or self.campaign is None:
            return None
        self.flush()
        from qmclient.ui.activity_dialog import ActivityDialog

        dialog = ActivityDialog(self.campaign, self.language, parent=self)
        if dialog.exec() != ActivityDialog.DialogCode.Accepted:
            return None
        return self.save_new_activity(dialog.values())

    def save_new_activity(self, values: dict[str, Any]) -> str | None:
        if self.submission_id is None:
            return None
        try:
            activity_id = drafts.add_activity(self.ctx, self.submission_id, values)
        except drafts.FieldError as exc:
            QMessageBox.warning(self, self.tr("Activity not saved"), str(exc))
            return None
        self.ui.tabs.setCurrentIndex(TAB_ACTIVITIES)
        self.reload()
        self.ui.activitiesView.selectRow(self.activities.row_of(activity_id))
        return activity_id

    def edit_activity(self, row: int = -1, focus_field: str = "") -> None:
        if self.report is None or self.campaign is None:
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
        try:
            drafts.update_activity(self.ctx, activity.id, dialog.values())
        except drafts.FieldError as exc:
            QMessageBox.warning(self, self.tr("Activity not saved"), str(exc))
            return
        self.reload()

    def remove_selected_activity(self) -> None:
        row = self.selected_activity_row()
        if self.submission_id is None or row < 0:
            return
        activity = self.activities.activities[row]
        self.undo.push(
            RemoveActivityCommand(self.ctx, self.submission_id, activity, row, self.reload)
        )
        self.message.emit(self.tr("Activity removed. Undo with Ctrl+Z."))

    def move_activity(self, step: int) -> None:
        row = self.selected_activity_row()
        if row < 0:
            return
        new = row + step
        if not 0 <= new < len(self.activities.activities):
            return
        drafts.move_activity(self.ctx, self.activities.activities[row].id, new)
        self.reload()
        self.ui.activitiesView.selectRow(new)

    # ------------------------------------------------------------------ media
    def selected_media(self) -> list[str]:
        rows = sorted(i.row() for i in self.ui.mediaView.selectionModel().selectedIndexes())
        return [self.media.items[r].sha256 for r in rows if r < len(self.media.items)]

    def _select_media(self, shas: list[str]) -> None:
        selection = self.ui.mediaView.selectionModel()
        selection.clearSelection()
        for sha in shas:
            row = self.media.row_of(sha)
            if row >= 0:
                selection.select(self.media.index(row), QItemSelectionModel.SelectionFlag.Select)

    def _thumbnail_ready(self, sha: str, image: QImage) -> None:
        self.media.set_thumbnail(sha, image)

    def _caption_edited(self, sha: str, caption: str) -> None:
        if self.submission_id is not None:
            drafts.update_media(self.ctx, self.submission_id, sha, caption=caption)
            self.status = drafts.status_of(self.ctx, self.submission_id)
            self.report = drafts.load_report(self.ctx, self.submission_id)
            self._show_status()
            self.saved.emit()

    def _order_changed(self, shas: list[str]) -> None:
        if self.submission_id is not None:
            drafts.reorder_media(self.ctx, self.submission_id, shas)
            self.reload()

    def move_media(self, step: int) -> None:
        selected = self.selected_media()
        if not selected:
            return
        order = self.media.shas()
        rows = [order.index(s) for s in selected]
        target = min(rows) - 1 if step < 0 else max(rows) + 2
        if target < 0 or target > len(order):
            return
        self.media.move_to(selected, target)
        self._select_media(selected)

    def remove_selected_media(self) -> None:
        shas = self.selected_media()
        if self.submission_id is None or not shas:
            return
        text = self.tr("Remove %n photo(s) or video(s)", "", len(shas))
        self.undo.push(RemoveMediaCommand(self.ctx, self.submission_id, shas, self.reload, text))
        self.message.emit(self.tr("%n file(s) removed. Undo with Ctrl+Z.", "", len(shas)))

    def assign_media(self, shas: list[str], activity_id: str | None) -> None:
        if self.submission_id is None:
            return
        for sha in shas:
            drafts.update_media(self.ctx, self.submission_id, sha, activity_id=activity_id)
        self.reload()

    def openable_path(self, sha: str) -> Path:
        """The stored file under its original name (a hard link, so nothing is copied)."""
        row = self.media.row_of(sha)
        name = self.media.items[row].original_name if row >= 0 else sha
        stored = drafts.media_path(self.ctx, sha)
        dest = self.ctx.data_dir / "opened" / sha[:16] / (Path(name).name or sha)
        if not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(stored, dest)
            except OSError:
                try:
                    os.symlink(stored, dest)
                except OSError:
                    shutil.copyfile(stored, dest)
        return dest

    def open_media(self, row: int = -1) -> bool:
        shas = [self.media.items[row].sha256] if row >= 0 else self.selected_media()[:1]
        if not shas:
            return False
        try:
            path = self.openable_path(shas[0])
        except OSError as exc:
            QMessageBox.warning(self, self.tr("Cannot open the file"), str(exc))
            return False
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _media_menu(self, pos: Any) -> None:
        shas = self.selected_media()
        if not shas or self.report is None:
            return
        menu = QMenu(self)
        menu.addAction(self.tr("Open"), lambda: self.open_media())
        index = self.ui.mediaView.indexAt(pos)
        if index.isValid():
            menu.addAction(self.tr("Edit caption"), lambda: self.ui.mediaView.edit(index))
        assign = menu.addMenu(self.tr("Belongs to activity"))
        assign.addAction(self.tr("(none)"), lambda: self.assign_media(shas, None))
        for n, a in enumerate(self.report.activities, 1):
            label = f"{n}. {a.name or self.tr('(no name)')}"
            assign.addAction(label, partial(self.assign_media, shas, a.id))
        menu.addSeparator()
        menu.addAction(self.tr("Move earlier"), lambda: self.move_media(-1))
        menu.addAction(self.tr("Move later"), lambda: self.move_media(+1))
        menu.addSeparator()
        menu.addAction(self.tr("Remove"), self.remove_selected_media)
        menu.popup(self.ui.mediaView.viewport().mapToGlobal(pos))

    # ------------------------------------------------------------------ shared actions
    def remove_selected(self) -> None:
        """The Delete key: photos when the grid has focus, else the selected activity."""
        if self.ui.mediaView.hasFocus() or self.ui.tabs.currentIndex() == TAB_MEDIA:
            self.remove_selected_media()
        elif self.ui.tabs.currentIndex() == TAB_ACTIVITIES:
            self.remove_selected_activity()

    def _undo_moved(self, index: int) -> None:
        """Say what was undone or redone, replacing the "Undo with Ctrl+Z" hint."""
        if index < self._undo_index:
            command = self.undo.command(index)
            text = command.text() if command is not None else ""
            self.message.emit(self.tr("Undone: %1").replace("%1", text))
        elif index > self._undo_index:  # redone (after a push, the push's own message follows)
            command = self.undo.command(index - 1)
            text = command.text() if command is not None else ""
            self.message.emit(self.tr("Redone: %1").replace("%1", text))
        self._undo_index = index

    def focus_path(self, path: str, ref: str = "", *, open_editor: bool = False) -> bool:
        """Move the focus to the field a finding is about; ``True`` if one was found."""
        ui = self.ui
        widgets = self._field_widgets()
        if path in widgets:
            widget = widgets[path]
            if path != "title":
                ui.tabs.setCurrentIndex(TAB_OVERVIEW)
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        if path.startswith("activities"):
            ui.tabs.setCurrentIndex(TAB_ACTIVITIES)
            row = self.activities.row_of(ref) if ref else -1
            if row < 0 and path.startswith("activities["):
                row = int(path[len("activities[") : path.index("]")])
            if 0 <= row < len(self.activities.activities):
                ui.activitiesView.selectRow(row)
                ui.activitiesView.setFocus(Qt.FocusReason.OtherFocusReason)
                if open_editor:
                    field = path.split(".", 1)[1] if "." in path else ""
                    self.edit_activity(row, field)
            else:
                ui.addActivityButton.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        if path.startswith("media"):
            ui.tabs.setCurrentIndex(TAB_MEDIA)
            row = self.media.row_of(ref) if ref else -1
            view = ui.mediaView
            view.setFocus(Qt.FocusReason.OtherFocusReason)
            if row >= 0:
                index = self.media.index(row)
                view.setCurrentIndex(index)
                view.scrollTo(index)
                if path.endswith(".caption"):
                    view.edit(index)
            return True
        return False

    def media_index_of(self, sha: str) -> Any:
        return self.media.index(self.media.row_of(sha))

    def sha_at(self, row: int) -> str:
        return str(self.media.data(self.media.index(row), SHA_ROLE))
