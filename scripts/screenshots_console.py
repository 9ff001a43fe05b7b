#!/usr/bin/env python3
"""Screenshots of every page of the office's console in zh_CN for docs/screenshots/.

    .venv/bin/python scripts/screenshots_console.py

Starts a real qmintake on 127.0.0.1 with a fresh data folder, imports a campaign and a
roster, has some units report (on time, late, one returned, one accepted, one not on the
roster), and photographs each page with Debian's chromium (Playwright).
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
OUT = ROOT / "docs" / "screenshots"
CID = "jinan-2026-quality-month"
CODES = [
    "91370102MA3C5LXA1",
    "91370103MA3C5LXB2",
    "91370104MA3C5LXC3",
    "91370105MA3C5LXD4",
    "91370112MA3C5LXE5",
    "91370113MA3C5LXF6",
    "91370114MA3C5LXG7",
    "91370102MA3C5LXH8",
]
UNITS = [
    ("济南华信电子有限公司", "lixia"),
    ("济南泉城精密机械有限公司", "shizhong"),
    ("山东鲁润食品有限公司", "huaiyin"),
    ("济南天桥建材有限公司", "tianqiao"),
    ("济南历城包装有限公司", "licheng"),
    ("济南长清纺织有限公司", "changqing"),
    ("章丘锻造有限公司", "zhangqiu"),
    ("济南明湖检测技术有限公司", "lixia"),
]


def campaign_text(due: str) -> str:
    from qmclient.resources import campaigns_dir

    text = (campaigns_dir() / "jinan-2022-quality-month.toml").read_text(encoding="utf-8")
    text = text.replace('id = "jinan-2022-quality-month"', f'id = "{CID}"', 1)
    text = text.replace('title = "2022年', 'title = "2026年', 1)
    return text.replace("due = 2022-09-30T23:59:59", f"due = {due}")


def codes() -> list[str]:
    from qmclient.core.identifiers import credit_code_check_char

    return [c + credit_code_check_char(c) for c in CODES]


def report_for(name: str, district: str, code: str, media: list[Path]):  # type: ignore[no-untyped-def]
    from intake.protocol import SUMMARY, media_ref

    from qmclient.core.report import Activity, Report, Unit

    refs = [
        media_ref(p, cap)
        for p, cap in zip(
            media,
            ["质量月启动仪式现场", "质量知识讲座", "QC 小组成果发布", "质量开放日", "活动视频"],
            strict=False,
        )
    ]
    for i, r in enumerate(refs):
        r.activity_id = "a1" if i < 2 else "a2"
    import uuid

    return Report(
        uuid=str(uuid.uuid4()),
        campaign_id=CID,
        title="2026年质量月活动情况总结",
        summary=SUMMARY,
        unit=Unit(
            name=name,
            kind="enterprise",
            district=district,
            credit_code=code,
            contact_person="张伟",
            phone="0531-82568852",
            email="zhangwei@example.cn",
        ),
        activities=[
            Activity(
                id="a1",
                focus_area="publicity",
                name="质量月启动仪式暨质量知识讲座",
                start_date=dt.date(2022, 9, 1),
                end_date=dt.date(2022, 9, 1),
                place="公司大礼堂",
                organiser="质量管理部",
                participants=180,
                description="举行质量月启动仪式，宣读质量承诺书，邀请专家讲授质量管理知识。",
                results="员工质量意识明显增强。",
            ),
            Activity(
                id="a2",
                focus_area="improvement",
                name="QC 小组成果发布会",
                start_date=dt.date(2022, 9, 15),
                end_date=dt.date(2022, 9, 16),
                place="三号会议室",
                organiser="技术中心",
                participants=60,
                description="12 个 QC 小组发布质量改进成果，评选优秀成果 3 项。",
                results="一次交检合格率提高 1.8 个百分点。",
            ),
        ],
        media=refs,
    )


def main() -> int:
    from intake.browser import ADMIN, ConsoleServer
    from intake.protocol import submit
    from mediafactory import make_jpeg, make_mp4

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        srv = ConsoleServer(tmp / "intake")
        future = tmp / "c-future.toml"
        future.write_text(campaign_text("2099-09-30T23:59:59"), encoding="utf-8")
        srv.cli("campaign", "import", str(future), "--prefix", "JN2026")
        srv.add_user(ADMIN, "admin", "correct-horse-battery-9")
        srv.add_user("审核员李敏", "reviewer", "reviewer-password-1")
        cc = codes()
        roster = tmp / "应报单位名单.csv"
        lines = ["单位名称,类型,区县,统一社会信用代码,联系人,联系电话,电子邮箱"]
        lines += [
            f"{n},企业,{d},{c},张伟,13805310000,unit{i}@example.cn"
            for i, ((n, d), c) in enumerate(zip(UNITS, cc, strict=True))
        ]
        lines.append("历下区市场监督管理局,区县（功能区）,历下区,,王芳,0531-86081234,")
        roster.write_text("\r\n".join(lines), encoding="utf-8-sig")
        srv.cli("roster", "import", CID, str(roster))
        srv.start()
        try:
            photos = [make_jpeg(tmp / f"p{i}.jpg", (1280, 960), seed=i + 11) for i in range(4)]
            video = make_mp4(tmp / "v.mp4", 2.0, (640, 360))
            files = [*photos, video]
            sent = []
            for i in (0, 1, 2, 3):  # on time
                n, d = UNITS[i]
                rep = report_for(n, d, cc[i], files)
                submit(srv, srv.unit_token(n, d, cc[i]), rep, files)
                sent.append(rep)
            stranger = report_for("济南新星科技有限公司", "lixia", "", files)
            stranger.unit.credit_code = "91370100MA3C5LXN14"
            submit(srv, srv.unit_token("济南新星科技有限公司", "lixia", ""), stranger, files)
            srv.stop()
            past = tmp / "c-past.toml"  # the deadline passes: the next ones are late
            past.write_text(campaign_text("2026-09-30T23:59:59"), encoding="utf-8")
            srv.cli("campaign", "import", str(past))
            srv.start()
            for i in (4, 5):
                n, d = UNITS[i]
                rep = report_for(n, d, cc[i], files)
                submit(srv, srv.unit_token(n, d, cc[i]), rep, files)
                sent.append(rep)
            srv.stop()
            soon = tmp / "c-soon.toml"  # and the office extends it (receipts stay as given)
            due = (dt.datetime.now() + dt.timedelta(days=3, hours=5)).strftime("%Y-%m-%dT%H:%M:00")
            soon.write_text(campaign_text(due), encoding="utf-8")
            srv.cli("campaign", "import", str(soon))
            srv.start()
            shoot(srv, sent, tmp)
        finally:
            srv.stop()
    return 0


def shoot(srv, sent, tmp: Path) -> None:  # type: ignore[no-untyped-def]
    from intake.browser import ADMIN, ADMIN_PASSWORD, form_csrf, launch_chromium

    s = srv.session()
    page_html = s.get(srv.url(f"/console/campaigns/{CID}/submissions/{sent[1].uuid}")).text
    csrf = form_csrf(page_html)
    s.post(
        srv.url(f"/console/campaigns/{CID}/submissions/{sent[1].uuid}/return"),
        data={"csrf": csrf, "comment": "请补充 QC 小组成果发布会的照片说明和参加人数。"},
    )
    s.post(
        srv.url(f"/console/campaigns/{CID}/submissions/{sent[0].uuid}/accept"), data={"csrf": csrf}
    )
    s.post(
        srv.url(f"/console/campaigns/{CID}/submissions/{sent[0].uuid}/note"),
        data={"csrf": csrf, "text": "材料齐全，拟推荐为优秀活动案例。"},
    )
    pw, browser = launch_chromium()
    try:
        ctx = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
        page = ctx.new_page()

        def snap(name: str, full: bool = True) -> None:
            page.wait_for_load_state("networkidle")
            path = OUT / f"console-{name}.png"
            page.screenshot(path=str(path), full_page=full)
            print(path.relative_to(ROOT))

        page.goto(srv.url("/console/login"))
        snap("login", full=False)
        page.fill("input[name=name]", ADMIN)
        page.fill("input[name=password]", ADMIN_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r".*/console/campaigns$"))
        snap("campaigns")
        page.goto(srv.url(f"/console/campaigns/{CID}"))
        snap("dashboard")
        page.goto(srv.url(f"/console/campaigns/{CID}?status=missing#units"))
        snap("dashboard-missing", full=False)
        page.goto(srv.url(f"/console/campaigns/{CID}/submissions/{sent[0].uuid}"))
        snap("report")
        page.goto(srv.url(f"/console/campaigns/{CID}/roster"))
        snap("roster")
        broken = tmp / "名单（有错误）.csv"
        broken.write_text(
            "单位名称,类型,区县,统一社会信用代码,联系人,联系电话,电子邮箱\r\n"
            "济南明湖检测技术有限公司,企业,历下区,91370102MA3C5LXH8H,刘洋,13805310002,\r\n"
            "济南华信电子有限公司,企业,历下区,91370102MA3C5LXA10,张伟,13805310000,\r\n"
            "济南某新公司,企业,火星区,,李雷,12345,not-mail\r\n"
            "济南某新公司二,公司,历下区,,韩梅梅,13805310001,\r\n",
            encoding="utf-8-sig",
        )
        page.set_input_files("input[type=file][name=file]", str(broken))
        page.click("button:has-text('预览')")
        page.wait_for_selector("table.problems")
        snap("roster-preview")
        page.goto(srv.url(f"/console/campaigns/{CID}/roster"))
        page.click("button:has-text('生成连接码')")
        page.wait_for_selector("article.a4")
        snap("handout", full=False)
        page.emulate_media(media="print")
        page.pdf(path=str(tmp / "handout.pdf"), format="A4", print_background=True)
        page.emulate_media(media="screen")
        shoot_reminders(srv, page, snap)
        page.goto(srv.url("/console/audit"))
        snap("audit")
        page.goto(srv.url("/console/users"))
        snap("users")
        page.goto(srv.url("/console/account"))
        snap("account", full=False)
        page.goto(
            srv.url(f"/console/campaigns/{CID}/submissions/00000000-0000-4000-8000-000000000000")
        )
        snap("not-found", full=False)
        page.goto(srv.url(f"/console/lang?to=en&next=/console/campaigns/{CID}"))
        snap("dashboard-en")
        import subprocess

        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                "1",
                "-l",
                "1",
                str(tmp / "handout.pdf"),
                str(tmp / "handout"),
            ],
            check=False,
        )
        pages = sorted(tmp.glob("handout*.png"))
        if pages:
            (OUT / "console-handout-print.png").write_bytes(pages[0].read_bytes())
            print("docs/screenshots/console-handout-print.png")
    finally:
        browser.close()
        pw.stop()


def shoot_reminders(srv, page, snap) -> None:  # type: ignore[no-untyped-def]
    """The mail account, then reminders to the units not yet reported, through a real
    SMTP server on this machine."""
    from intake.mailbox import smtp_server

    with smtp_server() as (_inbox, port):
        page.goto(srv.url("/console/settings/mail"))
        page.fill("input[name=host]", "127.0.0.1")
        page.fill("input[name=port]", str(port))
        page.select_option("select[name=security]", "none")
        page.fill("input[name=password]", "mail-app-code-0531")
        page.fill("input[name=sender]", "zlyb@jnsj.example.cn")
        page.fill("input[name=per_minute]", "120")
        page.click("button:has-text('保存')")
        page.wait_for_selector("text=已保存。")
        snap("mail-settings", full=False)
        page.goto(srv.url(f"/console/campaigns/{CID}/reminders?status=missing"))
        snap("reminders", full=False)
        page.click("button:has-text('预览提醒邮件')")
        page.wait_for_selector("pre.mailbody")
        snap("reminders-preview")
        page.click("button:has-text('发送提醒邮件')")
        page.wait_for_selector("section.cards.four", timeout=60_000)
        snap("reminders-result", full=False)
        page.goto(srv.url(f"/console/campaigns/{CID}?status=missing#units"))
        snap("dashboard-missing", full=False)  # each send on the unit's row


if __name__ == "__main__":
    raise SystemExit(main())
