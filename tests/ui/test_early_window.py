"""The window painted before the store is loaded: the list from the plain-sqlite3 look,
the deadline, actions that need the store held back, and nothing the user did in the
meantime lost when the store arrives."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from mediafactory import make_jpeg
from ui_helpers import drop_files

from qmclient.services import drafts
from qmclient.services.context import open_context
from qmclient.store.database import DB_NAME
from qmclient.store.glance import glance
from qmclient.ui.main_window import MainWindow
from qmclient.ui.submission_model import ID_ROLE

BEFORE_DEADLINE = dt.datetime(2022, 9, 20, 2, 0, tzinfo=dt.UTC)  # ten days to go


def test_early_window_then_attach_keeps_the_choice_and_the_drop(
    qtbot: Any, tmp_path: Path, settings: Any
) -> None:
    data = tmp_path / "data"
    ctx = open_context(data)
    ids = [drafts.create_draft(ctx, title=f"第{i}份报告") for i in range(3)]
    ctx.close()

    early = glance(data / DB_NAME)
    assert early is not None
    window = MainWindow(None, settings, "zh_CN", glance=early, clock=lambda: BEFORE_DEADLINE)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    ui = window.ui
    assert window.model.rowCount() == 3
    assert ui.stack.currentWidget() is ui.loadingPage
    assert not ui.actionNewReport.isEnabled() and not ui.actionAddMedia.isEnabled()
    assert ui.actionQuit.isEnabled() and ui.actionFind.isEnabled()
    assert "10" in window.deadline.label.text()  # ten days left, from the bundled campaign
    badge = window.model.index(0, window.model.DEADLINE).data()
    assert "10" in badge
    assert window.current_submission_id() is None and window.flush_edits()

    # the user searches, picks the oldest report and drops a photo, all before the store
    ui.filterEdit.setText("第0份")
    assert window.proxy.rowCount() == 1
    ui.submissionsView.setCurrentIndex(window.proxy.index(0, 0))
    assert window.proxy.index(0, 0).data(ID_ROLE) == ids[0]
    photo = make_jpeg(tmp_path / "early.jpg")
    assert drop_files(window, [photo])

    ctx = open_context(data)
    try:
        window.attach(ctx)
        assert ui.stack.currentWidget() is ui.editorPage
        assert window.current_submission_id() == ids[0]
        assert ui.actionNewReport.isEnabled() and ui.actionAddActivity.isEnabled()
        qtbot.waitUntil(lambda: not window.importer.busy(), timeout=30_000)
        qtbot.waitUntil(lambda: bool(drafts.load_report(ctx, ids[0]).media), timeout=30_000)
        assert [m.original_name for m in drafts.load_report(ctx, ids[0]).media] == ["early.jpg"]
        window.close()
    finally:
        ctx.close()


def _store_with_one_draft(tmp_path: Path) -> tuple[Path, int]:
    data = tmp_path / "data"
    ctx = open_context(data)
    sid = drafts.create_draft(ctx, title="一份")
    ctx.close()
    return data, sid


def _early_window(qtbot: Any, data: Path, settings: Any, *, editor: bool = True) -> MainWindow:
    window = MainWindow(None, settings, "zh_CN", glance=glance(data / DB_NAME))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    if editor:
        window.open_editor()  # what the app does right after the first paint
    return window


def test_closing_before_the_store_arrives_keeps_the_layout(
    qtbot: Any, tmp_path: Path, settings: Any
) -> None:
    data, _sid = _store_with_one_draft(tmp_path)
    window = _early_window(qtbot, data, settings, editor=False)
    window.resize(900, 700)
    assert window.close()
    assert settings.window_state("geometry") is not None


def test_the_editor_takes_typing_before_the_store_and_saves_it_after(
    qtbot: Any, tmp_path: Path, settings: Any
) -> None:
    """The editor opens on a plain-sqlite3 read; text typed in two reports before the store
    is attached is kept for each, shown again on coming back, and written once it is."""
    data = tmp_path / "data"
    ctx = open_context(data)
    older = drafts.create_draft(ctx, title="旧报告")
    newer = drafts.create_draft(ctx, title="新报告")
    drafts.update_fields(ctx, newer, {"summary": "新的总结"})
    ctx.close()

    window = _early_window(qtbot, data, settings)
    ui, editor = window.ui, window.editor
    assert ui.stack.currentWidget() is ui.editorPage
    assert window.current_submission_id() == newer
    assert editor.ui.titleEdit.text() == "新报告"
    assert editor.ui.summaryEdit.toPlainText() == "新的总结"
    assert "草稿" in editor.ui.statusLabel.text()
    assert not editor.ui.addActivityButton.isEnabled()  # writes at once: waits for the store
    assert not ui.actionNewReport.isEnabled()

    qtbot.keyClicks(editor.ui.titleEdit, " v2")
    ui.submissionsView.setCurrentIndex(window.proxy.index(1, 0))  # the older one
    assert window.current_submission_id() == older
    assert editor.ui.titleEdit.text() == "旧报告"
    editor.ui.summaryEdit.setPlainText("启动时写的总结")
    ui.submissionsView.setCurrentIndex(window.proxy.index(0, 0))
    assert editor.ui.titleEdit.text() == "新报告 v2"  # held, shown again
    assert not window.flush_edits()  # nothing can be written yet, and nothing is dropped

    ctx = open_context(data)
    try:
        window.attach(ctx)
        assert editor.ui.addActivityButton.isEnabled() and ui.actionNewReport.isEnabled()
        assert window.current_submission_id() == newer
        assert editor.ui.titleEdit.text() == "新报告 v2"
        qtbot.waitUntil(lambda: drafts.load_report(ctx, newer).title == "新报告 v2")
        qtbot.waitUntil(lambda: drafts.load_report(ctx, older).summary == "启动时写的总结")
        assert window.flush_edits()
        window.close()
    finally:
        ctx.close()


def test_closing_with_early_typing_waits_for_the_store_then_closes(
    qtbot: Any, tmp_path: Path, settings: Any
) -> None:
    data, sid = _store_with_one_draft(tmp_path)
    window = _early_window(qtbot, data, settings)
    qtbot.keyClicks(window.editor.ui.titleEdit, " A")
    assert not window.close()  # refused for now: the text is not in the store yet
    assert window.isVisible()
    ctx = open_context(data)
    try:
        window.attach(ctx)
        qtbot.waitUntil(lambda: not window.isVisible())
        assert drafts.load_report(ctx, sid).title == "一份 A"
    finally:
        ctx.close()


def test_the_early_editor_does_not_load_the_database_layer(tmp_path: Path) -> None:
    """What makes the editor quick to open: SQLAlchemy is not imported on the way to it."""
    import os
    import subprocess
    import sys

    data, _sid = _store_with_one_draft(tmp_path)
    script = f"""
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from qmclient.store.glance import glance
from qmclient.ui.main_window import MainWindow
from qmclient.ui.settings import AppSettings
app = QApplication([])
window = MainWindow(None, AppSettings(), "zh_CN", glance=glance(Path({str(data / DB_NAME)!r})))
window.open_editor()
assert window.editor.ui.titleEdit.text() == "一份", window.editor.ui.titleEdit.text()
print(sorted(m for m in sys.modules if m.split(".")[0] == "sqlalchemy")[:3])
"""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "cfg"))
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]", done.stdout
