"""The editor saves typing on the window's write executor (not on the GUI thread) and loses
nothing when a save is queued or under way; the views follow the store's announcements
with no refresh called by hand."""

from __future__ import annotations

import threading
from typing import Any

from qmclient.services import drafts
from qmclient.services.context import AppContext


def _type_title(qtbot: Any, window: Any, text: str) -> None:
    from ui_helpers import type_text

    type_text(qtbot, window.editor.ui.titleEdit, text)


def _new_report(window: Any) -> int:
    sid: int = window.new_report()
    window.editor.ui.titleEdit.clear()  # typing then replaces the default title
    window.editor.ui.titleEdit.setFocus()
    return sid


def _hold_writer(window: Any) -> threading.Event:
    """Keep the window's write executor busy until the returned event is set."""
    release = threading.Event()
    started = threading.Event()

    def block(_task: Any) -> None:
        started.set()
        assert release.wait(30)

    window.writer.run_task(block)
    assert started.wait(10)
    return release


def test_typing_is_saved_on_the_write_executor(qtbot: Any, ctx: AppContext, window: Any) -> None:
    sid = _new_report(window)
    writers: list[threading.Thread] = []
    stop = ctx.store.subscribe(
        lambda tables: (
            writers.append(threading.current_thread()) if "submission" in tables else None
        )
    )
    try:
        _type_title(qtbot, window, "后台保存的标题")
        # the listener runs after the commit, on the thread that wrote; the editor hears
        # that the save ended on the GUI thread after that
        qtbot.waitUntil(lambda: bool(writers) and not window.editor.pending)
    finally:
        stop()
    assert drafts.load_report(ctx, sid).title == "后台保存的标题"
    assert threading.main_thread() not in writers


def test_flush_takes_over_a_queued_save_and_the_older_text_never_lands(
    qtbot: Any, ctx: AppContext, window: Any
) -> None:
    sid = _new_report(window)
    release = _hold_writer(window)
    try:
        _type_title(qtbot, window, "A")
        qtbot.waitUntil(lambda: window.editor.autosave.state == "queued")
        _type_title(qtbot, window, "B")
        assert window.editor.flush()
        assert drafts.load_report(ctx, sid).title == "AB"
        assert window.editor.autosave.state == "idle" and not window.editor.pending
    finally:
        release.set()
    qtbot.waitUntil(lambda: not window.writer.busy())
    assert drafts.load_report(ctx, sid).title == "AB"  # the queued "A" was not written


def test_closing_while_a_save_runs_loses_nothing(
    qtbot: Any, ctx: AppContext, make_window: Any
) -> None:
    window = make_window(ctx)
    sid = _new_report(window)
    held, release = threading.Event(), threading.Event()

    def hold_the_store() -> None:  # the save starts and waits for the store's writer lock
        with ctx.store.write():
            held.set()
            release.wait(30)

    holder = threading.Thread(target=hold_the_store)
    holder.start()
    try:
        assert held.wait(10)
        _type_title(qtbot, window, "正在保存")
        qtbot.waitUntil(lambda: window.editor.autosave.state == "running")
        _type_title(qtbot, window, "时关闭")
    finally:
        release.set()
    window.close()  # waits for the save under way, then writes the rest
    holder.join(10)
    assert drafts.load_report(ctx, sid).title == "正在保存时关闭"


def test_views_follow_writes_from_anywhere(qtbot: Any, ctx: AppContext, window: Any) -> None:
    sid = window.new_report()
    # on the GUI thread: shown before the call returns
    drafts.add_activity(ctx, sid, {"name": "质量开放日", "focus_area": "publicity"})
    assert window.editor.activities.rowCount() == 1
    # from another thread (as background work writes): shown once announced
    worker = threading.Thread(target=drafts.update_fields, args=(ctx, sid, {"title": "别处改的"}))
    worker.start()
    worker.join(10)
    row = window.model.row_of(sid)
    qtbot.waitUntil(lambda: window.model.rows[row].title == "别处改的")


def test_undo_and_redo_show_in_the_editor(qtbot: Any, ctx: AppContext, window: Any) -> None:
    sid = window.new_report()
    drafts.add_activity(ctx, sid, {"name": "质量开放日", "focus_area": "publicity"})
    editor = window.editor
    editor.ui.activitiesView.selectRow(0)
    editor.remove_selected_activity()
    assert editor.activities.rowCount() == 0 and not drafts.load_report(ctx, sid).activities
    window.undo.undo()
    assert editor.activities.rowCount() == 1
    assert [a.name for a in drafts.load_report(ctx, sid).activities] == ["质量开放日"]
    window.undo.redo()
    assert editor.activities.rowCount() == 0


def test_an_older_background_check_does_not_replace_a_newer_one(
    qtbot: Any, ctx: AppContext, window: Any
) -> None:
    sid = window.new_report()  # a background check of the empty report starts
    assert window.checker.pool.waitForDone(10_000)  # read; its answer waits for the loop
    drafts.add_activity(ctx, sid, {"name": "质量开放日", "focus_area": "publicity"})
    newer = [f.code for f in window.validate_now()]
    qtbot.waitUntil(lambda: not window.checker.busy())  # the older answer arrives
    assert [f.code for f in window.findings] == newer
