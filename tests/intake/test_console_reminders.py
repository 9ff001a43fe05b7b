"""The reminders pages in a real browser (Debian's chromium) with a real SMTP server
(aiosmtpd): the office's mail account set in the console with its password never shown
again, "all not yet reported in 历下区" chosen from the dashboard's filters, the mail
previewed before anything goes out, sent at the account's rate, a refused address listed
and sent later without anyone getting two mails, each send on the unit's row and in the
audit log; and a server that takes a mail but answers too late (shown as unknown, never
sent again).

With ``QM_CONSOLE_SCREENSHOTS=DIR`` the pages are saved there as PNG files.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from openpyxl import Workbook

from intake.browser import CAMPAIGN, ConsoleServer, form_csrf, start_console
from intake.mailbox import smtp_server
from intake.officedata import credit_code

SHOTS = os.environ.get("QM_CONSOLE_SCREENSHOTS", "")
HEAD = ["单位名称", "类型", "区县", "统一社会信用代码", "联系人", "联系电话", "电子邮箱"]
ONE, TWO, NOMAIL, ELSEWHERE = "历下未报一公司", "历下未报二公司", "历下无邮箱公司", "市中未报公司"
SECRET = "Pa55-授权码-console"


def _roster(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEAD)
    ws.append([ONE, "企业", "历下区", credit_code(11), "李一", "13800000001", "one@example.cn"])
    ws.append([TWO, "企业", "历下区", credit_code(12), "李二", "13800000002", "two@example.cn"])
    ws.append([NOMAIL, "企业", "历下区", credit_code(13), "李三", "13800000003", ""])
    ws.append([ELSEWHERE, "企业", "市中区", credit_code(14), "王五", "", "shi@example.cn"])
    out = io.BytesIO()
    wb.save(out)
    path.write_bytes(out.getvalue())
    return path


@pytest.fixture
def office(tmp_path: Path) -> Iterator[ConsoleServer]:
    srv = start_console(tmp_path / "intake")
    try:
        done = srv.cli("roster", "import", CAMPAIGN, str(_roster(tmp_path / "名单.xlsx")))
        assert done.returncode == 0, done.stderr
        yield srv
    finally:
        srv.stop()


def _shot(page: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / name), full_page=True)


def _set_account(page: Any, office: ConsoleServer, port: int, timeout: str = "10") -> None:
    page.goto(office.url("/console/settings/mail"))
    page.fill("input[name=host]", "127.0.0.1")
    page.fill("input[name=port]", str(port))
    page.select_option("select[name=security]", "none")
    page.fill("input[name=username]", "")  # the test server takes mail without a login
    page.fill("input[name=password]", SECRET)
    page.fill("input[name=sender]", "office@example.cn")
    page.fill("input[name=per_minute]", "120")  # one every 0.5 s
    page.fill("input[name=timeout]", timeout)
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=已保存。")


def _wait_result(page: Any) -> str:
    """The batch's page refreshes itself while sending; its result once done."""
    page.wait_for_selector("section.cards.four", timeout=60_000)
    return str(page.inner_text("main"))


def test_office_reminds_the_units_not_reported_in_a_district(
    office: ConsoleServer, chromium: Any
) -> None:
    with smtp_server() as (inbox, port):
        page = office.signed_in_page(chromium)
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        _set_account(page, office, port)
        # the password is never shown again: not in the form, not in the page
        assert page.input_value("input[name=password]") == ""
        assert "已设置" in (page.get_attribute("input[name=password]", "placeholder") or "")
        assert SECRET not in page.content()
        _shot(page, "console-mail-settings.png")
        # the dashboard's filters: all not yet reported in 历下区, then "remind these units"
        page.goto(office.url(f"/console/campaigns/{CAMPAIGN}"))
        page.select_option("select[name=district]", "lixia")
        page.select_option("select[name=status]", "missing")
        page.click("form.filters button")
        page.click("a.remind")
        page.wait_for_selector("h1:has-text('催报提醒')")
        rows = page.locator("table.units tbody tr")
        assert rows.count() == 3 and ELSEWHERE not in page.inner_text("table.units")
        # ticked: the units with an address; the one without is ticked by hand
        assert page.is_checked(f"input[aria-label='{ONE}']")
        assert not page.is_checked(f"input[aria-label='{NOMAIL}']")
        page.check(f"input[aria-label='{NOMAIL}']")
        _shot(page, "console-reminders.png")
        page.click("button:has-text('预览提醒邮件')")
        page.wait_for_selector("h1:has-text('预览提醒邮件')")
        shown = page.inner_text("main")
        assert "【提醒】请报送2022年“质量月”" in shown and ONE in page.inner_text("pre.mailbody")
        assert re.search(r"将发送\s*2\s*封提醒邮件", shown)
        assert NOMAIL in page.inner_text("p.alert.bad")
        assert inbox.messages == []  # nothing goes out before "send"
        _shot(page, "console-reminders-preview.png")
        # send: the server refuses one address
        inbox.refuse = {"two@example.cn"}
        page.click("button:has-text('发送提醒邮件')")
        result = _wait_result(page)
        assert re.search(r"已发送\s*1", result) and re.search(r"未发送\s*2", result)
        notsent = page.inner_text("tbody.notsent")
        assert TWO in notsent and "拒收" in notsent and "550 5.1.1 mailbox unavailable" in notsent
        assert NOMAIL in notsent and "没有该单位的电子邮箱" in notsent
        _shot(page, "console-reminders-result.png")
        # send what was not sent: only that goes out
        inbox.refuse = set()
        with page.expect_navigation():
            page.click("button:has-text('重新发送未发送的提醒')")
        _wait_result(page)
        assert TWO in page.inner_text("tbody.sent") and ONE not in page.inner_text("tbody.sent")
        assert inbox.to("one@example.cn") == 1 and inbox.to("two@example.cn") == 1
        assert inbox.to("shi@example.cn") == 0
        mail = inbox.mails_to("two@example.cn")[0]
        assert "质量月" in mail["Subject"] and mail["From"] == "office@example.cn"
        assert TWO in mail.get_content() and "尚未报送" in mail.get_content()
        # each send on the unit's row, on the dashboard and on the reminders page
        page.goto(office.url(f"/console/campaigns/{CAMPAIGN}?district=lixia"))
        assert "已提醒" in page.locator("table.units tr", has_text=ONE).inner_text()
        assert "已提醒" in page.locator("table.units tr", has_text=TWO).inner_text()
        assert "已提醒" not in page.locator("table.units tr", has_text=NOMAIL).inner_text()
        page.goto(office.url(f"/console/campaigns/{CAMPAIGN}/reminders?district=lixia"))
        assert "未发出" in page.locator("table.units tr", has_text=NOMAIL).inner_text()
        # and in the audit log (the password in none of it)
        page.goto(office.url("/console/audit"))
        log = page.inner_text("table.grid")
        assert "smtp-settings" in log and "reminders-send" in log and "reminders-sent" in log
        assert SECRET not in page.content()
        assert errors == [], errors


def test_forms_need_the_csrf_token_and_the_right_role(
    office: ConsoleServer, tmp_path: Path
) -> None:
    s = office.session()
    base = office.url(f"/console/campaigns/{CAMPAIGN}/reminders")
    page = s.get(f"{base}?district=lixia", timeout=10)
    assert page.status_code == 200 and ONE in page.text and ELSEWHERE not in page.text
    csrf = form_csrf(page.text)
    # a forged form (no token, or another's) is refused and sends nothing
    for data in ({"unit": credit_code(11)}, {"unit": credit_code(11), "csrf": "x" * 43}):
        r = s.post(f"{base}/compose", data=data, timeout=10)
        assert r.status_code == 403 and "CSRF" in r.text
    r = s.post(office.url("/console/settings/mail"), data={"host": "evil"}, timeout=10)
    assert r.status_code == 403
    # a viewer may not remind nor see the mail account
    office.add_user("查看员", "viewer", "viewer-password-1")
    v = office.session("查看员", "viewer-password-1")
    assert v.get(base, timeout=10).status_code == 403
    assert v.get(office.url("/console/settings/mail"), timeout=10).status_code == 403
    # a bad form is said field by field and keeps nothing
    r = s.post(
        office.url("/console/settings/mail"),
        data={"csrf": csrf, "host": "mail.example.cn", "port": "99999", "password": "x"},
        timeout=10,
    )
    assert r.status_code == 422 and "端口" in r.text
    assert "还没有设置发信邮箱" in s.get(base, timeout=10).text
    # without an account the preview says so and cannot send
    r = s.post(f"{base}/compose", data={"csrf": csrf, "unit": credit_code(11)}, timeout=10)
    assert r.status_code == 200 and "还没有设置发信邮箱" in r.text and "disabled" in r.text


def test_a_server_that_answers_too_late_is_listed_and_never_sent_twice(
    office: ConsoleServer,
) -> None:
    with smtp_server() as (inbox, port):
        s = office.session()
        csrf = form_csrf(s.get(office.url("/console/settings/mail"), timeout=10).text)
        form = {"host": "127.0.0.1", "port": str(port), "security": "none"}
        form |= {"sender": "office@example.cn", "per_minute": "600", "timeout": "1"}
        r = s.post(office.url("/console/settings/mail"), data={**form, "csrf": csrf}, timeout=10)
        assert r.status_code == 200 and "已保存" in r.text, r.text[:500]
        base = office.url(f"/console/campaigns/{CAMPAIGN}/reminders")
        units = [credit_code(11), credit_code(12), credit_code(14)]
        preview = s.post(f"{base}/compose", data={"csrf": csrf, "unit": units}, timeout=10)
        batch = re.search(r'name="batch_id" value="([0-9a-f]{32})"', preview.text)
        assert batch, preview.text[:500]
        inbox.stall = {"two@example.cn": 3.0}  # takes the mail, answers after 1 s is up
        data = {"csrf": csrf, "batch_id": batch[1], "unit": units}
        first = _finished(s, s.post(f"{base}/batches", data=data, timeout=30).url)
        assert "结果不明" in first and "历下未报一公司" in first
        assert re.search(r"已发送\s*1", first) and re.search(r"未发送\s*1", first)
        # the same batch again: only what was not sent; the unknown one is not sent again
        again = _finished(s, s.post(f"{base}/batches", data=data, timeout=30).url)
        assert re.search(r"已发送\s*1", again) and ELSEWHERE in again
        assert re.search(r"此前已发送（未重发）\s*1", again)
        assert inbox.to("one@example.cn") == 1 and inbox.to("shi@example.cn") == 1
        assert inbox.to("two@example.cn") <= 1


def _finished(s: requests.Session, url: str) -> str:
    """The batch's page once the background send is done (it refreshes every 2 s)."""
    import time

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        text = s.get(url, timeout=10).text
        if 'http-equiv="refresh"' not in text:
            return re.sub(r"<[^>]+>", " ", text)
        time.sleep(0.2)  # polling the page as the browser's refresh does
    raise AssertionError("the batch did not finish in 60 s")
