"""The real main window, driven offscreen: draft, fill, activities, media, captions,
checks, jump to a field, close, reopen on the same data folder and find it all."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from mediafactory import make_jpeg, make_mp4, make_png
from PIL import Image
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QLineEdit
from ui_helpers import drop_files, on_modal, type_text

from qmclient.services import drafts
from qmclient.services.context import open_context

SUMMARY = (
    "我公司按照《关于开展2022年“质量月”活动的通知》要求，成立了以总经理为组长的质量月活动"
    "领导小组，制定了活动方案，围绕“争创标杆开新局 质量强市促发展”主题，组织开展了质量"
    "宣传、质量培训、QC小组成果发布、质量开放日等系列活动，全员质量意识明显提升。"
)


def fill_activity(dialog: Any) -> None:
    ui = dialog.ui
    ui.focusCombo.setCurrentIndex(2)
    ui.nameEdit.setText("质量月启动仪式")
    ui.startDateEdit.setDate(QDate(2022, 9, 1))
    ui.placeEdit.setText("公司一楼报告厅")
    ui.organiserEdit.setText("质量管理部")
    ui.participantsSpin.setValue(120)
    ui.descriptionEdit.setPlainText("召开质量月动员大会，部署全月活动。")
    dialog.accept()


def test_draft_fill_attach_validate_jump_and_reopen(
    qtbot: Any, tmp_path: Path, data_dir: Path, make_window: Any
) -> None:
    ctx = open_context(data_dir)
    window = make_window(ctx)
    window.activateWindow()
    editor = window.editor
    ui = editor.ui

    # a new report from the keyboard shortcut's action
    window.ui.actionNewReport.trigger()
    sid = editor.submission_id
    assert sid is not None and window.model.rowCount() == 1
    assert window.ui.stack.currentWidget() is window.ui.editorPage

    # typing: real key events into the real fields, saved by the autosave timer
    ui.titleEdit.selectAll()
    type_text(qtbot, ui.titleEdit, "济南某某有限公司2022年质量月活动情况总结")
    type_text(qtbot, ui.summaryEdit, SUMMARY)
    type_text(qtbot, ui.nameEdit, "济南某某有限公司")
    type_text(qtbot, ui.contactEdit, "张三")
    type_text(qtbot, ui.phoneEdit, "0531-82568852")
    ui.kindCombo.setCurrentIndex(ui.kindCombo.findData("enterprise"))
    ui.districtCombo.setCurrentIndex(ui.districtCombo.findData("lixia"))
    qtbot.waitUntil(lambda: drafts.load_report(ctx, sid).summary == SUMMARY, timeout=2000)
    report = drafts.load_report(ctx, sid)
    assert report.title == "济南某某有限公司2022年质量月活动情况总结"
    assert report.unit.name == "济南某某有限公司"
    assert (report.unit.kind, report.unit.district) == ("enterprise", "lixia")
    assert report.unit.phone == "0531-82568852"

    # undo in a text field is the field's own
    type_text(qtbot, ui.emailEdit, "x")
    qtbot.keyClick(ui.emailEdit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert ui.emailEdit.text() == ""

    # an activity through the real dialog, opened by the menu action
    seen = on_modal(fill_activity)
    window.ui.actionAddActivity.trigger()
    assert seen == ["ActivityDialog"]
    report = drafts.load_report(ctx, sid)
    assert len(report.activities) == 1
    act = report.activities[0]
    assert act.name == "质量月启动仪式" and act.start_date == dt.date(2022, 9, 1)
    assert act.participants == 120 and act.focus_area
    assert window.editor.activities.rowCount() == 1

    # media dropped from the "file manager": a rotated JPEG, a PNG and an MP4
    jpeg = make_jpeg(tmp_path / "in" / "现场.jpg", (640, 480), orientation=6)
    png = make_png(tmp_path / "in" / "海报.png")
    mp4 = make_mp4(tmp_path / "in" / "视频.mp4", seconds=2.0)
    with qtbot.waitSignal(window.importer.finished, timeout=30_000) as done:
        assert drop_files(ui.mediaView.viewport(), [jpeg, png, mp4])
    result = done.args[1]
    assert len(result.added) == 3 and not result.failed
    assert editor.media.rowCount() == 3
    qtbot.waitUntil(
        lambda: all(editor.media.has_thumbnail(s) for s in editor.media.shas()), timeout=20_000
    )
    jpeg_sha = next(m.sha256 for m in editor.media.items if m.original_name == "现场.jpg")
    thumb = window.thumbnails.cache.cached(jpeg_sha)
    assert thumb is not None
    with Image.open(thumb) as im:
        assert im.height > im.width  # EXIF orientation 6 applied: portrait
        assert im.getpixel((im.width - 3, 3))[0] > 200  # the red corner is now top right
    video_row = next(i for i, m in enumerate(editor.media.items) if m.kind == "video")
    tooltip = editor.media.data(editor.media.index(video_row), Qt.ItemDataRole.ToolTipRole)
    assert "0:02" in tooltip

    # a caption typed in place, in the grid's own editor
    index = editor.media.index(editor.media.row_of(jpeg_sha))
    ui.tabs.setCurrentIndex(2)
    ui.mediaView.setCurrentIndex(index)
    ui.mediaView.edit(index)
    line = ui.mediaView.findChild(QLineEdit)
    assert line is not None
    line.setText("质量月启动仪式现场")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: (
            next(m.caption for m in drafts.load_report(ctx, sid).media if m.sha256 == jpeg_sha)
            == "质量月启动仪式现场"
        )
    )
    editor.assign_media([jpeg_sha], act.id)
    assert drafts.load_report(ctx, sid).media[0].activity_id == act.id

    # F5 checks; the credit code is missing; a click on the finding jumps to the field
    qtbot.keyClick(window, Qt.Key.Key_F5)
    codes = {(f.code, f.path) for f in window.findings}
    assert ("field.required", "unit.credit_code") in codes
    item = window.panel.item_for("field.required")
    assert item is not None
    target = next(
        window.panel.ui.findingsList.item(i)
        for i in range(window.panel.ui.findingsList.count())
        if getattr(
            window.panel.ui.findingsList.item(i).data(Qt.ItemDataRole.UserRole + 1), "path", ""
        )
        == "unit.credit_code"
    )
    view = window.panel.ui.findingsList
    view.scrollToItem(target)
    rect = view.visualItemRect(target)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert ui.tabs.currentIndex() == 0
    qtbot.waitUntil(lambda: window.focusWidget() is ui.creditCodeEdit)

    # the finding goes away once the field is right (live re-check)
    type_text(qtbot, ui.creditCodeEdit, "91350100M000100Y43")
    qtbot.waitUntil(
        lambda: (
            ("field.required", "unit.credit_code")
            not in {(f.code, f.path) for f in window.findings}
        ),
        timeout=3000,
    )

    # close (saving what is pending) and start again on the same data folder
    type_text(qtbot, ui.summaryEdit, "最后一句。")
    window.close()
    ctx.close()
    ctx2 = open_context(data_dir)
    again = make_window(ctx2)
    try:
        assert again.model.rowCount() == 1
        assert again.editor.submission_id == sid
        assert again.editor.ui.summaryEdit.toPlainText() == SUMMARY + "最后一句。"
        assert again.editor.ui.creditCodeEdit.text() == "91350100M000100Y43"
        assert again.editor.activities.rowCount() == 1
        captions = {m.original_name: m.caption for m in again.editor.media.items}
        assert captions["现场.jpg"] == "质量月启动仪式现场"
        assert len(captions) == 3
    finally:
        again.close()
        ctx2.close()
