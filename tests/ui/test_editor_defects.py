"""The rough edges a new user met in the editor, each pinned by a test."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

from mediafactory import make_jpeg
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication
from ui_helpers import drop_files

sys.path.insert(0, str(Path(__file__).parents[1] / "export"))

from qmclient.services import drafts
from qmclient.services.context import AppContext


def test_every_window_shortcut_is_bound_once(window: Any) -> None:
    """Ctrl+E was both 编辑活动 and 导出报告: Qt calls that ambiguous and does neither."""
    from qmclient.ui.coordinator import install as install_coordinator
    from qmclient.ui.export_dialog import install_export
    from qmclient.ui.sending import install_sending

    install_export(window)
    install_coordinator(window)
    install_sending(window)
    seen: dict[str, str] = {}
    for action in window.findChildren(QAction):
        if action.shortcutContext() == Qt.ShortcutContext.WidgetWithChildrenShortcut:
            continue  # bound to one widget, not the window
        for text in {key.toString() for key in action.shortcuts()}:
            assert text not in seen, f"{text}: {seen[text]} and {action.text()}"
            seen[text] = action.text()
    assert window.exporting.action.shortcut() == QKeySequence("Ctrl+E")
    assert window.ui.actionEditActivity.shortcut() == QKeySequence("Ctrl+Shift+E")


def test_a_file_dropped_on_the_summary_is_added_not_typed(
    qtbot: Any, window: Any, ctx: AppContext, tmp_path: Path
) -> None:
    sid = window.new_report()
    summary = window.editor.ui.summaryEdit
    summary.setPlainText("已写好的总结。")
    photo = make_jpeg(tmp_path / "技能比武现场.jpg", (320, 240))
    assert drop_files(summary.viewport(), [photo])
    assert summary.toPlainText() == "已写好的总结。"  # no file:/// URL typed in
    qtbot.waitUntil(lambda: len(drafts.load_report(ctx, sid).media) == 1, timeout=20_000)
    assert drafts.load_report(ctx, sid).media[0].original_name == "技能比武现场.jpg"


def test_the_end_date_can_be_typed_and_its_calendar_opens_on_the_start(
    qtbot: Any, ctx: AppContext
) -> None:
    from qmclient.ui.activity_dialog import NO_DATE, ActivityDialog

    dialog = ActivityDialog(ctx.campaigns.default(), "zh_CN")
    qtbot.addWidget(dialog)
    dialog.show()
    ui = dialog.ui
    ui.startDateEdit.setDate(QDate(2022, 9, 13))
    end = ui.endDateEdit
    assert end.date() == NO_DATE  # not set yet
    end.setFocus()
    QApplication.sendEvent(end, _focus_in())
    assert end.date() == QDate(2022, 9, 13)
    assert end.calendarWidget().selectedDate() == QDate(2022, 9, 13)  # not January 2000
    qtbot.waitUntil(lambda: end.currentSection() == end.Section.DaySection)
    qtbot.keyClicks(end, "15")  # the day is what one types
    assert end.date() == QDate(2022, 9, 15)
    assert dialog.values()["end_date"] == dt.date(2022, 9, 15).isoformat()


def _focus_in() -> Any:
    from PySide6.QtGui import QFocusEvent

    return QFocusEvent(QFocusEvent.Type.FocusIn, Qt.FocusReason.TabFocusReason)


def test_adding_one_big_video_shows_its_bytes(
    qtbot: Any, window: Any, ctx: AppContext, tmp_path: Path
) -> None:
    """It said "正在添加第 0 个，共 0 个" at 0 % until the video was in."""
    from mediafactory import make_mp4

    sid = window.new_report()
    video = make_mp4(tmp_path / "技能比武全程录像.mp4", seconds=1.0)
    with open(video, "ab") as fh:  # an MP4 "free" box: a valid, larger video
        pad = 12 * 2**20
        fh.write((pad + 8).to_bytes(4, "big") + b"free" + b"\0" * pad)
    importer = window.importer
    shown: list[tuple[str, int, int]] = []
    importer.started.connect(lambda _sid: shown.append((importer.progress.label.text(), 0, 0)))
    importer.copying.connect(
        lambda _sid, _name, done, size: shown.append(
            (importer.progress.label.text(), importer.progress.bar.value(), done * 1000 // size)
        )
    )
    window.import_paths([video])
    qtbot.waitUntil(lambda: len(drafts.load_report(ctx, sid).media) == 1, timeout=30_000)
    assert shown and not any("第 0 个" in text for text, _v, _w in shown), shown
    assert "准备" in shown[0][0], shown
    # the copying of the one file is reported part by part (the bar is redrawn from these
    # at most every 100 ms), and the status line names the file and its bytes
    parts = [w for _t, _v, w in shown[1:]]
    assert len([w for w in parts if 0 < w < 1000]) >= 3, parts
    copying = [s for s in shown[1:] if "技能比武全程录像.mp4" in s[0]]
    assert copying
    assert any("MB" in text for text, _v, _w in copying)


def test_undo_replaces_the_undo_hint(qtbot: Any, window: Any, ctx: AppContext) -> None:
    sid = window.new_report()
    drafts.add_activity(ctx, sid, {"name": "质量开放日", "focus_area": "publicity"})
    assert window.editor.activities.rowCount() == 1  # the editor heard of it
    window.editor.ui.activitiesView.selectRow(0)
    window.editor.remove_selected_activity()
    assert "Ctrl+Z" in window.statusBar().currentMessage()
    window.undo.undo()
    assert drafts.load_report(ctx, sid).activities  # it is back
    message = window.statusBar().currentMessage()
    assert "Ctrl+Z" not in message and "已撤销" in message and "质量开放日" in message
    window.undo.redo()
    assert "Ctrl+Z" not in window.statusBar().currentMessage()


def test_delete_report_asks_with_no_as_default(qtbot: Any, window: Any, ctx: AppContext) -> None:
    from PySide6.QtWidgets import QMessageBox
    from ui_helpers import on_modal

    sid = window.new_report()
    default: list[Any] = []

    def answer(box: Any) -> None:
        default.append(box.defaultButton() is box.button(QMessageBox.StandardButton.No))
        box.defaultButton().click()  # Enter: what the default does

    assert on_modal_seen(on_modal(answer), window.delete_report) == ["QMessageBox"]
    assert default == [True]
    assert drafts.load_report(ctx, sid) is not None  # Enter kept it


def on_modal_seen(seen: list[str], act: Any) -> list[str]:
    act()
    return seen


def test_the_wizard_starts_with_enterprise(qtbot: Any, ctx: AppContext) -> None:
    from qmclient.ui.first_run import FirstRunWizard

    wizard = FirstRunWizard(ctx, "zh_CN")
    qtbot.addWidget(wizard)
    assert wizard.ui.kindCombo.currentData() == "enterprise"
    assert wizard.ui.kindCombo.currentText() == "企业"


def test_unit_fields_are_not_cut_off_by_long_english_labels(
    qtbot: Any, window: Any, ctx: AppContext, tmp_path: Path
) -> None:
    """In the English UI "Unified social credit code" left the fields a few characters
    wide; now a field keeps room for an 18-character code and the label goes above it."""
    from sample import UNIT

    drafts.save_profile(ctx, UNIT)
    sid = drafts.create_draft(ctx)
    window.resize(1100, 720)
    window.refresh_list(select=sid)
    ui = window.editor.ui
    for label, text in (
        (ui.kindLabel, "Unit type"),
        (ui.districtLabel, "District"),
        (ui.nameLabel, "Unit name"),
        (ui.creditCodeLabel, "Unified social credit code"),
        (ui.contactLabel, "Contact person"),
        (ui.phoneLabel, "Phone"),
        (ui.emailLabel, "E-mail"),
    ):
        label.setText(text)
    ui.tabs.setCurrentIndex(0)
    QApplication.processEvents()
    code = ui.creditCodeEdit
    assert code.text() == UNIT.credit_code
    needed = code.fontMetrics().horizontalAdvance(UNIT.credit_code)
    for field in (ui.creditCodeEdit, ui.phoneEdit, ui.contactEdit, ui.kindCombo):
        assert field.width() > needed, field.objectName()
