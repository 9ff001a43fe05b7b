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

from PySide6.QtCore import QModelIndex, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeySequence,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QHeaderView,
    QMainWindow,
    QMenu,
    QMessageBox,
    QWidget,
)

from qmclient import __version__
from qmclient.core.campaign import Campaign
from qmclient.ui.changes import SUBMISSION_TABLES, StoreChanges
from qmclient.ui.deadline_widget import DeadlineWidget
from qmclient.ui.forms.ui_main_window import Ui_MainWindow
from qmclient.ui.icons import icon
from qmclient.ui.settings import AppSettings
from qmclient.ui.submission_model import ID_ROLE, SORT_ROLE, FilterProxy, SubmissionModel
from qmclient.ui.tasks import TaskRunner
from qmclient.ui.validation_panel import ValidationPanel

if TYPE_CHECKING:  # loaded with the store, after the first paint
    from qmclient.core.validation import Finding
    from qmclient.services.context import AppContext
    from qmclient.services.drafts import AttachResult
    from qmclient.store.glance import Glance

log = logging.getLogger(__name__)


def _no_campaign(campaign_id: str) -> Campaign:
    raise LookupError(campaign_id)


MEDIA_FILTER = "*.jpg *.jpeg *.png *.heic *.heif *.webp *.mp4 *.m4v *.mov"


class MainWindow(QMainWindow):
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
        self._sized = False
        self._glance = glance
        self._chosen: int | None = None  # picked in the list before the store was ready
        self._dropped: list[Path] = []  # files dropped before the store was ready
        self.editor: Any = None

        self.undo = QUndoStack(self)
        self.panel = ValidationPanel(language, self)
        self.ui.validationDockLayout.addWidget(self.panel)
        self._setup_list()
        self._setup_actions()
        self._setup_status_bar()
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

    def _store_actions(self) -> list[QAction]:
        """The actions that need the store (all but Quit and Find)."""
        keep = (self.ui.actionQuit, self.ui.actionFind)
        return [
            a
            for name, a in vars(self.ui).items()
            if name.startswith("action") and isinstance(a, QAction) and a not in keep
        ]

    def attach(self, ctx: AppContext) -> None:
        """Bring in the store: the editor, imports, thumbnails and checks start working."""
        from qmclient.media.thumbnails import ThumbnailCache
        from qmclient.ui.editor import Editor
        from qmclient.ui.importer import Importer, ImportProgress
        from qmclient.ui.thumbnail_loader import ThumbnailLoader

        chosen = self._chosen if self.ctx is None and self._glance is not None else None
        self.ctx = ctx
        self._glance = None
        self.model.campaign_of = ctx.campaigns.get
        # every committed write is announced; the views refresh from that, not by hand
        self.changes = StoreChanges(ctx.store, self)
        self.changes.changed.connect(self._store_changed)
        self.writer = TaskRunner(self, max_threads=1)  # background work that writes
        self.thumb_runner = TaskRunner(self, max_threads=max(1, (os.cpu_count() or 2) - 1))
        self.thumbnails = ThumbnailLoader(
            ThumbnailCache(ctx.data_dir / "thumbnails"), ctx.media, self.thumb_runner, self
        )
        self.editor = Editor(ctx, self.language, self.thumbnails, self.undo, self)
        self.ui.editorPageLayout.addWidget(self.editor)
        self.import_progress = ImportProgress(self)
        self.statusBar().insertPermanentWidget(0, self.import_progress)
        self.importer = Importer(ctx, self.import_progress, self, self.thumbnails.cache)
        self.importer.refreshWanted.connect(self._import_refresh)
        self.importer.finished.connect(self._import_finished)
        self.importer.failed.connect(self._import_failed)

        self._validate_timer = QTimer(self, singleShot=True, interval=300)
        self._validate_timer.timeout.connect(self.validate_later)
        self.checker = TaskRunner(self, max_threads=1)  # live checks off the GUI thread
        self._checking = False
        self._check_again = False

        self.editor.saved.connect(self._after_save)
        self.editor.importRequested.connect(self.import_paths)
        self.editor.addFilesRequested.connect(self.add_media_dialog)
        self.editor.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.panel.findingClicked.connect(lambda f: self.jump_to(f))
        self.panel.findingActivated.connect(lambda f: self.jump_to(f, open_editor=True))
        self._connect_editor_actions()
        for action in self._store_actions():
            action.setEnabled(True)

        self.refresh_list()
        first = self.proxy.index(0, 0)
        if chosen is not None and self.model.row_of(chosen) >= 0:
            self.select_submission(chosen, reload=False)
        elif first.isValid():
            self.select_submission(int(first.data(ID_ROLE)), reload=False)
        else:
            self._show_current(None)
        dropped, self._dropped = self._dropped, []
        if dropped:
            self.import_paths(dropped)

    # ------------------------------------------------------------------ set-up
    def _setup_list(self) -> None:
        glance = self._glance
        self.model = SubmissionModel(
            glance.campaign if glance is not None else _no_campaign, self.language, self
        )
        self.proxy = FilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        view = self.ui.submissionsView
        view.setModel(self.proxy)
        view.sortByColumn(SubmissionModel.CHANGED, Qt.SortOrder.DescendingOrder)
        header = view.header()
        header.setStretchLastSection(False)
        # Fixed widths from the font, not ResizeToContents: measuring every row of a long
        # list on each change costs seconds with a thousand reports.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(SubmissionModel.TITLE, QHeaderView.ResizeMode.Stretch)
        metrics = view.fontMetrics()
        samples = {
            SubmissionModel.STATUS: "已报送",
            SubmissionModel.DEADLINE: "逾期 9999 天",
            SubmissionModel.CHANGED: "09-24 10:05",
            SubmissionModel.REVISION: "99",
            SubmissionModel.CAMPAIGN: "2022年济南市“质量月”活动",
        }
        for col, sample in samples.items():
            header.resizeSection(col, metrics.horizontalAdvance(sample) + 18)
        view.setColumnHidden(SubmissionModel.CAMPAIGN, True)
        view.setColumnHidden(SubmissionModel.REVISION, True)
        view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.ui.filterEdit.textChanged.connect(self.proxy.setFilterFixedString)
        self.ui.splitter.setStretchFactor(0, 2)
        self.ui.splitter.setStretchFactor(1, 5)
        self.ui.splitter.setSizes([420, 980])
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)

    def _header_menu(self, pos: Any) -> None:
        menu = QMenu(self)
        view = self.ui.submissionsView
        for col in range(1, self.model.columnCount()):
            name = self.model.headerData(col, Qt.Orientation.Horizontal, 0)
            action = menu.addAction(str(name))
            action.setCheckable(True)
            action.setChecked(not view.isColumnHidden(col))
            action.toggled.connect(lambda on, c=col: view.setColumnHidden(c, not on))
        menu.popup(view.header().mapToGlobal(pos))

    def _setup_actions(self) -> None:
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

    def _connect_editor_actions(self) -> None:
        ui = self.ui
        ui.actionDeleteSelected.triggered.connect(self.editor.remove_selected)
        ui.actionAddActivity.triggered.connect(self.editor.add_activity)
        ui.actionEditActivity.triggered.connect(lambda: self.editor.edit_activity())

    def _setup_status_bar(self) -> None:
        self.deadline = DeadlineWidget(self.language, self)
        self.statusBar().addPermanentWidget(self.deadline)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self._sized:
            self._sized = True
            if self.settings.window_state("splitter") is None:
                QTimer.singleShot(0, self._first_split)

    def _first_split(self) -> None:
        """On first start, give the report list about two fifths of the room."""
        total = sum(self.ui.splitter.sizes())
        if total > 0:
            self.ui.splitter.setSizes([int(total * 0.38), total - int(total * 0.38)])

    def _restore_layout(self) -> None:
        geometry = self.settings.window_state("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = self.settings.window_state("state")
        if state is not None:
            self.restoreState(state)
        splitter = self.settings.window_state("splitter")
        if splitter is not None:
            self.ui.splitter.restoreState(splitter)

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

    # ------------------------------------------------------------------ list
    @Slot(object)
    def _store_changed(self, tables: frozenset[str]) -> None:
        if tables & SUBMISSION_TABLES:
            self.refresh_list()

    def refresh_list(self, select: int | None = None) -> None:
        from qmclient.services import drafts

        keep = select if select is not None else self.editor.submission_id
        view = self.ui.submissionsView
        view.selectionModel().blockSignals(True)
        try:
            self.model.set_rows(drafts.list_submissions(self.store_ctx), self.clock())
            if keep is not None:
                self._select_in_view(keep)
        finally:
            view.selectionModel().blockSignals(False)
        if select is not None and select != self.editor.submission_id:
            self._show_current(select)

    def _select_in_view(self, submission_id: int) -> None:
        row = self.model.row_of(submission_id)
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        view = self.ui.submissionsView
        view.setCurrentIndex(index)
        view.scrollTo(index)

    def select_submission(self, submission_id: int, *, reload: bool = True) -> None:
        """Show ``submission_id``; ``reload=False`` when the list was just read."""
        if reload:
            self.refresh_list(select=submission_id)
            return
        view = self.ui.submissionsView
        view.selectionModel().blockSignals(True)
        try:
            self._select_in_view(submission_id)
        finally:
            view.selectionModel().blockSignals(False)
        self._show_current(submission_id)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        submission_id = current.data(ID_ROLE) if current.isValid() else None
        if self.editor is None:  # still loading: show it once the store is there
            self._chosen = submission_id
            self._update_deadline()
            return
        if submission_id != self.editor.submission_id:
            self._show_current(submission_id)

    def _show_current(self, submission_id: int | None) -> None:
        self.undo.clear()
        self.editor.load(submission_id)
        has = submission_id is not None
        self.ui.stack.setCurrentWidget(self.ui.editorPage if has else self.ui.emptyPage)
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
        self._update_deadline()
        self.validate_later()  # off the GUI thread: the window paints first
        self.submissionChanged.emit(submission_id or 0)

    def _after_save(self) -> None:
        # while files are coming in, the check waits for the end of the import: each check
        # reads the whole report, and would slow the import down
        if not self.importer.busy():
            self._validate_timer.start()

    def _update_deadline(self) -> None:
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

    def _glance_campaign(self) -> Campaign | None:
        """Before the store is loaded: the campaign of the report picked in the list."""
        glance = self._glance
        if glance is None:
            return None
        row = next((r for r in glance.rows if r.id == self._chosen), None)
        try:
            return glance.campaign(row.campaign_id) if row else glance.default_campaign()
        except LookupError:
            return glance.default_campaign()

    # ------------------------------------------------------------------ commands
    def new_report(self) -> int:
        from qmclient.services import drafts

        self.editor.flush()
        submission_id = drafts.create_draft(self.store_ctx)
        self.refresh_list(select=submission_id)
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

        try:
            drafts.delete_submission(self.store_ctx, submission_id)
        except drafts.FieldError as exc:
            QMessageBox.warning(self, self.tr("Delete report"), str(exc))
            return
        self.editor.pending.clear()
        self.editor.submission_id = None
        self.refresh_list()
        rows = self.model.rows
        self._show_current(rows[0].id if rows else None)
        if rows:
            self._select_in_view(rows[0].id)

    def _start_folder(self) -> str:
        return self.settings.last_folder or str(Path.home())

    def add_media_dialog(self) -> None:
        files, _filter = QFileDialog.getOpenFileNames(
            self,
            self.tr("Add photos and videos"),
            self._start_folder(),
            self.tr("Photos and videos (%1);;All files (*)").replace("%1", MEDIA_FILTER),
        )
        if files:
            self.settings.last_folder = str(Path(files[0]).parent)
            self.import_paths([Path(f) for f in files])

    def add_folder_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Add a folder of photos and videos"), self._start_folder()
        )
        if folder:
            self.settings.last_folder = folder
            self.import_paths([Path(folder)])

    def import_paths(self, paths: list[Path]) -> None:
        """Add files (and folders) to the current report, starting one if there is none."""
        if not paths:
            return
        submission_id = self.editor.submission_id
        if submission_id is None:
            submission_id = self.new_report()
        self.editor.flush()
        self.editor.ui.tabs.setCurrentIndex(2)
        self.importer.add(submission_id, paths)

    def _import_refresh(self, submission_id: int) -> None:
        if submission_id == self.editor.submission_id:
            self.editor.reload_later()

    def _import_finished(self, submission_id: int, result: AttachResult) -> None:
        if submission_id == self.editor.submission_id:
            self.editor.reload_later()
        self._validate_timer.start()
        message = self.tr("%n file(s) added.", "", len(result.added))
        if result.cancelled:
            message += " " + self.tr("Import cancelled.")
        self.statusBar().showMessage(message, 10_000)
        if result.failed or result.skipped:
            from qmclient.ui.import_report import ImportReportDialog

            dialog = ImportReportDialog(result, self.language, self)
            self.import_reports.append(dialog)
            dialog.finished.connect(lambda _r, d=dialog: self.import_reports.remove(d))
            dialog.show()

    def _import_failed(self, submission_id: int, error: BaseException) -> None:
        if submission_id == self.editor.submission_id:
            self.editor.reload()
        QMessageBox.warning(
            self,
            self.tr("Adding files stopped"),
            self.tr("Adding files stopped: %1. The files added before are kept.").replace(
                "%1", getattr(error, "message_zh" if self.zh else "message_en", str(error))
            ),
        )

    def validate_now(self, show: bool = False) -> list[Finding]:
        from qmclient.services import drafts

        submission_id = self.editor.submission_id
        if submission_id is None:
            self.findings = []
            self.panel.show_findings(None)
            return []
        self.editor.flush()
        self.findings = drafts.validate_submission(self.store_ctx, submission_id, self.clock())
        self.panel.show_findings(self.findings)
        if show:
            self.ui.validationDock.show()
            self.ui.validationDock.raise_()
            errors = sum(1 for f in self.findings if f.severity == "error")
            self.statusBar().showMessage(
                self.tr("%n problem(s) to fix.", "", errors)
                if errors
                else self.tr("Nothing is missing."),
                8000,
            )
        return self.findings

    def validate_later(self) -> None:
        """The live check after an edit: saved text first, then the checks on a worker
        thread; requests made meanwhile are merged into one more run."""
        submission_id = self.editor.submission_id
        if submission_id is None:
            self.validate_now()
            return
        if self._checking:
            self._check_again = True
            return
        self.editor.flush()
        self._checking = True
        ctx, now = self.store_ctx, self.clock()

        def check(_task: Any) -> list[Finding]:
            from qmclient.services import drafts

            return drafts.validate_submission(ctx, submission_id, now)

        def show(findings: list[Finding] | None, error: BaseException | None) -> None:
            self._checking = False
            if findings is not None and submission_id == self.editor.submission_id:
                self.findings = findings
                self.panel.show_findings(findings)
            elif error is not None:
                log.warning("checking the report failed: %r", error)
            if self._check_again:
                self._check_again = False
                self.validate_later()

        self.checker.run_task(check, show)

    def jump_to(self, finding: Finding, *, open_editor: bool = False) -> bool:
        return bool(self.editor.focus_path(finding.path, finding.ref, open_editor=open_editor))

    def _find(self) -> None:
        self.ui.filterEdit.setFocus()
        self.ui.filterEdit.selectAll()

    def edit_profile(self, *, first_start: bool = False) -> bool:
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

    def open_settings(self) -> None:
        from qmclient.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, self)
        dialog.profileRequested.connect(lambda: self.edit_profile())
        self._settings_dialog = dialog
        dialog.exec()

    def open_logs(self) -> None:
        self.store_ctx.logs_dir.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.store_ctx.logs_dir)))

    def about(self) -> None:
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

    # ------------------------------------------------------------------ drops and closing
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        from qmclient.ui.media_model import local_paths

        if local_paths(event.mimeData()):
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        from qmclient.ui.media_model import local_paths

        if local_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        from qmclient.ui.media_model import local_paths

        paths = local_paths(event.mimeData())
        connect = [p for p in paths if p.suffix.lower() == ".qmconnect"]
        sending = getattr(self, "sending", None)  # set once the Send menu is installed
        if connect and sending is not None:
            event.acceptProposedAction()  # the office's connection file: the connect dialog
            sending.connect_server(connect[0])
            return
        if paths:
            event.acceptProposedAction()
            if self.ctx is None:  # added as soon as the store is loaded
                self._dropped.extend(paths)
                self.statusBar().showMessage(
                    self.tr("The files will be added as soon as the reports are open."), 5000
                )
                return
            self.import_paths(paths)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.editor is None:  # closed while the store was still loading
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

    def _save_layout(self) -> None:
        self.settings.set_window_state("geometry", self.saveGeometry())
        self.settings.set_window_state("state", self.saveState())
        self.settings.set_window_state("splitter", self.ui.splitter.saveState())
        self.settings.sync()
