"""Menu actions that look after the installation: set-up, backup, restore, diagnostics.

Added to the main window's menus by :func:`install` (File: back up, restore; Help: set up,
copy diagnostics), so the main window's own form stays about reports.  The work runs on a
worker thread; the window only shows progress and the outcome.

A restore replaces the whole data folder, so it closes the store first, and when it
succeeds the program starts again on the restored data.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QProcess, QStandardPaths, Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QProgressDialog

from qmclient.core.work import Progress
from qmclient.services.backup import ArchiveInfo, BackupError, BackupResult, RestoreResult
from qmclient.services.context import AppContext
from qmclient.services.first_run import needs_first_run
from qmclient.ui.operations import Op
from qmclient.ui.single_instance import SingleInstance
from qmclient.ui.tasks import Task, TaskRunner

log = logging.getLogger(__name__)


def restart_command(data_dir: Path, lang: str | None) -> tuple[str, list[str]]:
    """How to start this same program again (frozen bundle or ``python -m qmclient``)."""
    args = ["--data-dir", str(data_dir)]
    if lang:
        args += ["--lang", "en" if lang.startswith("en") else "zh"]
    if getattr(sys, "frozen", False):
        return sys.executable, args
    return sys.executable, ["-m", "qmclient", *args]


class Maintenance(QObject):
    def __init__(
        self,
        window: QMainWindow,
        ctx: AppContext,
        language: str,
        guard: SingleInstance | None = None,
        flush: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = ctx
        self.language = language
        self.zh = language.startswith("zh")
        self.guard = guard
        self.flush = flush or (lambda: True)
        self.runner = TaskRunner(self)
        self.actions: dict[str, QAction] = {}
        self._progress: QProgressDialog | None = None
        self.restart: Callable[[Path], None] = self._restart  # tests put their own here

    def _restart(self, data_dir: Path) -> None:
        program, args = restart_command(data_dir, self.language)
        QProcess.startDetached(program, args)
        app = QGuiApplication.instance()
        if app is not None:
            app.exit(0)

    # ------------------------------------------------------------------ menus

    def install(self) -> None:
        w = self.window
        file_menu = getattr(getattr(w, "ui", None), "menuFile", None)
        help_menu = getattr(getattr(w, "ui", None), "menuHelp", None)
        backup = QAction(self.tr("&Back up all data…"), w)
        backup.triggered.connect(self.back_up)
        restore = QAction(self.tr("&Restore from a backup…"), w)
        restore.triggered.connect(self.restore)
        setup = QAction(self.tr("Set up qmclient…"), w)
        setup.triggered.connect(self.run_setup)
        diag = QAction(self.tr("Copy &diagnostics"), w)
        diag.setToolTip(self.tr("Copy versions, folders and store statistics for support"))
        diag.triggered.connect(self.copy_diagnostics)
        proxy = QAction(self.tr("Network &proxy…"), w)
        proxy.triggered.connect(self.edit_proxy)
        self.actions = {
            "backup": backup,
            "restore": restore,
            "setup": setup,
            "diagnostics": diag,
            "proxy": proxy,
        }
        if file_menu is not None:
            actions = file_menu.actions()
            quit_action = getattr(getattr(w, "ui", None), "actionQuit", None)
            before = quit_action if quit_action in actions else None
            settings_action = getattr(getattr(w, "ui", None), "actionSettings", None)
            if settings_action in actions and actions.index(settings_action) + 1 < len(actions):
                file_menu.insertAction(actions[actions.index(settings_action) + 1], proxy)
            else:
                file_menu.insertAction(before, proxy)
            file_menu.insertActions(before, [backup, restore])
            file_menu.insertSeparator(before)
        if help_menu is not None:
            first = help_menu.actions()[0] if help_menu.actions() else None
            help_menu.insertActions(first, [setup, diag])
            help_menu.insertSeparator(first)

    # ------------------------------------------------------------------ helpers

    def _say(self, message: str) -> None:
        bar = self.window.statusBar()
        bar.showMessage(message, 8000)

    def _error(self, title: str, err: BaseException) -> None:
        if isinstance(err, BackupError):
            text = err.message_zh if self.zh else err.message_en
        else:
            text = f"{type(err).__name__}: {err}"
        QMessageBox.warning(self.window, title, text)

    def _start_progress(self, label: str) -> QProgressDialog:
        dialog = QProgressDialog(label, "", 0, 0, self.window)
        dialog.setCancelButton(None)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)  # only for work that takes a while
        dialog.setAutoClose(False)
        dialog.setValue(0)
        self._progress = dialog
        return dialog

    def _on_progress(self, value: Progress) -> None:
        if self._progress is not None and value.fraction is not None:
            self._progress.setMaximum(1000)
            self._progress.setValue(int(1000 * value.fraction))

    def _end_progress(self) -> None:
        if self._progress is not None:
            self._progress.reset()
            self._progress.deleteLater()
            self._progress = None

    # ------------------------------------------------------------------ backup

    def default_backup_name(self) -> str:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M")
        name = f"质量月报送-备份-{stamp}.zip" if self.zh else f"qmclient-backup-{stamp}.zip"
        return str(Path(folder or Path.home()) / name)

    def back_up(self, path: str | None = None) -> Task | None:
        if path is None:
            path, _f = QFileDialog.getSaveFileName(
                self.window,
                self.tr("Back up all data"),
                self.default_backup_name(),
                self.tr("Backup (*.zip)"),
            )
        if not path:
            return None
        self.flush()

        from qmclient.services.backup import create_backup

        def backed_up(result: BackupResult) -> None:
            self._say(
                self.tr("Backed up %1 files (%2 MB) to %3")
                .replace("%1", str(result.files))
                .replace("%2", f"{result.bytes / 2**20:.1f}")
                .replace("%3", str(result.archive))
            )

        data_dir = self.ctx.data_dir
        return (
            Op(self.window, lambda work: create_backup(data_dir, Path(path), work=work))
            .success(backed_up)
            .failure(lambda error: self._error(self.tr("Backup failed"), error))
            .with_progress(self.tr("Backing up…"))
            .run(self.runner)
        )

    # ------------------------------------------------------------------ restore

    def restore(self, path: str | None = None, *, confirm: bool = True) -> Task | None:
        if path is None:
            path, _f = QFileDialog.getOpenFileName(
                self.window, self.tr("Restore from a backup"), "", self.tr("Backup (*.zip)")
            )
        if not path:
            return None
        from qmclient.services.backup import check_archive

        self._start_progress(self.tr("Checking the backup…"))

        def checked(info: ArchiveInfo | None, error: BaseException | None) -> None:
            self._end_progress()
            if error is not None:
                self._error(self.tr("This backup cannot be restored"), error)
                return
            assert info is not None
            if confirm and not self._confirm_restore(info):
                return
            self._replace(Path(path))

        return self.runner.run_task(lambda _t: check_archive(Path(path)), checked)

    def _confirm_restore(self, info: ArchiveInfo) -> bool:
        text = (
            self.tr(
                "Replace all data in this program by the backup made %1 (%2 files, %3 MB)?\n\n"
                "The current data is kept in a folder beside it, and qmclient starts again."
            )
            .replace("%1", info.created_at.replace("T", " "))
            .replace("%2", str(info.files))
            .replace("%3", f"{info.bytes / 2**20:.1f}")
        )
        answer = QMessageBox.question(
            self.window,
            self.tr("Restore from a backup"),
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _replace(self, archive: Path) -> None:
        if not self.flush():
            QMessageBox.warning(
                self.window,
                self.tr("Restore from a backup"),
                self.tr("The last changes could not be saved, so nothing was restored."),
            )
            return
        data_dir = self.ctx.data_dir
        self.ctx.close()
        if self.guard is not None:
            self.guard.stop()
        self._start_progress(self.tr("Restoring…"))

        from qmclient.services.backup import restore_backup_archive

        def work(task: Task) -> RestoreResult:
            return restore_backup_archive(archive, data_dir, work=task)

        def done(result: RestoreResult | None, error: BaseException | None) -> None:
            self._end_progress()
            if error is not None:
                if self.guard is not None and self.guard.start():
                    self.guard.listen()
                self._error(self.tr("Restore failed"), error)
                return
            assert result is not None
            log.info("restored %s into %s; previous data in %s", archive, data_dir, result.previous)
            self.restart(data_dir)

        self.runner.run_task(work, done, on_progress=self._on_progress)

    # ------------------------------------------------------------------ set-up, diagnostics

    def run_setup(self) -> bool:
        from qmclient.ui.first_run import FirstRunWizard

        wizard = FirstRunWizard(self.ctx, self.language, self.window)
        accepted = wizard.exec() == FirstRunWizard.DialogCode.Accepted  # the list follows
        sending = getattr(self.window, "sending", None)
        if accepted and sending is not None and wizard.choice().kind == "endpoint":
            sending.connect_server()  # the address is set: the unit's code completes it
        return accepted

    def first_start(self) -> None:
        """At start-up: the wizard if this installation was never set up."""
        if needs_first_run(self.ctx):
            self.run_setup()
        settings = getattr(self.window, "settings", None)
        if settings is not None and hasattr(settings, "profile_asked"):
            settings.profile_asked = True  # the wizard replaces the first-start profile dialog

    def tidy(self) -> Task:
        """On a worker: delete stored files no report refers to (older than a day)."""
        from qmclient.services.orphans import prune_orphans

        ctx = self.ctx

        def done(result: Any, error: BaseException | None) -> None:
            if error is not None:
                log.warning("pruning unused media files failed: %r", error)
            elif result.files:
                log.info("pruned %d unused media files, %d bytes", len(result.files), result.bytes)

        return self.runner.run_task(lambda _t: prune_orphans(ctx), done)

    def edit_proxy(self) -> bool:
        from qmclient.ui.proxy_dialog import ProxyDialog

        dialog = ProxyDialog(self.ctx, self.language, self.window)
        return dialog.exec() == ProxyDialog.DialogCode.Accepted

    def copy_diagnostics(self) -> Task:
        from qmclient.services.diagnostics import as_text, collect

        def done(info: dict[str, Any] | None, error: BaseException | None) -> None:
            if error is not None:
                self._error(self.tr("Diagnostics"), error)
                return
            assert info is not None
            QGuiApplication.clipboard().setText(as_text(info))
            self._say(self.tr("Diagnostics copied to the clipboard."))

        return self.runner.run_task(lambda _t: collect(self.ctx), done)
