#!/usr/bin/env python3
"""Screenshots of the desktop app in zh_CN for docs/screenshots/ (and the README).

Run under a real X server with CJK fonts, e.g.:

    Xvfb :99 -screen 0 1600x1000x24 &
    DISPLAY=:99 QT_QPA_PLATFORM=xcb .venv/bin/python scripts/screenshots.py

It builds a realistic draft in a temporary data folder (20 photos, a video, activities,
a Chinese summary), shows the real windows and grabs them.  The clock is set to
24 September 2022, during the 2022 campaign the bundled campaign file describes: the
window's clock, and the time that counts for the checks and the export (the office's
server clock, recorded as connecting records it), so that the export's questions agree
with the window's 剩 6 天.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
OUT = ROOT / "docs" / "screenshots"
NOW = dt.datetime(2022, 9, 24, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"

SUMMARY = """按照《关于开展2022年济南市“质量月”活动的通知》要求，我公司围绕“争创标杆开新局 质量强市促发展”的主题，于9月组织开展了形式多样的质量月活动，现将有关情况总结如下。

一、加强组织领导。成立了由总经理任组长、各部门负责人为成员的质量月活动领导小组，制定了活动实施方案，明确了责任部门和时间安排。

二、广泛开展质量宣传。在厂区悬挂横幅12条、张贴海报60余张，通过企业微信公众号发布质量月专题稿件8篇，营造了“人人重视质量、人人创造质量”的浓厚氛围。

三、深入开展质量提升行动。组织QC小组成果发布会，发布成果9项；开展质量知识竞赛和岗位技能比武，参与职工460余人次。

四、开展“质量开放日”活动。邀请社区居民和客户代表走进生产车间和检测实验室，现场讲解产品质量控制流程。

下一步，我公司将巩固质量月活动成果，持续完善质量管理体系，推动产品和服务质量再上新台阶。"""

ACTIVITIES = [
    (
        "publicity",
        "质量月活动启动仪式暨动员大会",
        "2022-09-01",
        "公司一楼报告厅",
        "质量管理部",
        180,
        "召开质量月动员大会，总经理作动员讲话，发布质量月活动方案。",
        "全员知晓活动安排，签订质量承诺书180份。",
    ),
    (
        "education",
        "质量知识竞赛",
        "2022-09-08",
        "职工活动中心",
        "工会、质量管理部",
        120,
        "以车间为单位组队参加质量知识竞赛，内容涵盖质量法律法规和岗位标准。",
        "评选优胜队3个，普及质量知识。",
    ),
    (
        "improvement",
        "QC小组成果发布会",
        "2022-09-15",
        "公司二楼会议室",
        "技术中心",
        85,
        "9个QC小组现场发布改进成果，专家点评。",
        "推荐2项成果参加市级QC成果发布。",
    ),
    (
        "public-benefit",
        "“质量开放日”活动",
        "2022-09-22",
        "生产车间、检测实验室",
        "质量管理部",
        60,
        "邀请社区居民、客户代表参观生产线和实验室。",
        "发放宣传资料300份，收集意见建议15条。",
    ),
]
CAPTIONS = [
    "质量月活动启动仪式现场",
    "总经理作动员讲话",
    "职工签订质量承诺书",
    "厂区悬挂的质量月宣传横幅",
    "车间张贴的质量宣传海报",
    "质量知识竞赛现场",
    "竞赛选手抢答",
    "为优胜队颁奖",
    "QC小组成果发布",
    "专家点评QC成果",
    "岗位技能比武",
    "检测实验室开放参观",
    "社区居民参观生产线",
    "讲解产品质量控制流程",
    "客户代表座谈交流",
    "质量宣传进社区",
    "计量器具免费检定",
    "质量安全培训",
    "质量月活动总结会",
    "",
]
SCENES = [
    ((110, 160, 215), (200, 60, 50)),
    ((150, 190, 230), (60, 120, 70)),
    ((230, 200, 150), (170, 40, 40)),
    ((90, 120, 160), (210, 170, 60)),
]


def make_photo(path: Path, n: int) -> None:
    """A 4:3 'photo' of a stage with a red banner and Chinese text (not just colour blocks)."""
    from PIL import Image, ImageDraw, ImageFont

    w, h = 1600, 1200
    sky, floor = SCENES[n % len(SCENES)]
    im = Image.new("RGB", (w, h), sky)
    draw = ImageDraw.Draw(im)
    for y in range(h // 2, h):
        t = (y - h // 2) / (h // 2)
        draw.line([(0, y), (w, y)], fill=tuple(int(c * (1 - 0.4 * t)) for c in floor))
    draw.rectangle((w * 0.08, h * 0.1, w * 0.92, h * 0.32), fill=(196, 30, 36))
    try:
        font = ImageFont.truetype(FONT, 78)
        small = ImageFont.truetype(FONT, 52)
    except OSError:
        font = small = ImageFont.load_default()
    draw.text(
        (w / 2, h * 0.21),
        "争创标杆开新局 质量强市促发展",
        font=font,
        fill=(255, 230, 120),
        anchor="mm",
    )
    caption = CAPTIONS[n % len(CAPTIONS)] or "质量月"
    draw.text((w / 2, h * 0.42), caption, font=small, fill=(255, 255, 255), anchor="mm")
    for i in range(7):  # people in the audience
        x = w * (0.12 + i * 0.12)
        draw.ellipse(
            (x - 40, h * 0.62 - 40 + (i % 2) * 30, x + 40, h * 0.62 + 40 + (i % 2) * 30),
            fill=(40, 40, 50),
        )
        draw.rectangle(
            (x - 60, h * 0.62 + 45 + (i % 2) * 30, x + 60, h * 0.95), fill=(50 + i * 10, 60, 90)
        )
    im.save(path, "JPEG", quality=88)


def main() -> int:
    from mediafactory import make_mp4
    from PySide6.QtCore import QDate, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from qmclient.core.report import Unit
    from qmclient.services import drafts, export_record
    from qmclient.services.context import open_context
    from qmclient.ui.activity_dialog import ActivityDialog
    from qmclient.ui.i18n import install_translators
    from qmclient.ui.main_window import MainWindow
    from qmclient.ui.settings import AppSettings

    app = QApplication(sys.argv[:1])
    install_translators(app, "zh_CN")
    OUT.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="qm-shots-"))
    settings = AppSettings(QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat))
    settings.profile_asked = True

    def pump(seconds: float = 0.5) -> None:
        end = dt.datetime.now() + dt.timedelta(seconds=seconds)
        while dt.datetime.now() < end:
            app.processEvents()

    def shoot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
        pump(0.4)
        widget.grab().save(str(OUT / name))
        print("saved", OUT / name)

    def dressed(window):  # type: ignore[no-untyped-def]
        """The menus and panels the app adds once the store is open (导出, 区县汇总,
        报送 and the 传输 panel), as a user sees them."""
        from qmclient.ui.coordinator import install as install_coordinator
        from qmclient.ui.export_dialog import install_export
        from qmclient.ui.sending import install_sending

        install_export(window)
        install_coordinator(window)
        install_sending(window)
        return window

    # 1. the empty window
    ctx = open_context(tmp / "empty")
    window = dressed(MainWindow(ctx, settings, "zh_CN", clock=lambda: NOW))
    window.resize(1440, 900)
    window.show()
    shoot(window, "main-empty-zh_CN.png")
    window.close()
    ctx.close()
    settings.q.remove("window")  # the next window starts with the first-start layout

    # 2. a realistic draft
    ctx = open_context(tmp / "draft")
    unit = Unit(
        name="济南某某精密制造有限公司",
        kind="enterprise",
        district="lixia",
        credit_code="91350100M000100Y43",
        contact_person="王敏",
        phone="0531-82568852",
        email="zhiliang@example.com",
    )
    drafts.save_profile(ctx, unit)
    from qmclient.services import clock

    offset = (NOW - dt.datetime.now(dt.UTC)).total_seconds()  # the office's clock says NOW
    clock.record_server_time(ctx, "https://qm.example.cn", NOW, offset)
    for i in range(3):
        old = drafts.create_draft(ctx, unit=unit, title=f"2022年第{i + 1}季度质量工作报告（示例）")
        rev = drafts.freeze(ctx, old)  # exported: recorded beside the status, still a draft
        export_record.record(
            ctx, old, rev.revision, rev.report_hash, [Path(f"{i}.docx"), Path(f"{i}-1.eml")]
        )
    sid = drafts.create_draft(ctx, unit=unit)
    drafts.update_fields(ctx, sid, {"summary": SUMMARY})
    ids = []
    for focus, name, start, place, org, people, desc, res in ACTIVITIES:
        ids.append(
            drafts.add_activity(
                ctx,
                sid,
                {
                    "focus_area": focus,
                    "name": name,
                    "start_date": start,
                    "place": place,
                    "organiser": org,
                    "participants": people,
                    "description": desc,
                    "results": res,
                },
            )
        )
    media_dir = tmp / "photos"
    media_dir.mkdir()
    paths = []
    for n in range(20):
        p = media_dir / f"IMG_20220{9}{n + 1:02d}.jpg"
        make_photo(p, n)
        paths.append(p)
    paths.append(make_mp4(media_dir / "质量开放日.mp4", seconds=12, size=(640, 360)))
    result = drafts.attach_files(ctx, sid, paths)
    for n, ref in enumerate(result.added):
        caption = CAPTIONS[n] if n < len(CAPTIONS) else "质量开放日活动视频"
        drafts.update_media(ctx, sid, ref.sha256, caption=caption, activity_id=ids[min(n // 5, 3)])
    # one photo left without caption: the checks panel shows it
    drafts.update_media(ctx, sid, result.added[19].sha256, caption="")

    from qmclient.store.models import Submission

    with ctx.store.write() as s:  # demo history: last changes in September 2022
        for n, row in enumerate(s.query(Submission).order_by(Submission.id)):
            row.updated_at = NOW - dt.timedelta(days=3 * (4 - n), hours=n)
    window = dressed(MainWindow(ctx, settings, "zh_CN", clock=lambda: NOW))
    window.resize(1440, 900)
    window.show()
    window.select_submission(sid)
    window.editor.ui.tabs.setCurrentIndex(2)
    media = window.editor.media
    deadline = dt.datetime.now() + dt.timedelta(seconds=30)
    while dt.datetime.now() < deadline and not all(
        media.has_thumbnail(sha) for sha in media.shas()[:12]
    ):
        pump(0.2)
    window.validate_now()
    shoot(window, "main-media-zh_CN.png")

    window.editor.ui.tabs.setCurrentIndex(0)
    shoot(window, "main-summary-zh_CN.png")

    window.editor.ui.tabs.setCurrentIndex(1)
    shoot(window, "main-activities-zh_CN.png")

    # a second, unfinished draft for the checks panel
    rough = drafts.create_draft(ctx, unit=Unit(name="济南某某食品有限公司", kind="enterprise"))
    drafts.update_fields(ctx, rough, {"summary": "我公司开展了质量月活动。"})
    drafts.add_activity(ctx, rough, {"name": "质量安全培训", "focus_area": "education"})
    drafts.attach_files(ctx, rough, paths[:2])
    with ctx.store.write() as s:
        s.get(Submission, rough).updated_at = NOW - dt.timedelta(minutes=5)
    window.refresh_list()
    window.select_submission(rough)
    window.validate_now()
    window.editor.ui.tabs.setCurrentIndex(0)
    problem = next(f for f in window.findings if f.path == "unit.credit_code")
    window.jump_to(problem)
    shoot(window, "main-checks-zh_CN.png")
    shoot(window.ui.validationDock, "checks-panel-zh_CN.png")
    window.select_submission(sid)

    report = drafts.load_report(ctx, sid)
    campaign = ctx.campaigns.get(report.campaign_id)
    dialog = ActivityDialog(campaign, "zh_CN", report.activities[0], parent=window)
    dialog.show()
    shoot(dialog, "activity-dialog-zh_CN.png")
    dialog.close()

    dialog = ActivityDialog(campaign, "zh_CN", None, parent=window)
    dialog.ui.focusCombo.setCurrentIndex(7)
    dialog.ui.startDateEdit.setDate(QDate(2022, 9, 26))
    dialog.show()
    shoot(dialog, "activity-dialog-new-zh_CN.png")
    dialog.close()

    # the export dialog: its preview, then the finished export
    from qmclient.ui.export_dialog import ExportDialog

    export = ExportDialog(window, sid)
    export.ui.folderEdit.setText(str(tmp / "导出" / "质量月报送"))
    export.show()
    deadline = dt.datetime.now() + dt.timedelta(seconds=60)
    while dt.datetime.now() < deadline and export.ui.previewTree.topLevelItemCount() < 3:
        pump(0.2)
    shoot(export, "export-dialog-zh_CN.png")
    export.start_export()
    box = export.warning_box  # warnings (the deadline has passed) are confirmed once
    if box is not None and box.isVisible():
        shoot(box, "export-confirm-zh_CN.png")
        box.button(box.StandardButton.Yes).click()
    deadline = dt.datetime.now() + dt.timedelta(seconds=300)
    while dt.datetime.now() < deadline and export.last_result is None and not export.last_error:
        pump(0.2)
    shoot(export, "export-done-zh_CN.png")
    export.reject()

    # a report with a must-fix error: named, 转到第一个问题, export only as a draft
    drafts.update_fields(ctx, sid, {"unit.phone": "1380531123"})
    blocked = ExportDialog(window, sid)
    blocked.ui.folderEdit.setText(str(tmp / "导出" / "质量月报送"))
    blocked.show()
    deadline = dt.datetime.now() + dt.timedelta(seconds=60)
    while dt.datetime.now() < deadline and blocked.last_plan is None:
        pump(0.2)
    pump(0.3)
    shoot(blocked, "export-blocked-zh_CN.png")
    blocked.reject()

    window.close()
    ctx.close()
    QTimer.singleShot(0, app.quit)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("QMCLIENT_LANG", "zh_CN")
    sys.exit(main())
