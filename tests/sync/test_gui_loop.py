"""The whole loop in the window against a real qmintake on 127.0.0.1: open the office's
.qmconnect file, send, the office returns the report with its own command, the banner
shows the comment, one click opens revision 2, send again, receipt 2; and the same for a
report the district uploaded on the enterprise's behalf.

With ``QMCLIENT_SCREENSHOTS=DIR`` the dialog, the banner and the list are saved there.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from reports import ready_submission
from test_gui_sending import on_modal, press, window  # noqa: F401  (a fixture)

from qmclient.core import lifecycle
from qmclient.services import connection, drafts, inbox_import, outbox
from qmclient.services.context import AppContext, open_context
from qmclient.services.packages import export_package
from qmclient.store.models import Submission

SHOTS = os.environ.get("QMCLIENT_SCREENSHOTS", "")


def shot(widget: QWidget, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(SHOTS) / name))


def qmconnect(path: Path, endpoint: str, token: str) -> Path:
    doc = {
        "format": "qmconnect",
        "version": 1,
        "endpoint": endpoint,
        "token": token,
        "campaign_id": "jinan-2022-quality-month",
        "office": "济南市质量强市及品牌战略推进工作领导小组办公室",
        "unit": {"name": "济南某某有限公司", "kind": "enterprise", "district": "lixia"},
    }
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def connect_through_dialog(qtbot: Any, win: Any, file: Path) -> None:
    """Open the dialog as a double-click on the file would, press Connect, then Done."""
    from qmclient.ui.connect_dialog import ConnectDialog

    state: dict[str, Any] = {}

    def handle(dialog: QWidget) -> None:
        assert isinstance(dialog, ConnectDialog)
        state["dialog"] = dialog
        assert dialog.ui.codeEdit.text().startswith("qmt_")  # filled from the file
        dialog.ok_button.click()

        def wait_done() -> None:
            if dialog.checked is None:
                if dialog.ui.problemLabel.text():
                    state["problem"] = dialog.ui.problemLabel.text()
                    dialog.reject()
                    return
                QTimer.singleShot(50, wait_done)
                return
            state["result"] = dialog.ui.resultLabel.text()
            shot(dialog, "connect-dialog-zh_CN.png")
            dialog.ok_button.click()

        QTimer.singleShot(50, wait_done)

    on_modal(handle)
    assert win.sending.connect_server(file), state.get("problem")
    assert "济南某某有限公司" in state["result"]


def submit(qtbot: Any, win: Any, ctx: AppContext, sid: int) -> None:
    win.refresh_list(select=sid)
    win.select_submission(sid)
    seen = on_modal(press(QMessageBox.StandardButton.Yes))  # late under 2022: one question
    assert win.sending.submit()
    assert seen and "逾期" in seen[0]
    qtbot.waitUntil(lambda: drafts.status_of(ctx, sid) == lifecycle.RECEIVED, timeout=60000)
    qtbot.waitUntil(lambda: not win.sending.running, timeout=10000)
    # the receipt of what the user sent opens by itself
    dialog = win.sending.receipt_dialog
    assert dialog is not None and dialog.isVisible() and dialog.submission_id == sid
    receipt = outbox.receipt_of(ctx, sid)
    assert receipt is not None and receipt["receipt_number"] in dialog.number_label.text()
    dialog.close()


def uuid_of(ctx: AppContext, sid: int) -> str:
    with ctx.store.read() as s:
        sub = s.get(Submission, sid)
        assert sub is not None
        return sub.uuid


def wait_for_banner(qtbot: Any, win: Any, words: str) -> None:
    watcher = win.sending.verdicts
    watcher.poll()
    qtbot.waitUntil(lambda: words in watcher.banner.label.text(), timeout=30000)
    assert watcher.banner.isVisible()


def test_the_whole_loop_in_the_window(
    qtbot: Any,
    window: Any,  # noqa: F811
    ctx: AppContext,
    intake: Any,
    memory_keyring: Any,
    tmp_path: Path,
) -> None:
    file = qmconnect(tmp_path / "济南某某有限公司.qmconnect", intake.base_url, intake.unit_token())
    connect_through_dialog(qtbot, window, file)
    assert connection.state(ctx).connected
    menu = window.sending.menu
    menu.popup(window.mapToGlobal(window.rect().topLeft()))
    qtbot.waitUntil(menu.isVisible)
    assert menu.actions()[0].text().startswith("连接报送服务器")
    shot(menu, "menu-send-zh_CN.png")
    menu.hide()

    sid = ready_submission(ctx, tmp_path / "src")
    submit(qtbot, window, ctx, sid)
    first = outbox.receipt_of(ctx, sid)
    assert first is not None and first["revision"] == 1

    intake.cli("return", uuid_of(ctx, sid), "--comment", "请补充活动照片的说明文字")
    window.select_submission(sid)
    wait_for_banner(qtbot, window, "请补充活动照片的说明文字")
    assert drafts.status_of(ctx, sid) == lifecycle.RETURNED
    shot(window, "banner-returned-zh_CN.png")
    banner = window.sending.verdicts.banner
    assert "。办公室意见：请补充活动照片的说明文字" in banner.label.text()  # no space after 。
    assert "第 2 版" in banner.button.text()
    banner.button.click()  # one click: revision 2, editable
    assert drafts.status_of(ctx, sid) == lifecycle.DRAFT
    assert drafts.load_report(ctx, sid).revision == 2
    assert "第 2 版" in banner.label.text()  # "you are editing revision 2"

    drafts.update_fields(ctx, sid, {"summary": drafts.load_report(ctx, sid).summary + "补充。"})
    submit(qtbot, window, ctx, sid)
    second = outbox.receipt_of(ctx, sid)
    assert second is not None and second["revision"] == 2
    # the editor and the banner follow: revision 2 received, nothing returned any more
    qtbot.waitUntil(lambda: "已送达 · 第 2 版" in window.editor.ui.statusLabel.text())
    qtbot.waitUntil(lambda: second["receipt_number"] in banner.label.text())
    assert "已送达" in banner.label.text() and not banner.button.isVisible()
    assert second["receipt_number"] != first["receipt_number"]
    # the receipt dialog, opened from the report: receipt 2 with its signature checked
    banner.receipt_button.click()
    dialog = window.sending.receipt_dialog
    assert dialog.isVisible() and second["receipt_number"] in dialog.number_label.text()
    assert "签名有效" in dialog.signature_label.text()
    assert dialog.check is not None and dialog.check.key_id in dialog.signature_label.text()
    assert "逾期" in dialog.timing_label.text()  # sent in 2026 for a 2022 deadline
    body = dialog.body.toPlainText()
    assert second["report_sha256"] in body
    for f in second["files"]:
        assert f["sha256"] in body
    shot(dialog, "receipt-zh_CN.png")
    pdf = dialog.save_pdf(tmp_path / "receipt.pdf")
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 1000
    dialog.close()
    shot(window, "list-states-zh_CN.png")


def test_a_district_upload_reaches_the_enterprise_window(
    qtbot: Any,
    window: Any,  # noqa: F811
    ctx: AppContext,
    intake: Any,
    memory_keyring: Any,
    tmp_path: Path,
) -> None:
    sid = ready_submission(ctx, tmp_path / "src")
    export_package(ctx, sid, tmp_path / "e.qmpkg")
    coord = open_context(tmp_path / "district")
    try:
        connection.connect(coord, intake.base_url, intake.district_token())
        [row] = inbox_import.import_paths(coord, [tmp_path / "e.qmpkg"])
        assert row.submission_id is not None
        outbox.queue_submission(coord, row.submission_id)
        with outbox.OutboxSender(coord) as s:
            [out] = s.send_all()
        assert out.ok
    finally:
        coord.close()
    intake.cli("return", uuid_of(ctx, sid), "--comment", "照片与活动不符，请更换")
    file = qmconnect(tmp_path / "e.qmconnect", intake.base_url, intake.unit_token())
    connect_through_dialog(qtbot, window, file)  # connecting asks for the verdicts at once
    window.refresh_list(select=sid)
    window.select_submission(sid)
    qtbot.waitUntil(lambda: drafts.status_of(ctx, sid) == lifecycle.RETURNED, timeout=30000)
    wait_for_banner(qtbot, window, "照片与活动不符")
    assert QApplication.activeModalWidget() is None


@pytest.mark.slow
@pytest.mark.timeout(400)
def test_the_whole_loop_in_a_real_x_window(tmp_path: Path) -> None:
    """The same loop in a real xcb window under Xvfb (its own process: one platform per
    process), so the dialog, the banner and the modal boxes are real X windows."""
    if not shutil.which("Xvfb"):
        pytest.skip("Xvfb is not installed (./qm setup installs it)")
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", "1", "-screen", "0", "1400x900x24"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert xvfb.stdout is not None
        display = ":" + xvfb.stdout.readline().strip()
        env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                "--basetemp",
                str(tmp_path / "run"),
                f"{__file__}::test_the_whole_loop_in_the_window",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=360,
        )
    finally:
        xvfb.terminate()
        xvfb.wait()
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "1 passed" in done.stdout
