"""The console end to end in a real browser (Debian's chromium), with reports sent by the
desktop client's own code to the real server: sign in, import a roster, hand out the
connection codes, see a late and a missing unit, return a report with a comment, and the
unit reads the comment through the API."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import requests
from mediafactory import make_jpeg, make_mp4
from openpyxl import Workbook

from intake.browser import CAMPAIGN, ConsoleServer
from intake.protocol import auth

LATE = "济南某某有限公司"
LATE_CODE = "91350100M000100Y43"
MISSING = "济南乙机械有限公司"
MISSING_CODE = "91370100MA3C5LXL25"
HEAD = ["单位名称", "类型", "区县", "统一社会信用代码", "联系人", "联系电话", "电子邮箱"]
SUMMARY = (
    "2022年9月，我公司围绕“争创标杆开新局 质量强市促发展”主题，组织开展了质量月系列活动。"
    "活动包括质量知识讲座、QC小组成果发布、质量开放日等，全体员工积极参与，"
    "进一步增强了质量意识，提升了产品和服务质量，取得了良好效果。"
)


def roster_file(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "应报单位"
    ws.append(HEAD)
    ws.append([LATE, "企业", "历下区", LATE_CODE, "张三", "13800000000", "a@example.cn"])
    ws.append([MISSING, "企业", "历下区", MISSING_CODE, "李四", "0531-82568852", ""])
    ws.append(["济南丙公司", "企业", "火星区", "", "王五", "", ""])  # a broken row
    out = io.BytesIO()
    wb.save(out)
    path.write_bytes(out.getvalue())
    return path


def client_sends(ctx: Any, endpoint: str, token: str, folder: Path) -> tuple[str, int]:
    """The desktop client drafts a report with a photo and a video and sends it; returns
    the report's UUID and its number on the client."""
    from qmclient.core.report import Unit
    from qmclient.services import drafts, outbox
    from qmclient.sync.backoff import Backoff
    from qmclient.sync.http import HttpSettings
    from qmclient.sync.tokens import save_token

    save_token(outbox.set_endpoint(ctx, endpoint), token)
    unit = Unit(
        name=LATE,
        kind="enterprise",
        district="lixia",
        credit_code=LATE_CODE,
        contact_person="张三",
        phone="13800000000",
    )
    sid = drafts.create_draft(ctx, unit=unit)
    drafts.update_fields(ctx, sid, {"summary": SUMMARY})
    drafts.add_activity(
        ctx,
        sid,
        {
            "focus_area": "publicity",
            "name": "质量月启动仪式",
            "start_date": "2022-09-01",
            "end_date": "2022-09-01",
            "place": "公司会议室",
            "organiser": "质量部",
            "participants": "80",
            "description": "举行质量月启动仪式，宣读质量倡议书。",
        },
    )
    files = [make_jpeg(folder / "photo.jpg", seed=7), make_mp4(folder / "video.mp4", 1.0)]
    assert not drafts.attach_files(ctx, sid, files, caption="活动现场").failed
    outbox.queue_submission(ctx, sid)
    fast = Backoff(base_s=0.01, cap_s=0.05)
    with outbox.OutboxSender(
        ctx, tus_backoff=fast, settings=HttpSettings(connect_timeout_s=2, read_timeout_s=30)
    ) as sender:
        outcomes = sender.send_all()
    assert len(outcomes) == 1 and outcomes[0].ok, outcomes[0].error
    receipt = outcomes[0].receipt
    assert receipt is not None and receipt["on_time"] is False  # 2022: late by the server
    return str(receipt["submission_uuid"]), sid


def test_office_imports_roster_hands_out_codes_and_returns_a_late_report(
    console: ConsoleServer, chromium: Any, ctx: Any, memory_keyring: Any, tmp_path: Path
) -> None:
    page = console.signed_in_page(chromium)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("requestfailed", lambda r: errors.append(f"failed: {r.url}"))
    # the campaign's roster: upload, preview with the broken row named, import
    page.click(f"a[href='/console/campaigns/{CAMPAIGN}/roster']")
    page.set_input_files("input[type=file][name=file]", str(roster_file(tmp_path / "名单.xlsx")))
    page.click("button:has-text('预览')")
    page.wait_for_selector("text=名单预览")
    problems = page.inner_text("table.problems")
    assert "火星区" in problems and "历下区（lixia）" in problems
    page.click("button:has-text('导入没有问题的 2 行')")
    page.wait_for_selector("text=名单已导入")
    assert page.locator("table.grid tbody tr").count() == 2
    # connection codes for the whole roster, on one printable page per unit
    page.click("button:has-text('生成连接码')")
    page.wait_for_selector("article.a4")
    assert page.locator("article.a4").count() == 2
    sheet = page.locator("article.a4", has_text=LATE)
    token = sheet.locator("code.token").inner_text().strip()
    assert re.fullmatch(r"qmt_[A-Za-z0-9_-]{43}", token)
    assert sheet.locator(".qr svg").count() == 1
    link = sheet.locator("a[download]")
    assert link.get_attribute("download") == f"{LATE}.qmconnect"
    with page.expect_download() as dl:
        link.click()
    import json

    doc = json.loads(Path(dl.value.path()).read_text(encoding="utf-8"))
    assert doc["format"] == "qmconnect" and doc["token"] == token
    assert doc["endpoint"] == console.base_url and doc["unit"]["credit_code"] == LATE_CODE
    # the unit sends its report with the desktop client's own code
    uuid, sid = client_sends(ctx, doc["endpoint"], doc["token"], tmp_path / "media")
    # the dashboard: one late, one missing
    page.goto(console.url(f"/console/campaigns/{CAMPAIGN}"))
    row_late = page.locator("table.units tr", has_text=LATE)
    row_missing = page.locator("table.units tr", has_text=MISSING)
    assert "逾期报送" in row_late.inner_text()
    assert "未报送" in row_missing.inner_text()
    stats = page.inner_text("section.cards")
    assert re.search(r"逾期报送\s*1", stats) and re.search(r"未报送\s*1", stats)
    assert re.search(r"应报\s*2", stats)
    # filter: only what is missing in 历下区
    page.select_option("select[name=district]", "lixia")
    page.select_option("select[name=status]", "missing")
    page.click("form.filters button")
    assert page.locator("table.units tbody tr").count() == 1
    assert MISSING in page.inner_text("table.units")
    # the report's page: the photo's thumbnail shows, the video plays from ranges
    page.goto(console.url(f"/console/campaigns/{CAMPAIGN}"))
    page.click(f"table.units a:has-text('{LATE}')")
    page.wait_for_selector("text=质量月启动仪式")
    img = page.locator(".photos img").first
    img.wait_for()
    page.wait_for_function("() => document.querySelector('.photos img').naturalWidth > 0")
    assert page.locator(".photos video").count() == 1
    page.wait_for_function("() => document.querySelector('.photos video').readyState >= 1")
    assert "签名有效" in page.inner_text("aside")
    # return it with a comment
    page.fill("textarea[name=comment]", "请补充活动成效和现场照片的说明。")
    page.click("button:has-text('退回修改')")
    page.wait_for_selector("text=已退回修改，报送单位")
    assert errors == [], errors
    # the unit sees it through the API, with its own token
    r = requests.get(console.url(f"/api/v1/submissions/{uuid}"), headers=auth(token), timeout=10)
    assert r.status_code == 200
    assert r.json()["status"] == "returned"
    assert r.json()["comment"] == "请补充活动成效和现场照片的说明。"
    # and the desktop client's own status check (the window's and `qmclient status`'s)
    # shows 退回修改 with the office's comment
    from qmclient.core import lifecycle
    from qmclient.services import records, verdicts

    got = verdicts.check_status(ctx, sid)
    assert (got.status, got.comment) == ("returned", "请补充活动成效和现场照片的说明。")
    with ctx.store.read() as s:
        assert lifecycle.LABELS[records.get_submission(s, sid).status][0] == "退回修改"
    banner = verdicts.banner_for(ctx, sid)
    assert banner is not None and banner.status == "returned"
    assert banner.comment == "请补充活动成效和现场照片的说明。"
    # and the audit log says who did it
    page.goto(console.url("/console/audit"))
    log = page.inner_text("table.grid")
    assert "submission-returned" in log and "roster-import" in log and "tokens-issue" in log


def test_videos_are_served_with_ranges(console: ConsoleServer, tmp_path: Path) -> None:
    from intake.protocol import make_report, submit

    token = console.unit_token()
    video = make_mp4(tmp_path / "v.mp4", 1.0)
    photo = make_jpeg(tmp_path / "p.jpg", seed=2)
    report = make_report([photo, video])
    submit(console, token, report, [photo, video])
    sha = next(m.sha256 for m in report.media if m.media_type == "video/mp4")
    s = console.session()
    r = s.get(
        console.url(f"/console/media/{sha}?type=video/mp4"),
        headers={"Range": "bytes=10-19"},
        timeout=10,
    )
    assert r.status_code == 206 and r.content == video.read_bytes()[10:20]
    assert r.headers["content-type"] == "video/mp4"
    assert (
        requests.get(console.url(f"/console/media/{sha}"), timeout=10).status_code
        in (
            303,
            200,
        )
        and "登录" in requests.get(console.url(f"/console/media/{sha}"), timeout=10).text
    )
    assert s.get(console.url("/console/media/" + "0" * 64), timeout=10).status_code == 404
    assert (
        s.get(console.url("/console/media/..%2f..%2fetc%2fpasswd"), timeout=10).status_code == 404
    )
