"""Starting the desktop app: language, data folder, log, store, main window.

Only what the first paint needs is imported before the window shows: the report list is
read with plain sqlite3 and the database layer (SQLAlchemy, about a third of a second to
load) follows on a worker thread while the window is already on screen.  Pillow, PyAV and
the thumbnail work load later still, on first use.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
# Set to quit as soon as the main window has been shown and painted (start-up checks);
# set to "ready" to quit once the editor shows a report and takes typing, "whole" once the
# store is loaded and every menu is in place.
EXIT_AFTER_START = "QMCLIENT_EXIT_AFTER_START"
START_TIMES = "QMCLIENT_START_TIMES"


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


def load_store(data_dir: str | None) -> Any:
    """On a worker, behind the painted window: the database layer, the store, and the
    modules the whole window needs.  Returns the opened context (raises ``StoreError``)."""
    import importlib

    from sqlalchemy.orm import configure_mappers

    from qmclient.services.context import open_context

    ctx = open_context(data_dir)
    for name in _WHOLE_WINDOW:
        importlib.import_module(name)
    # The ORM links its classes at the first query; done here, not on the GUI thread
    # (it held the window for a good part of attaching the store).
    configure_mappers()
    return ctx


# imported on the worker, so that attaching the store on the GUI thread finds them loaded
_WHOLE_WINDOW = (
    "qmclient.services.drafts",
    "qmclient.services.clock",
    "qmclient.media.thumbnails",
    "qmclient.ui.editor",
    "qmclient.ui.importer",
    "qmclient.ui.thumbnail_loader",
    "qmclient.ui.export_dialog",
    "qmclient.ui.coordinator",
    "qmclient.ui.maintenance",
)


def settle_memory() -> None:
    """Move everything made at start-up out of the garbage collector's way, and let it
    collect again (``run_app`` stops it while the window starts).

    A full collection scans every long-lived object while holding the interpreter lock;
    with SQLAlchemy, Qt and the campaign loaded that took up to a quarter of a second
    and froze the window in the middle of imports.  Frozen objects are never scanned.
    """
    import gc

    gc.collect()
    gc.freeze()
    gc.enable()


def install_sending_later(window, connect_file: str | None = None) -> None:  # type: ignore[no-untyped-def]
    from qmclient.ui.sending import install_sending

    sending = install_sending(window)
    if connect_file:  # started by opening a .qmconnect file: the dialog, filled from it
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, lambda: sending.connect_server(Path(connect_file)))


def run_app(
    data_dir: str | None = None, lang: str | None = None, connect_file: str | None = None
) -> int:
    """Start the window.  When the store can be read as it is, the window paints its report
    list from a plain-sqlite3 look (:mod:`qmclient.store.glance`) and the database layer
    loads on a worker behind it; otherwise (first start, a migration, an error) the store
    is opened first, with its dialogs."""
    import gc

    # What the start makes lives as long as the window (Qt's enums, the modules, the
    # campaign; SQLAlchemy on the worker): collecting while it is made scans it again and
    # again and finds next to nothing; that was a tenth of the time to the first paint.
    # Collection resumes once it is frozen (settle_memory), at the latest after a minute.
    gc.disable()
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from qmclient.ui.feature_scan import skip_source_scan

    skip_source_scan()  # later imports (the store's, on the worker) without source reads
    from qmclient.ui.i18n import choose_language, install_translators
    from qmclient.ui.settings import AppSettings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    QTimer.singleShot(60_000, gc.enable)  # should the store never load
    app.setApplicationName("qmclient")
    app.setOrganizationName("qmclient")
    settings = AppSettings()
    language = choose_language(lang, settings.language)
    install_translators(app, language)
    zh = language.startswith("zh")
    app.setApplicationDisplayName("质量月活动情况总结报送" if zh else "Quality Month Reports")

    chosen_dir = _data_dir(data_dir, settings.data_dir)
    from qmclient.ui.single_instance import bring_to_front, claim_data_dir

    guard = claim_data_dir(chosen_dir, zh)  # a second start shows the first window instead
    if guard is None:
        return 0
    from qmclient.store.errors import DB_NAME
    from qmclient.store.glance import glance
    from qmclient.store.location import resolve_data_dir

    folder = resolve_data_dir(chosen_dir)
    early = glance(folder / DB_NAME)
    ctx = None
    if early is None:
        ctx = open_with_dialogs(chosen_dir, zh)
        if ctx is None:
            guard.stop()
            return 1
    from qmclient.ui.error_dialog import ExceptionHook
    from qmclient.ui.first_paint import after_first_paint
    from qmclient.ui.icons import icon
    from qmclient.ui.main_window import MainWindow
    from qmclient.ui.tasks import TaskRunner

    app.setWindowIcon(icon("qmclient"))
    window = MainWindow(ctx, settings, language, glance=early)
    hook = ExceptionHook(None, save_work=window.flush_edits, parent=lambda: window)
    hook.install()

    def start_log() -> None:
        from qmclient.logsetup import setup_logging

        hook.log_path = Path(setup_logging(folder / "logs"))
        log.info("qmclient starting; data folder %s, language %s", folder, language)

    if ctx is not None:
        start_log()
    guard.activated.connect(lambda: bring_to_front(window))
    exit_when = os.environ.get(EXIT_AFTER_START, "")
    opened: list[Any] = [ctx] if ctx is not None else []
    parts: list[Any] = []  # kept alive with the window
    stages: set[str] = set()

    def whole(ctx: Any) -> None:
        """The store is open: attach it, then add the menus and panels that use it."""
        from qmclient.services import clock
        from qmclient.ui.coordinator import install as install_coordinator
        from qmclient.ui.export_dialog import install_export
        from qmclient.ui.maintenance import Maintenance

        # deadlines and lateness by the intake server's clock once it is known
        window.clock = lambda: clock.now(ctx)
        if window.ctx is None:
            window.attach(ctx)
        install_export(window)
        install_coordinator(window)  # the district coordinator's inbox, batch upload, roll-up
        maintenance = Maintenance(window, ctx, language, guard, window.flush_edits)
        maintenance.install()
        parts.append(maintenance)
        if "ready" not in stages:  # opened with the store (first start, a migration)
            reached("ready")
        reached("whole")
        if not exit_when:
            # The Send menu and Transfers panel bring the network stack (requests, tus):
            # they are added right after, so drafting can start sooner.
            QTimer.singleShot(0, lambda: install_sending_later(window, connect_file))

            def started() -> None:
                maintenance.first_start()
                window.after_start()

            QTimer.singleShot(0, started)
            QTimer.singleShot(1500, window.warm_up)
            QTimer.singleShot(2500, settle_memory)
            QTimer.singleShot(10_000, maintenance.tidy)  # unused media files, a day old

    def loaded(result: Any, error: BaseException | None) -> None:
        if error is not None:  # a store problem found only now: the usual dialogs
            log.warning("opening the store behind the window failed: %r", error)
            result = open_with_dialogs(chosen_dir, zh)
            if result is None:
                window.close()
                app.exit(1)
                return
            opened.append(result)
        whole(result)

    loader = TaskRunner(window, max_threads=1)
    parts.append(loader)

    def load(_task: Any) -> Any:
        result = load_store(chosen_dir)
        opened.append(result)  # closed below even if the window is gone by now
        return result

    def reached(stage: str) -> bool:
        """Smoke tests and the start-up benchmark quit at the stage they asked for
        (``True``: quitting now)."""
        _mark(stage)
        stages.add(stage)
        wanted = {"ready": {"painted", "ready"}, "whole": {"painted", "ready", "whole"}}
        if exit_when and wanted.get(exit_when, {"painted"}) <= stages:
            QTimer.singleShot(0, app.quit)
            return True
        return False

    def painted() -> None:
        quitting = reached("painted")
        if ctx is None and not quitting:
            # the editor on the report picked, from a plain-sqlite3 read: typing can start
            # while the database layer loads
            window.open_editor()
            after_first_paint(window.ui.stack.currentWidget() or window, editable)
            return
        guard.listen()  # later starts on this folder come to this window
        if ctx is None:
            start_log()

    def editable() -> None:
        if reached("ready") and exit_when == "ready":
            start_log()
            return  # quitting now: the store need not load
        guard.listen()  # after the editor: listening loads QtNetwork
        start_log()
        loader.run_task(load, loaded)

    window.show()
    # The log file, the socket and the store's worker wait for the first frame: the
    # worker's imports would otherwise hold the interpreter lock while the list paints.
    after_first_paint(window, painted)
    if ctx is not None:
        whole(ctx)
    try:
        return app.exec()
    finally:
        hook.uninstall()
        for part in parts:
            if hasattr(part, "wait"):
                part.wait()  # the store loader, if the window closed before it finished
        for each in opened:
            each.close()
        guard.stop()
        gc.enable()
        log.info("qmclient closed")


def _mark(stage: str) -> None:
    """With ``QMCLIENT_START_TIMES`` set, say when the window painted and when it was whole
    (``time.monotonic()``, comparable across processes; the start-up benchmark reads it),
    and the CPU time this process had used by then."""
    if os.environ.get(START_TIMES):
        import time

        print(
            f"qmclient-start {stage} {time.monotonic():.6f} {time.process_time():.6f}",
            file=sys.stderr,
            flush=True,
        )
