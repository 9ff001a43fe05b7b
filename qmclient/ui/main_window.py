"""The main window: the list of reports on the left, the editor of the selected one on the
right, the checks in a dock, and the deadline in the status bar.

Other parts of the program plug in here: add a menu with :meth:`MainWindow.insert_menu`, a
panel with :meth:`MainWindow.add_panel`, and follow the selected report with
:attr:`MainWindow.submissionChanged` / :meth:`MainWindow.current_submission_id`.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QUndoStack
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QMessageBox, QWidget

from qmclient.ui.changes import StoreChanges
from qmclient.ui.forms.ui_main_window import Ui_MainWindow
from qmclient.ui.report_list import ReportList
from qmclient.ui.settings import AppSettings
from qmclient.ui.submission_model import ID_ROLE
from qmclient.ui.tasks import TaskRunner
from qmclient.ui.validation_panel import ValidationPanel
from qmclient.ui.window_checks import WindowChecks
from qmclient.ui.window_files import WindowFiles
from qmclient.ui.window_layout import WindowLayout
from qmclient.ui.window_menus import WindowMenus

if TYPE_CHECKING:  # loaded with the store, after the first paint
    from qmclient.core.validation import Finding
    from qmclient.services.context import AppContext
    from qmclient.store.glance import Glance

log = logging.getLogger(__name__)


class MainWindow(ReportList, WindowMenus, WindowFiles, WindowChecks, WindowLayout, QMainWindow):
    submissionChanged = Signal(int)  # the report shown now; 0 when none

    def __init__(
        self,
        ctx: AppContext | None,
        settings: AppSettings,
        language: str,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], dt.datetime] | None = None,
        glance: Glance | None = None,
    ) -> None:
        """With ``ctx`` the window is whole at once.  Without it, it paints the list from
        ``glance`` (read with plain sqlite3) and waits for :meth:`attach`; until then the
        list can be browsed and searched, and files dropped on it are kept for later."""
        super().__init__(parent)
        # what time it is for deadlines and checks (tests and demos give their own)
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self.ui = Ui_MainWindow()
        self.ui.setupUi(self)
        self.ctx: AppContext | None = None
        self.settings = settings
        self.language = language
        self.zh = language.startswith("zh")
        self.import_reports: list[Any] = []  # open "files not added" dialogs
        self.findings: list[Finding] = []
        self._sized: bool = False
        self._glance: Glance | None = glance
        self._chosen: int | None = None  # picked in the list before the store was ready
        self._dropped: list[Path] = []  # files dropped before the store was ready
        self._close_when_attached = False  # closed while text typed early was unsaved
        self.editor: Any = None

        self.undo: QUndoStack = QUndoStack(self)
        self.panel: ValidationPanel = ValidationPanel(language, self)
        self.ui.validationDockLayout.addWidget(self.panel)
        self._setup_list()
        self._setup_actions()
        self._setup_status_bar()
        # a clock tick, not stored data: the deadline in the status bar counts down by itself
        self._clock = QTimer(self, interval=60_000)
        self._clock.timeout.connect(self._update_deadline)
        self._clock.start()
        self.resize(1400, 900)
        self._restore_layout()
        if ctx is not None:
            self.attach(ctx)
        else:
            self._show_glance()

    def _show_glance(self) -> None:
        """The first paint before the store is loaded: the list, the deadline, and a
        "loading" line where the editor will be."""
        for action in self._store_actions():
            action.setEnabled(False)
        self.ui.stack.setCurrentWidget(self.ui.loadingPage)
        self.panel.show_note(self.ui.loadingLabel.text())
        if self._glance is not None:
            self.model.set_rows(list(self._glance.rows), self.clock())
            first = self.proxy.index(0, 0)
            if first.isValid():
                self.ui.submissionsView.setCurrentIndex(first)
        self._update_deadline()

    def open_editor(self) -> None:
        """Before the store: the editor on the report picked, read with plain sqlite3
        (``glance``).  Text can be typed at once; it is written when the store is
        attached, and the commands that write at once wait for it."""
        if self.editor is not None or self._glance is None:
            return
        self._build_editor(None)
        chosen = self._chosen
        if chosen is None or self.model.row_of(chosen) < 0:
            self._show_current(None)
            return
        try:
            self._show_current(chosen)
        except LookupError:  # not readable now: the store will show it
            self.ui.stack.setCurrentWidget(self.ui.loadingPage)

    def _build_editor(self, ctx: AppContext | None) -> None:
        from qmclient.ui.editor import Editor

        self.writer = TaskRunner(self, max_threads=1)  # background work that writes
        self.editor = Editor(
            ctx,
            self.language,
            None,  # thumbnails: with the store (attach)
            self.undo,
            self,
            writer=self.writer,
            changes=getattr(self, "changes", None),
            glance=self._glance,
        )
        self.ui.editorPageLayout.addWidget(self.editor)
        self.editor.importRequested.connect(self.import_paths)
        self.editor.message.connect(lambda text: self.statusBar().showMessage(text, 8000))

    def attach(self, ctx: AppContext) -> None:
        """Bring in the store: the editor, imports, thumbnails and checks start working."""
        from qmclient.media.thumbnails import ThumbnailCache
        from qmclient.ui.importer import Importer, ImportProgress
        from qmclient.ui.thumbnail_loader import ThumbnailLoader

        early = self.editor  # opened before the store (open_editor), or None
        if early is not None:
            chosen = early.submission_id
        elif self.ctx is None and self._glance is not None:
            chosen = self._chosen
        else:
            chosen = None
        self.ctx = ctx
        self.model.campaign_of = ctx.campaigns.get
        # every committed write is announced; the views refresh from that, not by hand
        self.changes = StoreChanges(ctx.store, self)
        self.changes.changed.connect(self._store_changed)
        if early is None:
            self._build_editor(ctx)
        self.thumb_runner = TaskRunner(self, max_threads=max(1, (os.cpu_count() or 2) - 1))
        self.thumbnails = ThumbnailLoader(
            ThumbnailCache(ctx.data_dir / "thumbnails"), ctx.media, self.thumb_runner, self
        )
        self.editor.set_thumbnails(self.thumbnails)
        if early is not None:
            early.attach(ctx, self.changes)
        self._glance = None
        self.import_progress = ImportProgress(self)
        self.statusBar().insertPermanentWidget(0, self.import_progress)
        self.importer = Importer(ctx, self.import_progress, self, self.thumbnails.cache)
        self.importer.finished.connect(self._import_finished)
        self.importer.failed.connect(self._import_failed)

        self._validate_timer = QTimer(self, singleShot=True, interval=300)
        self._validate_timer.timeout.connect(self.validate_later)
        self.checker: TaskRunner = TaskRunner(self, max_threads=1)  # live checks off the GUI thread
        self._checking: bool = False
        self._check_serial: int = 0  # which check's findings are the newest
        self._check_again = False

        self.editor.saved.connect(self._after_save)
        self.editor.addFilesRequested.connect(self.add_media_dialog)
        self.panel.findingClicked.connect(lambda f: self.jump_to(f))
        self.panel.findingActivated.connect(lambda f: self.jump_to(f, open_editor=True))
        self._connect_editor_actions()
        for action in self._store_actions():
            action.setEnabled(True)

        self.refresh_list()  # the first read from the store (the glance was read before it)
        first = self.proxy.index(0, 0)
        if chosen is not None and self.model.row_of(chosen) >= 0:
            if early is not None and chosen == early.submission_id:
                self._enable_report_actions(True)
                self.validate_later()
            else:
                self.select_submission(chosen, reload=False)
        elif first.isValid():
            self.select_submission(int(first.data(ID_ROLE)), reload=False)
        else:
            self._show_current(None)
        dropped, self._dropped = self._dropped, []
        if dropped:
            self.import_paths(dropped)
        if self._close_when_attached:
            QTimer.singleShot(0, self.close)

    # ------------------------------------------------------------------ extension points
    def insert_menu(self, menu: QMenu) -> None:
        """Add a menu to the menu bar, before Help."""
        self.menuBar().insertMenu(self.ui.menuHelp.menuAction(), menu)

    def add_panel(
        self, dock: QDockWidget, area: Qt.DockWidgetArea = Qt.DockWidgetArea.RightDockWidgetArea
    ) -> None:
        """Add a dock panel (transfers, inbox, …) and a View-menu entry to show it."""
        self.addDockWidget(area, dock)
        self.ui.menuView.addAction(dock.toggleViewAction())

    def current_submission_id(self) -> int | None:
        return self.editor.submission_id if self.editor is not None else None

    def flush_edits(self) -> bool:
        """Save what is being typed now (call before freezing, sending or exporting)."""
        return self.editor.flush() if self.editor is not None else True

    @property
    def store_ctx(self) -> AppContext:
        """The open store's context (the actions that use it are enabled only then)."""
        assert self.ctx is not None, "the store is not open yet"
        return self.ctx

    def _show_current(self, submission_id: int | None) -> None:
        self.undo.clear()
        self.editor.load(submission_id)
        has = submission_id is not None
        page = self.ui.editorPage if has else self.ui.emptyPage
        if has and self.editor.report is None:  # not readable before the store: it will be
            page = self.ui.loadingPage
        self.ui.stack.setCurrentWidget(page)
        if self.ctx is not None:
            self._enable_report_actions(has)
        self._update_deadline()
        self.validate_later()  # off the GUI thread: the window paints first
        self.submissionChanged.emit(submission_id or 0)

    def _enable_report_actions(self, has: bool) -> None:
        for action in (
            self.ui.actionAddMedia,
            self.ui.actionAddFolder,
            self.ui.actionAddActivity,
            self.ui.actionEditActivity,
            self.ui.actionDeleteReport,
            self.ui.actionValidate,
            self.ui.actionDeleteSelected,
        ):
            action.setEnabled(has)
        self.ui.actionAddMedia.setEnabled(True)  # adding files to no report starts one

    # ------------------------------------------------------------------ commands
    def new_report(self) -> int:
        from qmclient.services import drafts

        self.editor.flush()
        submission_id = drafts.create_draft(self.store_ctx)  # the list hears of it
        self.select_submission(submission_id)
        self.editor.ui.tabs.setCurrentIndex(0)
        self.editor.ui.titleEdit.setFocus()
        self.statusBar().showMessage(self.tr("A new report was started."), 5000)
        return submission_id

    def delete_report(self) -> None:
        submission_id = self.editor.submission_id
        if submission_id is None:
            return
        title = self.editor.ui.titleEdit.text() or self.tr("(untitled report)")
        answer = QMessageBox.question(
            self,
            self.tr("Delete report"),
            self.tr(
                "Delete “%1” with its activities and the list of its photos and videos? "
                "This cannot be undone."
            ).replace("%1", title),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,  # Enter must not delete
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        from qmclient.services import drafts

        self.editor.load(None)  # saved first, then shows nothing while it goes
        try:
            drafts.delete_submission(self.store_ctx, submission_id)
        except drafts.FieldError as exc:
            self.editor.load(submission_id)
            QMessageBox.warning(self, self.tr("Delete report"), str(exc))
            return
        rows = self.model.rows  # the list heard of the deletion
        self._show_current(rows[0].id if rows else None)
        if rows:
            self._select_in_view(rows[0].id)

    def warm_up(self) -> None:
        """Load Pillow and PyAV on a worker while the user reads the window: loading their
        native libraries holds the interpreter lock, better now than mid-import."""

        def load(_task: Any) -> None:
            import importlib

            for name in ("PIL.Image", "PIL.ImageOps", "PIL.JpegImagePlugin", "av"):
                importlib.import_module(name)

        self.thumb_runner.run_task(load)

    def after_start(self) -> None:
        """Things to ask once the window is showing: the unit profile on first start."""
        from qmclient.services import drafts

        if self.settings.profile_asked or drafts.get_profile(self.store_ctx) is not None:
            return
        self.settings.profile_asked = True
        self.edit_profile(first_start=True)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.ctx is None and self.editor is not None and not self.editor.flush():
            # text typed before the store was attached: closed once it is written
            self._close_when_attached = True
            self.statusBar().showMessage(self.tr("Saving, then closing…"))
            event.ignore()
            return
        if self.ctx is None:  # closed while the store was still loading
            self._save_layout()
            event.accept()
            return
        saved = self.editor.flush()
        if not saved:
            answer = QMessageBox.warning(
                self,
                self.tr("Not saved"),
                self.tr("The last changes could not be saved (%1). Close anyway?").replace(
                    "%1", self.editor.save_error
                ),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self.importer.shutdown()
        for runner in (self.thumb_runner, self.checker, self.editor.reader, self.writer):
            runner.close(10_000)
        self.changes.close()
        self._save_layout()
        event.accept()
