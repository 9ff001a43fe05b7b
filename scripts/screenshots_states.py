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

(``QT_QPA_PLATFORM=offscreen`` works too.)  The pictures show an ordinary day of a
campaign, whatever the day they are taken: the bundled Jinan campaign file, moved so that it
is due three days from today (its title, notice and period in that year), is run by the
server and imported by the client as an office's campaign file is.  So the receipts say
按时报送 and the deadline 剩 3 天 / 距截止还有 3 天.  The computer's time zone is Beijing's.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "sync"))
OUT = ROOT / "docs" / "screenshots"
DAYS_LEFT = 3


def moved_campaign(folder: Path, due: dt.date) -> tuple[Path, str]:
    """The bundled Jinan campaign file, moved so that it is due at the end of ``due``
    (notice, period and title in that year): (the file, the campaign's id)."""
    from qmclient.resources import campaigns_dir

    text = (campaigns_dir() / "jinan-2022-quality-month.toml").read_text(encoding="utf-8")
    start = due - dt.timedelta(days=38)
    cid = f"jinan-{due.year}-quality-month"
    for old, new in (
        ('id = "jinan-2022-quality-month"', f'id = "{cid}"'),
        ('title = "2022年', f'title = "{due.year}年'),
        ('title_en = "Jinan 2022', f'title_en = "Jinan {due.year}'),
        ("issued = 2022-08-23", f"issued = {start}"),
        ("start = 2022-08-23", f"start = {start}"),
        ("end = 2022-09-30", f"end = {due}"),
        ("due = 2022-09-30T23:59:59", f"due = {due}T23:59:59"),
    ):
        assert old in text, old
        text = text.replace(old, new)
    path = folder / f"{cid}.toml"
    path.write_text(text, encoding="utf-8")
    return path, cid


def main() -> int:
    os.environ["TZ"] = "Asia/Shanghai"  # a computer in Jinan: times read as the office's
    time.tzset()
    import keyring
    from intake_server import IntakeServer
    from mediafactory import make_jpeg
    from memkeyring import MemoryKeyring
    from PySide6.QtCore import QRect, QSettings
    from PySide6.QtWidgets import QApplication

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

    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()
    due = today + dt.timedelta(days=DAYS_LEFT)
    campaign_file, campaign_id = moved_campaign(tmp, due)
    intake = IntakeServer(tmp / "intake", campaign_files=[campaign_file]).start()
    try:
        ctx = open_context(tmp / "unit")
        ctx.campaigns.import_file(campaign_file)  # as `qmclient campaign import` does
        ctx.campaigns.set_default(campaign_id)
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
            "campaign_id": campaign_id,
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
            """A complete report of one works, its activity a week ago, with a photo."""
            sid = drafts.create_draft(ctx, unit=unit)
            day = today - dt.timedelta(days=7 + seed)
            drafts.update_fields(
                ctx,
                sid,
                {
                    "title": title,
                    "summary": (
                        f"{day.year}年{day.month}月，我公司{title[:3]}围绕“争创标杆开新局 "
                        "质量强市促发展”主题，组织开展了质量月系列活动。活动包括质量知识"
                        "讲座、QC小组成果发布、质量开放日等，全体员工积极参与，进一步增强"
                        "了质量意识，提升了产品和服务质量，取得了良好效果。"
                    ),
                },
            )
            drafts.add_activity(
                ctx,
                sid,
                {
                    "focus_area": "publicity",
                    "name": "质量月启动仪式",
                    "start_date": day.isoformat(),
                    "end_date": day.isoformat(),
                    "place": "公司会议室",
                    "organiser": "质量部",
                    "participants": "80",
                    "description": "举行质量月启动仪式，宣读质量倡议书。",
                },
            )
            folder = tmp / f"src{seed}"
            folder.mkdir()
            photo = make_jpeg(folder / f"IMG_{day:%Y%m%d}_{seed}.jpg", seed=seed * 100 + 1)
            added = drafts.attach_files(ctx, sid, [photo], caption="质量月启动仪式现场")
            assert not added.failed, added.failed
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
        total = sum(window.ui.splitter.sizes())
        window.ui.splitter.setSizes([400, total - 400])  # the status line on one line
        pump(0.5)
        side = window.ui.splitter.widget(1)  # the editor's title, status line and tabs
        assert side is not None
        tabs = window.editor.ui.tabs.tabBar()
        left_top = side.mapTo(window, side.rect().topLeft())
        bottom = tabs.mapTo(window, tabs.rect().bottomLeft()).y() + 6
        window.grab(QRect(left_top.x(), left_top.y(), side.width(), bottom - left_top.y())).save(
            str(OUT / "exported-zh_CN.png")
        )
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
