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


def test_closing_before_the_store_arrives_keeps_the_layout(
    qtbot: Any, tmp_path: Path, settings: Any
) -> None:
    data = tmp_path / "data"
    ctx = open_context(data)
    drafts.create_draft(ctx, title="一份")
    ctx.close()
    window = MainWindow(None, settings, "zh_CN", glance=glance(data / DB_NAME))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.resize(900, 700)
    assert window.close()
    assert settings.window_state("geometry") is not None
