"""The Export dialog: a preview before anything is written, a real export in the
background, cancel leaving nothing behind, and the report marked exported."""

from __future__ import annotations

import email
from pathlib import Path
from typing import Any

from mediafactory import make_jpeg, make_mp4
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox

from qmclient.core.report import Unit
from qmclient.services import drafts, export_record
from qmclient.services.context import AppContext
from qmclient.ui.export_dialog import install_export

SUMMARY = "按照市质量强市办统一部署，公司开展了形式多样的质量月活动。" * 5


def _draft(ctx: AppContext, tmp_path: Path, photos: int = 3) -> int:
    drafts.save_profile(
        ctx,
        Unit(
            name="济南某某有限公司",
            kind="enterprise",
            district="lixia",
            credit_code="91350100M000100Y43",
            contact_person="张三",
            phone="0531-82568852",
        ),
    )
    sid = drafts.create_draft(ctx)
    drafts.update_fields(ctx, sid, {"summary": SUMMARY})
    act = drafts.add_activity(
        ctx,
        sid,
        {
            "name": "质量月启动仪式",
            "focus_area": "publicity",
            "start_date": "2022-09-01",
            "participants": "120",
            "description": "举行启动仪式",
        },
    )
    files = [make_jpeg(tmp_path / "in" / f"{i}.jpg", (1600, 1200), seed=i) for i in range(photos)]
    files.append(make_mp4(tmp_path / "in" / "v.mp4", seconds=1.0))
    drafts.attach_files(ctx, sid, files, activity_id=act, caption="启动仪式现场")
    return sid


def _open(window: Any, sid: int, folder: Path) -> Any:
    menu = install_export(window)
    assert menu.action.shortcut() == QKeySequence("Ctrl+E")
    window.refresh_list(select=sid)
    dialog = menu.open_dialog()
    assert dialog is not None
    dialog.ui.folderEdit.setText(str(folder))
    return dialog


def _export(dialog: Any) -> None:
    """Click Export and confirm the warnings (the report is overdue today) if asked."""
    dialog.ui.exportButton.click()
    box = dialog.warning_box
    if box is not None and box.isVisible():
        assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
        box.button(QMessageBox.StandardButton.Yes).click()


def test_preview_then_export_everything(
    qtbot: Any, window: Any, ctx: AppContext, tmp_path: Path
) -> None:
    sid = _draft(ctx, tmp_path)
    out = tmp_path / "导出"
    dialog = _open(window, sid, out)
    tree = dialog.ui.previewTree
    qtbot.waitUntil(lambda: tree.topLevelItemCount() >= 4, timeout=20_000)
    names = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert any(n.endswith(".docx") for n in names) and any(n.endswith(".eml") for n in names)
    assert not out.exists()  # the preview writes nothing
    qtbot.waitUntil(lambda: dialog.last_plan is not None, timeout=20_000)
    planned = {f.path.name: f.size for f in dialog.last_plan.files if f.kind != "package"}

    _export(dialog)
    assert dialog.warning_box is not None  # the deadline has passed: a warning, confirmed once
    qtbot.waitUntil(
        lambda: dialog.last_result is not None or dialog.last_error is not None, timeout=60_000
    )
    assert dialog.last_error is None, dialog.last_error
    written = sorted(p.name for p in out.rglob("*") if p.is_file())
    assert any(n.endswith(".docx") for n in written)
    assert any(n.endswith(".xlsx") for n in written)
    assert any(n.endswith(".qmpkg") for n in written)
    mails = sorted((out / "邮件").glob("*.eml"))
    assert mails
    first = email.message_from_bytes(mails[0].read_bytes())
    assert "质量月" in str(email.header.make_header(email.header.decode_header(first["Subject"])))
    assert "已将" in dialog.ui.messageLabel.text()
    # the preview's figures are the figures written (the package is an estimate)
    written_sizes = {p.name: p.stat().st_size for p in out.rglob("*") if p.is_file()}
    assert planned == {name: written_sizes[name] for name in planned}
    assert len(dialog.last_plan.mail_parts) == len(mails)
    assert dialog.ui.openFolderButton.isVisible()
    assert drafts.status_of(ctx, sid) == "draft"  # exported is not sent
    note = export_record.latest(ctx, sid)
    assert note is not None and note.mail_count == len(mails)
    row = window.model.rows[window.model.row_of(sid)]
    assert row.export_mails == len(mails)
    cell = window.model.index(window.model.row_of(sid), 1)
    assert window.model.data(cell) == "草稿 · 已导出"
    status = window.model.data(cell, Qt.ItemDataRole.ToolTipRole)
    assert status.startswith("草稿 · 已导出 ") and f"邮件 {len(mails)} 封" in status
    assert status in window.statusBar().currentMessage()  # the same words, after the export
    assert window.settings.export_folder == str(out)
    dialog.reject()


def test_cancel_leaves_no_file(qtbot: Any, window: Any, ctx: AppContext, tmp_path: Path) -> None:
    sid = _draft(ctx, tmp_path, photos=12)
    out = tmp_path / "out"
    dialog = _open(window, sid, out)
    _export(dialog)
    dialog.cancel_export()
    qtbot.waitUntil(
        lambda: dialog.last_result is not None or dialog.last_error is not None, timeout=60_000
    )
    assert getattr(dialog.last_error, "code", "") == "cancelled", dialog.last_error
    assert not [p for p in out.rglob("*") if p.is_file()]
    assert drafts.status_of(ctx, sid) == "draft"
    assert "未写入" in dialog.ui.messageLabel.text()
    dialog.reject()


def test_nothing_chosen_disables_export(
    qtbot: Any, window: Any, ctx: AppContext, tmp_path: Path
) -> None:
    sid = _draft(ctx, tmp_path, photos=1)
    dialog = _open(window, sid, tmp_path / "x")
    for box in (
        dialog.ui.docxCheck,
        dialog.ui.xlsxCheck,
        dialog.ui.emlCheck,
        dialog.ui.packageCheck,
    ):
        box.setChecked(False)
    assert not dialog.ui.exportButton.isEnabled()
    dialog.ui.xlsxCheck.setChecked(True)
    assert dialog.ui.exportButton.isEnabled()
    assert not dialog.ui.mailBox.isEnabled()  # mail options only matter for mails
    dialog.reject()


def test_an_unwritable_folder_is_named(
    qtbot: Any, window: Any, ctx: AppContext, tmp_path: Path
) -> None:
    sid = _draft(ctx, tmp_path, photos=1)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    dialog = _open(window, sid, blocker / "sub")
    dialog.ui.emlCheck.setChecked(False)
    _export(dialog)
    qtbot.waitUntil(
        lambda: dialog.last_error is not None or dialog.last_result is not None, timeout=60_000
    )
    assert dialog.last_error is not None
    assert dialog.ui.messageLabel.text()
    assert drafts.status_of(ctx, sid) == "draft"
    dialog.reject()


def test_errors_block_export_until_a_draft_is_asked_for(
    qtbot: Any, window: Any, ctx: AppContext, tmp_path: Path
) -> None:
    sid = _draft(ctx, tmp_path, photos=1)
    drafts.update_fields(ctx, sid, {"unit.phone": "1380531123"})
    out = tmp_path / "out"
    dialog = _open(window, sid, out)
    qtbot.waitUntil(lambda: dialog.last_plan is not None, timeout=20_000)
    assert [f.code for f in dialog.last_plan.blockers] == ["unit.phone.invalid"]
    assert not dialog.ui.exportButton.isEnabled()
    assert "联系电话格式不正确" in dialog.ui.messageLabel.text()
    assert dialog.ui.goToProblemButton.isVisible() and dialog.ui.draftCheck.isVisible()
    dialog.ui.draftCheck.setChecked(True)
    assert dialog.ui.exportButton.isEnabled()
    dialog.ui.exportButton.click()  # a draft asks no confirmation
    qtbot.waitUntil(
        lambda: dialog.last_result is not None or dialog.last_error is not None, timeout=60_000
    )
    assert dialog.last_error is None, dialog.last_error
    assert drafts.status_of(ctx, sid) == "draft"  # a draft export is not "exported"
    assert "草稿" in dialog.ui.messageLabel.text()
    # go to the first problem: the dialog closes, the phone field has the focus
    dialog.go_to_first_problem()
    assert not dialog.isVisible()
    phone = window.editor._field_widgets()["unit.phone"]
    assert window.focusWidget() is phone
