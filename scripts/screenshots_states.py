#!/usr/bin/env python3
"""Screenshots of sending and hearing back, in zh_CN, for docs/screenshots/:

- ``connect-dialog-zh_CN.png``  连接报送服务器, after the office's .qmconnect file was opened
- ``list-states-zh_CN.png``     the report list with every state at once: 草稿, a draft with
  its export recorded beside it, 待发送, 已送达 (with a receipt), 退回修改, 已通过
- ``banner-returned-zh_CN.png`` the window over a returned report: the office's comment and
  the one-click revision 2
- ``receipt-zh_CN.png``         the receipt dialog, its signature checked
- ``menu-send-zh_CN.png``       the 报送 menu
- ``exported-zh_CN.png``        a draft with its export recorded, in the editor's status line

It starts a real qmintake on 127.0.0.1 (``tests/intake_server.py``), sends real reports
to it and has the office return and accept them with its own command::

    Xvfb :98 -screen 0 1440x900x24 &
    DISPLAY=:98 QT_QPA_PLATFORM=xcb .venv/bin/python scripts/screenshots_states.py

(``QT_QPA_PLATFORM=offscreen`` works too.)  The 2022 campaign's deadline is long past, so
the receipts say 逾期 (late), as they would today.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "sync"))
OUT = ROOT / "docs" / "screenshots"


def main() -> int:
    import keyring
    from intake_server import IntakeServer
    from memkeyring import MemoryKeyring
    from PySide6.QtCore import QRect, QSettings
    from PySide6.QtWidgets import QApplication
    from reports import ready_submission

    from qmclient.core.report import Unit
    from qmclient.services import drafts, outbox, verdicts
    from qmclient.services.context import open_context
    from qmclient.services.export import ExportOptions, run
    from qmclient.ui.connect_dialog import ConnectDialog
    from qmclient.ui.coordinator import install as install_coordinator
    from qmclient.ui.export_dialog import install_export
    from qmclient.ui.i18n import install_translators
    from qmclient.ui.main_window import MainWindow
    from qmclient.ui.sending import install_sending
    from qmclient.ui.settings import AppSettings

    keyring.set_keyring(MemoryKeyring())
    app = QApplication(sys.argv[:1])
    install_translators(app, "zh_CN")
    OUT.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="qm-state-shots-"))
    settings = AppSettings(QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat))
    settings.profile_asked = True

    def pump(seconds: float = 0.5) -> None:
        end = dt.datetime.now() + dt.timedelta(seconds=seconds)
        while dt.datetime.now() < end:
            app.processEvents()

    def wait(condition, seconds: float = 60) -> None:  # type: ignore[no-untyped-def]
        end = dt.datetime.now() + dt.timedelta(seconds=seconds)
        while not condition():
            if dt.datetime.now() > end:
                raise SystemExit("timed out")
            pump(0.1)

    def shoot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
        pump(0.4)
        widget.grab().save(str(OUT / name))
        print("saved", OUT / name)

    intake = IntakeServer(tmp / "intake").start()
    try:
        ctx = open_context(tmp / "unit")
        unit = Unit(
            name="济南某某精密制造有限公司",
            kind="enterprise",
            district="lixia",
            credit_code="91350100M000100Y43",
            contact_person="王敏",
            phone="0531-82568852",
        )
        drafts.save_profile(ctx, unit)
        window = MainWindow(ctx, settings, "zh_CN")
        install_export(window)
        install_coordinator(window)
        install_sending(window)
        window.sending.paused = True  # the queued report stays 待发送 for the picture
        window.resize(1440, 900)
        window.show()
        pump(1)

        # 连接报送服务器, filled from the office's file
        file = tmp / "济南某某精密制造有限公司.qmconnect"
        doc = {
            "format": "qmconnect",
            "version": 1,
            "endpoint": intake.base_url,
            "token": intake.unit_token(name=unit.name, credit_code=unit.credit_code),
            "campaign_id": "jinan-2022-quality-month",
            "office": "济南市质量强市及品牌战略推进工作领导小组办公室",
            "unit": {"name": unit.name, "kind": "enterprise", "district": "lixia"},
        }
        file.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        dialog = ConnectDialog(ctx, "zh_CN", window, file)
        dialog.show()
        dialog.ok_button.click()
        wait(lambda: dialog.checked is not None or bool(dialog.ui.problemLabel.text()))
        shoot(dialog, "connect-dialog-zh_CN.png")
        dialog.accept()

        def made(title: str, seed: int) -> int:
            sid = ready_submission(ctx, tmp / f"src{seed}", name=unit.name, seed=seed)
            drafts.update_fields(ctx, sid, {"title": title})
            return sid

        def sent(sid: int) -> str:
            outbox.queue_submission(ctx, sid)
            with outbox.OutboxSender(ctx) as sender:
                outcomes = sender.send_all()
            assert all(o.ok for o in outcomes), outcomes
            return drafts.load_report(ctx, sid).uuid

        accepted = made("一分厂质量月活动情况总结", 1)
        intake.cli("accept", sent(accepted))
        returned = made("二分厂质量月活动情况总结", 2)
        intake.cli(
            "return",
            sent(returned),
            "--comment",
            "请补充“质量开放日”活动的参与人数和照片说明，修改后重新报送。",
        )
        received = made("三分厂质量月活动情况总结", 3)
        sent(received)
        queued = made("四分厂质量月活动情况总结", 4)
        outbox.queue_submission(ctx, queued)
        exported = made("五分厂质量月活动情况总结", 5)
        run(ctx, exported, ExportOptions(eml_dir=tmp / "邮件", downscale=1600))
        draft = drafts.create_draft(ctx, unit=unit)
        drafts.update_fields(ctx, draft, {"title": "六分厂质量月活动情况总结"})
        verdicts.poll_verdicts(ctx)

        window.refresh_list(select=returned)
        window.select_submission(returned)
        banner = window.sending.verdicts.banner
        wait(lambda: banner.isVisible())
        window.sending.refresh_queue()
        view = window.ui.submissionsView
        sizes = window.ui.splitter.sizes()
        window.ui.splitter.setSizes([int(sum(sizes) * 0.4), sum(sizes) - int(sum(sizes) * 0.4)])
        pump(0.3)
        shoot(window, "banner-returned-zh_CN.png")
        rows = view.model().rowCount()
        bottom = view.mapTo(
            window.ui.listPanel,
            view.viewport().mapTo(
                view, view.visualRect(view.model().index(rows - 1, 0)).bottomLeft()
            ),
        )
        pump(0.4)
        window.ui.listPanel.grab(QRect(0, 0, window.ui.listPanel.width(), bottom.y() + 12)).save(
            str(OUT / "list-states-zh_CN.png")
        )
        print("saved", OUT / "list-states-zh_CN.png")

        menu = window.sending.menu
        menu.popup(window.mapToGlobal(window.rect().topLeft()))
        wait(menu.isVisible)
        shoot(menu, "menu-send-zh_CN.png")
        menu.hide()

        window.select_submission(exported)  # the editor's status line has the whole words
        pump(0.5)
        top = window.ui.splitter.geometry().top() + 190
        window.grab(QRect(0, 0, window.width(), top)).save(str(OUT / "exported-zh_CN.png"))
        print("saved", OUT / "exported-zh_CN.png")

        window.select_submission(received)
        receipt = window.sending.show_receipt(received)
        assert receipt is not None
        shoot(receipt, "receipt-zh_CN.png")
        print("the receipt as PDF:", receipt.save_pdf(tmp / "receipt.pdf"))
        receipt.close()
        window.close()
        ctx.close()
    finally:
        intake.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
