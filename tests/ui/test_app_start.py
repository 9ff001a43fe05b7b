"""Starting the app: the real ``qmclient`` entry point, store errors at start, the
exception hook, the first-start profile question."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from ui_helpers import on_modal

from qmclient.services import drafts
from qmclient.services.context import open_context
from qmclient.store.database import DB_NAME, StoreCorruptError, StoreTooNewError
from qmclient.ui.app import open_with_dialogs
from qmclient.ui.error_dialog import ExceptionHook, store_error_box


def start_app(tmp_path: Path, data: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """The real ``qmclient`` entry point, offscreen, with its settings in ``tmp_path``."""
    full = dict(os.environ, QT_QPA_PLATFORM="offscreen", **env)
    full["HOME"] = str(tmp_path / "home")  # QSettings of this run stay in the temp folder
    full["XDG_CONFIG_HOME"] = str(tmp_path / "home" / ".config")
    return subprocess.run(
        [sys.executable, "-m", "qmclient", "--data-dir", str(data)],
        env=full,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_qmclient_without_arguments_opens_the_window(tmp_path: Path) -> None:
    data = tmp_path / "data"
    done = start_app(tmp_path, data, QMCLIENT_EXIT_AFTER_START="1")
    assert done.returncode == 0, done.stderr
    assert (data / DB_NAME).is_file()
    log = (data / "logs" / "qmclient.log").read_text(encoding="utf-8")
    assert "qmclient starting" in log and "qmclient closed" in log


def test_with_reports_the_window_paints_before_the_store_loads(tmp_path: Path) -> None:
    """On an existing store the list is painted from the plain-sqlite3 look, and the
    store arrives after; both moments are reported, and nothing is left open."""
    data = tmp_path / "data"
    ctx = open_context(data)
    for i in range(30):
        drafts.create_draft(ctx, title=f"第{i}份")
    ctx.close()
    expected = {
        "whole": ["painted", "ready", "whole"],  # quit once the store is attached
        "ready": ["painted", "ready"],  # quit once the editor takes typing
        "1": ["painted"],  # quit right after the first paint
    }
    for mode, stages_wanted in expected.items():
        done = start_app(tmp_path, data, QMCLIENT_EXIT_AFTER_START=mode, QMCLIENT_START_TIMES="1")
        assert done.returncode == 0, done.stderr
        stages = [line.split()[1] for line in done.stderr.splitlines() if "qmclient-start" in line]
        assert stages == stages_wanted, done.stderr
    log = (data / "logs" / "qmclient.log").read_text(encoding="utf-8")
    assert log.count("qmclient starting") == 3 and log.count("qmclient closed") == 3
    ctx = open_context(data)  # the store was closed cleanly and is whole
    try:
        assert len(drafts.list_submissions(ctx)) == 30
        assert ctx.store.integrity_check() == "ok"
    finally:
        ctx.close()


def test_corrupt_store_offers_the_backup_and_restores_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    ctx = open_context(data)
    sid = drafts.create_draft(ctx, title="备份里的报告")
    ctx.store.backup_to(data / "backups" / "daily-20220920.sqlite3")
    ctx.close()
    for side in ("-wal", "-shm"):
        (data / (DB_NAME + side)).unlink(missing_ok=True)
    (data / DB_NAME).write_bytes(b"this is not a database" * 100)

    asked: list[Any] = []

    def ask(err: Any) -> str:
        asked.append(err)
        return "restore"

    restored = open_with_dialogs(str(data), zh=True, ask=ask)
    assert restored is not None
    try:
        assert isinstance(asked[0], StoreCorruptError)
        assert drafts.load_report(restored, sid).title == "备份里的报告"
        assert list(data.glob(f"{DB_NAME}.damaged-*"))  # the damaged file is kept
    finally:
        restored.close()


def test_store_from_a_newer_version_is_refused_with_a_clear_dialog(tmp_path: Path) -> None:
    data = tmp_path / "data"
    open_context(data).close()
    conn = sqlite3.connect(data / DB_NAME)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    asked: list[Any] = []
    assert open_with_dialogs(str(data), zh=True, ask=lambda e: asked.append(e) or "quit") is None
    assert isinstance(asked[0], StoreTooNewError)
    box = store_error_box(asked[0], zh=True)
    assert "更新版本" in box.informativeText()
    assert [b.objectName() for b in box.buttons()] == ["quit"]


def test_corrupt_store_dialog_has_a_restore_button(tmp_path: Path) -> None:
    err = StoreCorruptError(tmp_path / DB_NAME, "file is not a database", tmp_path / "b.sqlite3")
    box = store_error_box(err, zh=True)
    names = {b.objectName(): b.text() for b in box.buttons()}
    assert names["restore"] == "恢复最近的备份"
    assert "已损坏" in box.informativeText()


def test_unhandled_exception_saves_typing_and_names_the_log(
    qtbot: Any, tmp_path: Path, ctx: Any, window: Any
) -> None:
    sid = window.new_report()
    window.editor.ui.summaryEdit.setPlainText("刚刚输入、还没保存的内容")
    assert window.editor.pending  # not yet written
    log_path = tmp_path / "logs" / "qmclient.log"
    hook = ExceptionHook(log_path, save_work=window.flush_edits, parent=lambda: window, modal=False)
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        hook(type(exc), exc, exc.__traceback__)
    assert drafts.load_report(ctx, sid).summary == "刚刚输入、还没保存的内容"
    box = hook.shown[0]
    assert str(log_path) in box.informativeText()
    assert "RuntimeError: boom" in box.detailedText()
    assert box.icon() == QMessageBox.Icon.Critical
    assert "意外" in box.windowTitle()
    box.close()


def test_first_start_asks_for_the_profile_once(qtbot: Any, ctx: Any, window: Any) -> None:
    def fill(dialog: Any) -> None:
        ui = dialog.ui
        ui.kindCombo.setCurrentIndex(ui.kindCombo.findData("district"))
        ui.districtCombo.setCurrentIndex(ui.districtCombo.findData("zhangqiu"))
        ui.nameEdit.setText("章丘区市场监督管理局")
        ui.contactEdit.setText("李四")
        dialog.accept()

    seen = on_modal(fill)
    window.after_start()
    assert seen == ["ProfileDialog"]
    unit = drafts.get_profile(ctx)
    assert unit is not None
    assert (unit.kind, unit.district, unit.name) == ("district", "zhangqiu", "章丘区市场监督管理局")
    sid = window.new_report()
    assert drafts.load_report(ctx, sid).unit.name == "章丘区市场监督管理局"
    seen_again = on_modal(lambda d: d.reject(), timeout_ms=300)
    window.after_start()
    qtbot.wait(400)
    assert seen_again == []


def test_first_start_can_be_skipped(qtbot: Any, ctx: Any, window: Any) -> None:
    texts: list[str] = []

    def skip(dialog: Any) -> None:
        texts.append(dialog.ui.buttonBox.button(QDialogButtonBox.StandardButton.Cancel).text())
        dialog.reject()

    seen = on_modal(skip)
    window.after_start()
    assert seen == ["ProfileDialog"]
    assert texts == ["暂时跳过"]
    assert drafts.get_profile(ctx) is None
    assert window.settings.profile_asked


def test_the_collector_stopped_for_the_start_runs_again_once_settled() -> None:
    """run_app stops the garbage collector while the window starts; settle_memory, run
    once the store is attached, freezes what the start made and lets it collect again."""
    import gc

    from qmclient.ui.app import settle_memory

    gc.disable()
    try:
        settle_memory()
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.enable()
