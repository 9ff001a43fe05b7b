"""Starting the desktop app: language, data folder, log, store, main window.

Only what the first paint needs is imported before the window shows; Pillow, PyAV and the
thumbnail work load later, on first use.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

log = logging.getLogger(__name__)
# Set to quit as soon as the main window has been shown and painted (start-up checks).
EXIT_AFTER_START = "QMCLIENT_EXIT_AFTER_START"


def _data_dir(requested: str | None, settings_dir: str) -> str | None:
    from qmclient.store.location import ENV_DATA_DIR

    if requested:
        return requested
    if os.environ.get(ENV_DATA_DIR):
        return None  # resolve_data_dir reads it
    return settings_dir or None


def open_with_dialogs(data_dir: str | None, zh: bool, ask=None):  # type: ignore[no-untyped-def]
    """Open the data folder; on a store error ask the user (restore a backup, or quit).

    ``ask(err) -> "restore" | "quit"`` defaults to a dialog.  Returns the context or ``None``.
    """
    from qmclient.services.context import open_context
    from qmclient.store.database import DB_NAME, StoreCorruptError, StoreError, restore_backup
    from qmclient.store.location import resolve_data_dir
    from qmclient.ui.error_dialog import ask_store_error

    ask = ask or (lambda err: ask_store_error(err, zh))
    for _attempt in range(3):
        try:
            return open_context(data_dir)
        except StoreError as err:
            log.error("store cannot be opened: %s", err.message_en)
            choice = ask(err)
            if choice == "restore" and isinstance(err, StoreCorruptError) and err.backup:
                try:
                    restore_backup(resolve_data_dir(data_dir) / DB_NAME, err.backup)
                except StoreError as again:
                    ask(again)
                    return None
                continue
            return None
    return None


def _import_store_first() -> None:
    """Import the store and services before Qt: once PySide6 is loaded, its import hook
    makes every later import (SQLAlchemy is hundreds of modules) noticeably slower."""
    import importlib

    for name in ("qmclient.services.drafts", "qmclient.store.location"):
        importlib.import_module(name)


def settle_memory() -> None:
    """Move everything made at start-up out of the garbage collector's way.

    A full collection scans every long-lived object while holding the interpreter lock;
    with SQLAlchemy, Qt and the campaign loaded that took up to a quarter of a second
    and froze the window in the middle of imports.  Frozen objects are never scanned.
    """
    import gc

    gc.collect()
    gc.freeze()


def install_sending_later(window) -> None:  # type: ignore[no-untyped-def]
    from qmclient.ui.sending import install_sending

    install_sending(window)


def run_app(data_dir: str | None = None, lang: str | None = None) -> int:
    _import_store_first()
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from qmclient.ui.i18n import choose_language, install_translators
    from qmclient.ui.settings import AppSettings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("qmclient")
    app.setOrganizationName("qmclient")
    app.setApplicationDisplayName("质量月活动情况总结报送" if lang != "en" else "qmclient")
    settings = AppSettings()
    language = choose_language(lang, settings.language)
    install_translators(app, language)
    zh = language.startswith("zh")
    if zh:
        app.setApplicationDisplayName("质量月活动情况总结报送")
    else:
        app.setApplicationDisplayName("Quality Month Reports")

    chosen_dir = _data_dir(data_dir, settings.data_dir)
    from qmclient.ui.single_instance import claim_data_dir

    guard = claim_data_dir(chosen_dir, zh)  # a second start shows the first window instead
    if guard is None:
        return 0
    ctx = open_with_dialogs(chosen_dir, zh)
    if ctx is None:
        guard.stop()
        return 1
    from qmclient.logsetup import setup_logging

    log_path = setup_logging(ctx.logs_dir)
    log.info("qmclient starting; data folder %s, language %s", ctx.data_dir, language)

    from qmclient.services import clock
    from qmclient.ui.error_dialog import ExceptionHook
    from qmclient.ui.icons import icon
    from qmclient.ui.main_window import MainWindow

    app.setWindowIcon(icon("qmclient"))
    # deadlines and lateness by the intake server's clock once it is known
    window = MainWindow(ctx, settings, language, clock=lambda: clock.now(ctx))
    from qmclient.ui.export_dialog import install_export

    install_export(window)
    from qmclient.ui.coordinator import install as install_coordinator

    install_coordinator(window)  # the district coordinator's inbox, batch upload, roll-up
    hook = ExceptionHook(Path(log_path), save_work=window.flush_edits, parent=lambda: window)
    hook.install()
    from qmclient.ui.maintenance import Maintenance
    from qmclient.ui.single_instance import bring_to_front

    guard.activated.connect(lambda: bring_to_front(window))
    maintenance = Maintenance(window, ctx, language, guard, window.flush_edits)
    maintenance.install()
    window.show()
    if os.environ.get(EXIT_AFTER_START):  # smoke tests and the start-up benchmark
        QTimer.singleShot(0, app.quit)
    else:
        # The Send menu and Transfers panel bring the network stack (requests, tus):
        # they are added right after the first paint, so drafting can start sooner.
        QTimer.singleShot(0, lambda: install_sending_later(window))
        QTimer.singleShot(0, lambda: (maintenance.first_start(), window.after_start()))
        QTimer.singleShot(1500, window.warm_up)
        QTimer.singleShot(2500, settle_memory)
    try:
        return app.exec()
    finally:
        hook.uninstall()
        ctx.close()
        guard.stop()
        log.info("qmclient closed")
