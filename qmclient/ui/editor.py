"""The editor of one submission: unit, title, summary, activities, photos and videos.

Text is autosaved (:mod:`qmclient.ui.autosave`): each change restarts a 500 ms timer and
is then written off the GUI thread, and leaving a field, switching report or closing the
window saves at once, so at most about a second of typing is ever at risk.  A failed save
keeps the pending change and tries again.

What the editor shows follows the store: it listens to the window's
:class:`~qmclient.ui.changes.StoreChanges` and re-reads the report when its activities,
media or status changed — whoever changed them (this editor, an import, undo, sending).
"""

from __future__ import annotations

import dataclasses
import logging
import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QWidget,
)

from qmclient.core import lifecycle
from qmclient.core.campaign import Campaign
from qmclient.core.lifecycle import ExportNote
from qmclient.core.report import Report
from qmclient.ui.activity_model import ActivityModel
from qmclient.ui.autosave import AUTOSAVE_MS as AUTOSAVE_MS
from qmclient.ui.autosave import Autosave
from qmclient.ui.changes import REPORT_CONTENT_TABLES, SUBMISSION_TABLES, Changes, StoreChanges
from qmclient.ui.editor_activities import (
    TAB_ACTIVITIES,
    TAB_MEDIA,
    TAB_OVERVIEW,
    EditorActivities,
)
from qmclient.ui.editor_media import EditorMedia
from qmclient.ui.forms.ui_editor import Ui_Editor
from qmclient.ui.media_model import MediaModel
from qmclient.ui.tasks import Task, TaskRunner
from qmclient.ui.unit_fields import LINE_FIELDS, fill_choices, set_unit

if TYPE_CHECKING:  # loaded with the store: the editor opens before it (see attach)
    from qmclient.services.context import AppContext
    from qmclient.store.glance import Glance
    from qmclient.ui.thumbnail_loader import ThumbnailLoader

log = logging.getLogger(__name__)
REFRESH_MS = 1000  # how often background work (an import) refreshes the lists


class Editor(EditorActivities, EditorMedia, QWidget):
    saved = Signal()  # something was written to the store
    importRequested = Signal(list)  # [Path]: files to add to this report
    addFilesRequested = Signal()  # "Add…" pressed: the window asks for files
    message = Signal(str)  # a line for the status bar

    def __init__(
        self,
        ctx: AppContext | None,
        language: str,
        thumbnails: ThumbnailLoader | None,
        undo: QUndoStack,
        parent: QWidget | None = None,
        *,
        writer: TaskRunner,
        changes: StoreChanges | None,
        glance: Glance | None = None,
    ) -> None:
        """Without ``ctx`` the editor shows reports read through ``glance`` (plain sqlite3)
        and keeps what is typed until :meth:`attach` brings the store; the commands that
        write at once (activities, files, the profile) wait for it."""
        super().__init__(parent)
        self.ui = Ui_Editor()
        self.ui.setupUi(self)
        self.ctx = ctx
        self.glance = glance
        self.language = language
        self.zh = language.startswith("zh")
        self.undo = undo
        self._undo_index = undo.index()
        undo.indexChanged.connect(self._undo_moved)  # "Undo with Ctrl+Z" is then stale
        self.submission_id: int | None = None
        self.report: Report | None = None
        self.campaign: Campaign | None = None
        self.status = ""
        self.note: ExportNote | None = None  # the latest export, shown beside the status
        self.changes: StoreChanges = changes  # type: ignore[assignment]  # set by attach
        self.autosave = Autosave(ctx, writer, self)
        self.autosave.failed.connect(lambda _why: self._show_status())
        self.reader = TaskRunner(self, max_threads=1)  # reads off the GUI thread
        self._reading = False
        self._read_again: bool | None = None  # None: no request; True/False: with lists
        self._last_read = 0.0
        self._read_timer = QTimer(self)  # background work's changes: at most every second
        self._read_timer.setSingleShot(True)
        self._read_timer.timeout.connect(self._read_waiting)

        self.activities = ActivityModel(language, self)
        self.media = MediaModel(self)
        self.thumbnails: ThumbnailLoader | None = None
        if thumbnails is not None:
            self.set_thumbnails(thumbnails)
        self.media.captionEdited.connect(self._caption_edited)
        self.media.orderChanged.connect(self._order_changed)
        self.media.filesDropped.connect(self.importRequested)

        self._setup_fields()
        self._setup_activities()
        self._setup_media()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
        if ctx is not None and changes is not None:
            changes.changed.connect(self.store_changed)
        else:
            self._store_widgets(False)

    def set_thumbnails(self, thumbnails: ThumbnailLoader) -> None:
        """Where the photos' thumbnails come from (loaded with the store)."""
        self.thumbnails = thumbnails
        thumbnails.ready.connect(self._thumbnail_ready)
        thumbnails.failed.connect(self.media.set_broken)
        self.media.thumbnailWanted.connect(thumbnails.request)

    def attach(self, ctx: AppContext, changes: StoreChanges) -> None:
        """The store is open: read the shown report from it, write what was typed before,
        and let the commands that write at once work."""
        self.ctx, self.glance, self.changes = ctx, None, changes
        changes.changed.connect(self.store_changed)
        self.autosave.attach(ctx)
        self._store_widgets(True)
        if self.report is None and self.submission_id is not None:
            self.load(self.submission_id)  # could not be read before: the typed text is kept
        else:
            self.reload()  # the text typed meanwhile stays; status and lists from the store

    def _store_widgets(self, enabled: bool) -> None:
        """The buttons and edits that write at once, usable only with the store."""
        ui = self.ui
        for widget in (
            ui.useProfileButton,
            ui.addActivityButton,
            ui.editActivityButton,
            ui.removeActivityButton,
            ui.activityUpButton,
            ui.activityDownButton,
            ui.addMediaButton,
            ui.openMediaButton,
            ui.removeMediaButton,
            ui.mediaLeftButton,
            ui.mediaRightButton,
        ):
            widget.setEnabled(enabled)
        view = ui.mediaView
        view.setDragEnabled(enabled)
        view.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
            if enabled
            else QAbstractItemView.EditTrigger.NoEditTriggers
        )

    @property
    def pending(self) -> dict[str, str]:
        """The text changes not yet in the store (field → value)."""
        return self.autosave.pending

    @property
    def save_error(self) -> str:
        """Why the last save failed, for the user ("" when saving works)."""
        error = self.autosave.error
        return self.tr("Not saved yet: %1").replace("%1", error) if error else ""

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
        self.drop_catcher.watch(ui.titleEdit)
        self.drop_catcher.dropped.connect(self.importRequested)
        ui.summaryEdit.filesDropped.connect(self.importRequested)  # a FileDropTextEdit

    # ------------------------------------------------------------------ loading
    def load(self, submission_id: int | None) -> None:
        """Show ``submission_id`` (saving what is pending for the one shown before)."""
        self.flush()
        self.submission_id = submission_id
        self.autosave.switch_to(submission_id)
        if submission_id is None:
            self.report = None
            return
        try:
            self.report, self.status, self.note = self._read(submission_id)
        except LookupError:
            if self.ctx is not None:
                raise
            self.report = None  # not readable before the store: shown once it is attached
            return
        self.campaign = self._campaign(self.report.campaign_id)
        fill_choices(self.ui, self.campaign, self.zh, self.tr("(none)"))
        r, typed = self.report, self.pending  # typed before the store was attached
        unit = dataclasses.replace(
            r.unit,
            **{k.removeprefix("unit."): v for k, v in typed.items() if k.startswith("unit.")},
        )
        widgets = self._field_widgets()
        for w in widgets.values():
            w.blockSignals(True)
        self.ui.titleEdit.setText(typed.get("title", r.title))
        self.ui.summaryEdit.setPlainText(typed.get("summary", r.summary))
        for w in widgets.values():
            w.blockSignals(False)
        set_unit(self.ui, unit)
        self._count_summary()
        self._fill_lists()
        self._show_status()

    def _read(self, submission_id: int) -> tuple[Report, str, ExportNote | None]:
        """The report, its status and latest export: from the store, or before it is
        attached from the first look (``glance``)."""
        if self.ctx is None:
            assert self.glance is not None, "an editor needs a store or a glance"
            report, row = self.glance.report(submission_id), self.glance.row(submission_id)
            if report is None or row is None:
                raise LookupError(submission_id)
            return report, row.status, row.export_note
        return read_report(self.ctx, submission_id)

    def _campaign(self, campaign_id: str) -> Campaign:
        if self.ctx is None:
            assert self.glance is not None
            try:
                return self.glance.campaign(campaign_id)
            except LookupError:
                found = self.glance.default_campaign()
                assert found is not None, "no campaign is shipped"
                return found
        try:
            return self.ctx.campaigns.get(campaign_id)
        except LookupError:
            return self.ctx.campaigns.default()

    @Slot(object)
    def store_changed(self, tables: Changes) -> None:
        """The store's announcement: re-read what it concerns of the report shown."""
        if self.submission_id is None or not tables & SUBMISSION_TABLES:
            return
        lists = bool(tables & REPORT_CONTENT_TABLES)
        if tables.at_once:  # this window's own command: shown before it goes on
            self.reload(lists=lists)
        elif self._read_timer.isActive() or self._reading:
            self._read_again = bool(self._read_again) or lists
        else:  # background work: read off the GUI thread, at most every REFRESH_MS
            self._read_again = lists
            wait = REFRESH_MS - (time.monotonic() - self._last_read) * 1000
            self._read_timer.start(max(0, int(wait)))

    def reload(self, *, lists: bool = True) -> None:
        """Re-read the report's status and (``lists``) activities and media; keeps text and
        selection."""
        if self.submission_id is None:
            return
        self._show_read(self._read(self.submission_id), lists)

    def _show_read(self, read: tuple[Report, str, ExportNote | None], lists: bool) -> None:
        self.report, self.status, self.note = read
        if lists:
            selected = self.selected_media()
            self._fill_lists()
            self._select_media(selected)
        self._show_status()
        self.saved.emit()

    def _read_waiting(self) -> None:
        lists, self._read_again = bool(self._read_again), None
        self.reload_later(lists=lists)

    def reload_later(self, *, lists: bool = True) -> None:
        """Like :meth:`reload`, but the store is read on a worker thread (during imports:
        the GUI thread only fills the models).  Requests made meanwhile are merged."""
        if self.submission_id is None or self.ctx is None:
            return
        if self._reading:
            self._read_again = bool(self._read_again) or lists
            return
        self._reading = True
        self._last_read = time.monotonic()
        submission_id, ctx = self.submission_id, self.ctx

        def read(_task: Task) -> tuple[Report, str, ExportNote | None]:
            return read_report(ctx, submission_id)

        def apply(
            result: tuple[Report, str, ExportNote | None] | None, error: BaseException | None
        ) -> None:
            self._reading = False
            if result is not None and submission_id == self.submission_id:
                self._show_read(result, lists)
            elif error is not None:
                log.warning("reading the report failed: %r", error)
            if self._read_again is not None and not self._read_timer.isActive():
                self._read_waiting()

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
        note = self.note
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
        self.autosave.change(key, value)
        if now:
            self.flush()

    def _focus_changed(self, old: QWidget | None, _new: QWidget | None) -> None:
        if self.pending and old is not None and old in self._field_widgets().values():
            self.autosave.save_later()  # leaving a field: written now, off the GUI thread

    def flush(self) -> bool:
        """Write pending text changes now; ``False`` if they could not be saved (kept)."""
        return self.autosave.flush()

    def fill_from_profile(self) -> None:
        if self.ctx is None:
            return
        from qmclient.services import drafts

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


def read_report(ctx: AppContext, submission_id: int) -> tuple[Report, str, ExportNote | None]:
    """A report as the editor shows it: its content, status and latest export."""
    from qmclient.services import drafts, export_record

    return (
        drafts.load_report(ctx, submission_id),
        drafts.status_of(ctx, submission_id),
        export_record.latest(ctx, submission_id),
    )
