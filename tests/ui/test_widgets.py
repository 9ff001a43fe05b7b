"""The smaller parts: deadline widget, report list, activity dialog, settings, autosave."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QRect, Qt

from qmclient.core.campaign import Campaign
from qmclient.services import drafts, export_record
from qmclient.services.context import AppContext
from qmclient.ui.activity_dialog import NO_DATE, ActivityDialog
from qmclient.ui.autosave import AUTOSAVE_MS
from qmclient.ui.deadline_widget import DeadlineWidget
from qmclient.ui.settings_dialog import SettingsDialog
from qmclient.ui.submission_model import SubmissionModel

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def record_export(ctx: AppContext, sid: int, mails: int) -> None:
    """What a formal export leaves in the store: the revision frozen, the export recorded."""
    rev = drafts.freeze(ctx, sid)
    files = [Path("总结.docx"), *(Path(f"总结-{i}.eml") for i in range(1, mails + 1))]
    export_record.record(ctx, sid, rev.revision, rev.report_hash, files)


GOOD_CLOCK = dt.datetime(2026, 11, 20, 9, 0, tzinfo=SHANGHAI)


def test_deadline_widget_days_left_due_today_overdue_and_clock(
    qtbot: Any, campaign: Campaign
) -> None:
    w = DeadlineWidget("zh_CN")
    qtbot.addWidget(w)
    w.update_status(campaign, dt.datetime(2022, 9, 25, 12, 0, tzinfo=SHANGHAI), GOOD_CLOCK)
    assert "距截止还有 5 天" in w.label.text()
    # due today in Shanghai although it is still the 29th in UTC
    w.update_status(campaign, dt.datetime(2022, 9, 29, 17, 0, tzinfo=dt.UTC), GOOD_CLOCK)
    assert "今天截止" in w.label.text()
    w.update_status(campaign, dt.datetime(2022, 10, 3, 8, 0, tzinfo=SHANGHAI), GOOD_CLOCK)
    assert "已逾期 3 天" in w.label.text()
    assert w.clock_label.isHidden()
    w.update_status(campaign, GOOD_CLOCK, dt.datetime(2020, 1, 1, tzinfo=SHANGHAI))
    assert not w.clock_label.isHidden()
    assert "时钟" in w.clock_label.text()


def test_report_list_badges_sort_and_filter(qtbot: Any, ctx: AppContext, settings: Any) -> None:
    from qmclient.ui.main_window import MainWindow

    a = drafts.create_draft(ctx, title="甲公司总结")
    b = drafts.create_draft(ctx, title="乙公司总结")
    record_export(ctx, b, mails=3)
    c = drafts.create_draft(ctx, title="丙公司总结")
    for status in ("queued", "sending", "received"):
        drafts.set_status(ctx, c, status)
    now = dt.datetime(2022, 9, 27, 10, 0, tzinfo=SHANGHAI)
    window = MainWindow(ctx, settings, "zh_CN", clock=lambda: now)
    qtbot.addWidget(window)
    model = window.model
    badges = {
        model.rows[r].id: model.data(model.index(r, SubmissionModel.DEADLINE))
        for r in range(model.rowCount())
    }
    assert badges[a] == "剩 3 天"
    assert badges[b] == "剩 3 天"  # exported is not sent: the countdown goes on
    cell = model.index(model.row_of(b), SubmissionModel.STATUS)
    assert model.data(cell) == "草稿 · 已导出"  # the column is narrow; the tooltip has it all
    whole = model.data(cell, Qt.ItemDataRole.ToolTipRole)
    assert whole.startswith("草稿 · 已导出 ") and whole.endswith(" · 邮件 3 封")
    assert model.data(model.index(model.row_of(c), SubmissionModel.STATUS)) == "已送达"
    assert badges[c] == "已送达"  # only a received report says so
    colour = model.data(
        model.index(model.row_of(a), SubmissionModel.DEADLINE), Qt.ItemDataRole.ForegroundRole
    )
    assert colour.name() == "#ef6c00"
    window.ui.filterEdit.setText("乙公司")
    assert window.proxy.rowCount() == 1
    window.ui.filterEdit.clear()
    assert window.proxy.rowCount() == 3
    window.close()


def test_activity_dialog_values_and_empty_dates(qtbot: Any, campaign: Campaign) -> None:
    dialog = ActivityDialog(campaign, "zh_CN")
    qtbot.addWidget(dialog)
    ui = dialog.ui
    assert ui.focusCombo.count() == len(campaign.focus_areas) + 1
    assert ui.focusCombo.itemText(1).startswith("1. ")
    ui.focusCombo.setCurrentIndex(4)
    assert ui.focusHintLabel.text()  # the campaign's hint for that focus area
    ui.nameEdit.setText("  品牌培育座谈会  ")
    ui.startDateEdit.setDate(QDate(2022, 9, 10))
    ui.endDateEdit.setDate(QDate(2022, 9, 5))
    ui.startDateEdit.setDate(QDate(2022, 9, 12))  # the end date follows a later start
    values = dialog.values()
    assert values["focus_area"] == campaign.focus_areas[3].id
    assert values["name"] == "品牌培育座谈会"
    assert values["start_date"] == "2022-09-12" and values["end_date"] == "2022-09-12"
    assert values["participants"] == ""  # "not given"
    ui.endDateEdit.setDate(NO_DATE)
    assert dialog.values()["end_date"] == ""
    assert ui.endDateEdit.text() == "未填写"


def test_finding_on_an_activity_opens_the_dialog_at_the_field(
    qtbot: Any, ctx: AppContext, window: Any
) -> None:
    from ui_helpers import on_modal

    sid = window.new_report()
    drafts.add_activity(ctx, sid, {"name": "", "focus_area": "publicity"})
    window.editor.reload()
    findings = window.validate_now()
    missing = next(f for f in findings if f.code == "activity.name.missing")
    focused: list[str] = []

    def look(dialog: Any) -> None:
        focused.append(dialog.focusWidget().objectName())
        dialog.ui.nameEdit.setText("补上的活动名称")
        dialog.accept()

    seen = on_modal(look)
    window.jump_to(missing, open_editor=True)
    assert seen == ["ActivityDialog"]
    assert focused == ["nameEdit"]
    assert drafts.load_report(ctx, sid).activities[0].name == "补上的活动名称"
    assert not any(f.code == "activity.name.missing" for f in window.validate_now())


def test_settings_dialog_saves_language_and_folder(
    qtbot: Any, settings: Any, tmp_path: Path
) -> None:
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    assert dialog.ui.languageCombo.currentData() == "auto"
    dialog.ui.languageCombo.setCurrentIndex(dialog.ui.languageCombo.findData("en"))
    dialog.ui.dataDirEdit.setText(str(tmp_path / "elsewhere"))
    dialog.accept()
    assert settings.language == "en"
    assert settings.data_dir == str(tmp_path / "elsewhere")


def test_autosave_within_a_second_without_leaving_the_field(
    qtbot: Any, ctx: AppContext, window: Any
) -> None:
    from ui_helpers import type_text

    sid = window.new_report()
    summary = window.editor.ui.summaryEdit
    summary.setFocus()
    # within a second by design (the timer, not the wall clock of a busy test machine)
    assert window.editor.autosave.timer.interval() == AUTOSAVE_MS <= 1000
    type_text(qtbot, summary, "第一段文字")
    assert summary.hasFocus()  # saved without leaving the field
    qtbot.waitUntil(lambda: drafts.load_report(ctx, sid).summary == "第一段文字", timeout=10_000)
    assert summary.hasFocus()


def test_close_right_after_typing_loses_nothing(
    qtbot: Any, data_dir: Path, make_window: Any
) -> None:
    from ui_helpers import type_text

    from qmclient.services.context import open_context

    ctx = open_context(data_dir)
    window = make_window(ctx)
    sid = window.new_report()
    type_text(qtbot, window.editor.ui.titleEdit, "X")
    window.editor.ui.titleEdit.setText("")
    type_text(qtbot, window.editor.ui.titleEdit, "关闭前最后输入的标题")
    window.close()  # well within the 500 ms debounce
    assert drafts.load_report(ctx, sid).title == "关闭前最后输入的标题"
    ctx.close()


def test_editing_a_handed_in_report_starts_a_new_revision(
    qtbot: Any, ctx: AppContext, window: Any
) -> None:
    from ui_helpers import type_text

    sid = window.new_report()
    record_export(ctx, sid, mails=0)
    window.editor.load(sid)
    label = window.editor.ui.statusLabel.text()
    assert "草稿 · 已导出 " in label and "邮件" not in label and "第 2 版" in label
    type_text(qtbot, window.editor.ui.summaryEdit, "补充内容")
    window.editor.flush()
    assert drafts.load_report(ctx, sid).revision == 2
    assert drafts.status_of(ctx, sid) == "draft"
    assert "已导出 " in window.editor.ui.statusLabel.text()
    assert "（之后有修改）" in window.editor.ui.statusLabel.text()


def test_the_checks_note_is_never_cut_in_a_narrow_english_panel(
    qtbot: Any, ctx: AppContext
) -> None:
    """The note above the findings wraps to more lines in English; at any width of its
    dock it keeps the height of all its lines (it used to lose its first line)."""
    from PySide6.QtWidgets import QDockWidget, QMainWindow, QTextEdit

    from qmclient.ui.validation_panel import ValidationPanel

    sid = drafts.create_draft(ctx)
    findings = drafts.validate_submission(ctx, sid)
    assert sum(f.severity == "error" for f in findings) > 1
    main = QMainWindow()
    qtbot.addWidget(main)
    main.setCentralWidget(QTextEdit())
    dock = QDockWidget("Checks", main)
    panel = ValidationPanel("en_US")
    dock.setWidget(panel)
    main.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    main.resize(900, 300)
    main.show()
    qtbot.waitExposed(main)
    label = panel.ui.summaryLabel

    def needed() -> int:  # the text's height at the label's width, measured apart
        box = QRect(0, 0, label.width(), 10_000)
        flags = int(Qt.TextFlag.TextWordWrap)
        return label.fontMetrics().boundingRect(box, flags, label.text()).height()

    for shown in (None, findings, []):
        panel.show_findings(shown)
        for width in (140, 180, 240, 420, 140):
            main.resizeDocks([dock], [width], Qt.Orientation.Horizontal)
            qtbot.waitUntil(lambda w=width: abs(panel.width() - w) <= 30)
            qtbot.waitUntil(lambda: label.height() >= needed())
            line = label.fontMetrics().lineSpacing()
            if width == 140 and shown:
                assert needed() > 2 * line  # the case that was cut: a long note, narrow
            assert label.height() < needed() + 2 * line  # and no room kept for lines gone
            assert label.geometry().top() >= 0
            assert label.geometry().bottom() < panel.ui.findingsList.geometry().top()
