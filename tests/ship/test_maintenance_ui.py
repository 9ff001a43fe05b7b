"""The set-up, backup, restore and diagnostics actions in the real main window (offscreen)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from mediafactory import make_jpeg
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWizard

from qmclient.services import drafts
from qmclient.services.backup import check_archive
from qmclient.services.context import AppContext, open_context
from qmclient.ui.first_run import FirstRunWizard
from qmclient.ui.maintenance import Maintenance, restart_command
from qmclient.ui.settings import AppSettings

_POLLERS: list[list[int]] = []


@pytest.fixture(autouse=True)
def _stop_pollers():  # type: ignore[no-untyped-def]
    yield
    for tries in _POLLERS:  # no poller outlives its test (it would grab the next one's dialog)
        tries[0] = 0
    _POLLERS.clear()


def when_modal(qtbot: Any, handle: Callable[[Any], None], timeout_ms: int = 5000) -> list[str]:
    """Call ``handle(dialog)`` on the next modal dialog; returns the texts it showed."""
    seen: list[str] = []
    tries = [timeout_ms // 20]
    _POLLERS.append(tries)

    def poll() -> None:
        if tries[0] <= 0:
            return
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            tries[0] -= 1
            QTimer.singleShot(20, poll)
            return
        tries[0] = 0
        seen.append(dialog.text() if isinstance(dialog, QMessageBox) else dialog.windowTitle())
        handle(dialog)

    QTimer.singleShot(0, poll)
    return seen


@pytest.fixture
def window(qtbot: Any, ctx: AppContext, tmp_path: Path) -> Any:
    from qmclient.ui.main_window import MainWindow

    settings = AppSettings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    w = MainWindow(ctx, settings, "zh_CN")
    qtbot.addWidget(w)
    w.show()
    return w


@pytest.fixture
def maint(window: Any, ctx: AppContext) -> Maintenance:
    m = Maintenance(window, ctx, "zh_CN", None, window.flush_edits)
    m.install()
    m.restarted = []  # type: ignore[attr-defined]
    m.restart = m.restarted.append  # type: ignore[attr-defined]
    return m


def test_actions_are_in_the_menus(window: Any, maint: Maintenance) -> None:
    file_actions = window.ui.menuFile.actions()
    help_actions = window.ui.menuHelp.actions()
    assert maint.actions["backup"] in file_actions and maint.actions["restore"] in file_actions
    assert file_actions.index(maint.actions["restore"]) < file_actions.index(window.ui.actionQuit)
    assert maint.actions["setup"] in help_actions and maint.actions["diagnostics"] in help_actions


def test_backup_then_restore_from_the_menu(
    qtbot: Any, maint: Maintenance, ctx: AppContext, tmp_path: Path
) -> None:
    sid = drafts.create_draft(ctx, title="备份前的报告")
    drafts.attach_files(ctx, sid, [make_jpeg(tmp_path / "a.jpg")])
    archive = tmp_path / "备份.zip"
    task = maint.back_up(str(archive))
    assert task is not None
    qtbot.waitUntil(lambda: task.done, timeout=20_000)
    assert check_archive(archive).files == 2
    assert "备份" in maint.window.statusBar().currentMessage() or "Backed up" in (
        maint.window.statusBar().currentMessage()
    )

    drafts.create_draft(ctx, title="备份后的报告")
    maint.restore(str(archive), confirm=False)
    qtbot.waitUntil(lambda: bool(maint.restarted), timeout=20_000)  # type: ignore[attr-defined]
    assert maint.restarted == [ctx.data_dir]  # type: ignore[attr-defined]
    again = open_context(ctx.data_dir)
    try:
        assert [r.title for r in drafts.list_submissions(again)] == ["备份前的报告"]
    finally:
        again.close()


def test_a_broken_backup_is_refused_with_a_message(
    qtbot: Any, maint: Maintenance, ctx: AppContext, tmp_path: Path
) -> None:
    drafts.create_draft(ctx, title="保留")
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    seen = when_modal(qtbot, lambda d: d.accept())
    maint.restore(str(bad), confirm=False)
    qtbot.waitUntil(lambda: bool(seen), timeout=20_000)
    assert "不是可用的 qmclient 备份" in seen[0] and "数据未作任何改动" in seen[0]
    assert maint.restarted == []  # type: ignore[attr-defined]
    assert [r.title for r in drafts.list_submissions(ctx)] == ["保留"]


def test_tidy_prunes_old_unused_files_in_the_background(
    qtbot: Any, maint: Maintenance, ctx: AppContext, tmp_path: Path
) -> None:
    import os
    import time

    from mediafactory import make_jpeg

    loose = ctx.media.put(make_jpeg(tmp_path / "loose.jpg", seed=9))  # stored, never recorded
    fresh = ctx.media.put(make_jpeg(tmp_path / "fresh.jpg", seed=10))
    day_ago = time.time() - 30 * 3600
    os.utime(loose.path, (day_ago, day_ago))
    task = maint.tidy()
    qtbot.waitUntil(lambda: task.done, timeout=20_000)
    assert not loose.path.exists()
    assert fresh.path.exists()  # may belong to an import still running elsewhere


def test_copy_diagnostics(qtbot: Any, maint: Maintenance) -> None:
    QApplication.clipboard().setText("")
    task = maint.copy_diagnostics()
    qtbot.waitUntil(lambda: task.done, timeout=20_000)
    text = QApplication.clipboard().text()
    assert "integrity: ok" in text and "sqlite:" in text


def test_first_start_shows_the_wizard_once(qtbot: Any, maint: Maintenance, window: Any) -> None:
    def later(dialog: Any) -> None:
        assert isinstance(dialog, FirstRunWizard)
        dialog.button(QWizard.WizardButton.CustomButton1).click()

    seen = when_modal(qtbot, later)
    maint.first_start()
    assert seen and window.settings.profile_asked
    shown_again = when_modal(qtbot, later, timeout_ms=300)
    maint.first_start()  # skipped once: not asked again at every start
    qtbot.wait(400)
    assert shown_again == []


def test_restart_command_names_this_program(tmp_path: Path) -> None:
    program, args = restart_command(tmp_path, "zh_CN")
    assert args[-4:] == ["--data-dir", str(tmp_path), "--lang", "zh"]
    assert Path(program).exists()


def test_proxy_dialog_sets_and_refuses(qtbot: Any, ctx: AppContext) -> None:
    from qmclient.services.network import http_proxy, load_proxy
    from qmclient.ui.proxy_dialog import ProxyDialog

    d = ProxyDialog(ctx, "zh_CN")
    qtbot.addWidget(d)
    assert d.ui.systemRadio.isChecked() and not d.ui.addressEdit.isEnabled()
    d.ui.manualRadio.setChecked(True)
    d.ui.addressEdit.setText("http://user:pw@proxy:8080")
    d.accept()
    assert "钥匙串" in d.ui.problemLabel.text() and load_proxy(ctx).mode == "system"
    d.ui.addressEdit.setText("proxy.example.cn:3128")
    d.accept()
    assert d.result() == ProxyDialog.DialogCode.Accepted
    assert http_proxy(ctx) == "http://proxy.example.cn:3128"
    again = ProxyDialog(ctx, "zh_CN")
    qtbot.addWidget(again)
    assert again.ui.manualRadio.isChecked()
    assert again.ui.addressEdit.text() == "http://proxy.example.cn:3128"
    again.ui.systemRadio.setChecked(True)
    again.accept()
    assert http_proxy(ctx) is None
    assert load_proxy(ctx).url == "http://proxy.example.cn:3128"  # remembered for next time


def test_proxy_action_is_in_the_file_menu(window: Any, maint: Maintenance) -> None:
    actions = window.ui.menuFile.actions()
    assert actions.index(maint.actions["proxy"]) == actions.index(window.ui.actionSettings) + 1
