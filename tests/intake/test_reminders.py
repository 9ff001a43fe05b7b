"""Reminders through a real SMTP server (aiosmtpd): the account kept with its password
never shown, preview then send, each unit once, a refusing or silent server listed and
never a reminder sent twice, the rate limit, the per-unit log."""

from __future__ import annotations

import email
import email.policy
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from intake_server import IntakeServer

from intake.conftest import JINAN
from intake.mailbox import Inbox, free_port, smtp_server
from intake.officeapp import USER, OfficeApp
from intake.officedata import Sent, populate, write_roster
from qmclient.core.rollup import ExpectedUnit
from qmclient.export.expected_units import read_expected_units
from qmclient.export.smtp import SmtpSettings
from qmintake.models import OfficeSettingRow
from qmintake.office import reminders as rem
from qmintake.office.smtpaccount import load_account, save_account
from qmintake.settings import IntakeState, Settings

CAMPAIGN = "jinan-2022-quality-month"
MISSING = [
    ("历下未报一公司", "历下区", "one@example.cn", "李一"),
    ("历下未报二公司", "历下区", "two@example.cn", "李二"),
    ("历下无邮箱公司", "历下区", "", "李三"),
    ("市中未报公司", "市中区", "shi@example.cn", "王五"),
]
DISTRICTS = {"历下区": "lixia", "市中区": "shizhong", "槐荫区": "huaiyin"}


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    with smtp_server() as (inbox, port):
        yield inbox, port


@pytest.fixture(scope="module")
def office(
    backend: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[IntakeServer, list[Sent]]]:
    srv = IntakeServer(tmp_path_factory.mktemp("intake"), db_url=backend, campaign_files=[JINAN])
    srv.start()
    try:
        yield srv, populate(srv, tmp_path_factory.mktemp("media"))
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def roster_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_roster(tmp_path_factory.mktemp("roster") / "名单.xlsx", MISSING)


@pytest.fixture(scope="module")
def roster(roster_file: Path) -> list[ExpectedUnit]:
    return read_expected_units(roster_file, DISTRICTS)


@pytest.fixture
def state(office: tuple[IntakeServer, list[Sent]]) -> Iterator[IntakeState]:
    srv = office[0]
    st = IntakeState(Settings(data_dir=srv.data_dir, db_url=srv.db_url, campaign_files=(JINAN,)))
    yield st
    st.close()


def _account(st: IntakeState, port: int, per_minute: int = 600, timeout: float = 10) -> None:
    settings = SmtpSettings("127.0.0.1", port, "none", sender="office@example.cn", timeout=timeout)
    save_account(st, settings, "", per_minute)


def _targets(
    st: IntakeState, roster: list[ExpectedUnit], district: str
) -> list[rem.ReminderTarget]:
    return rem.targets_from_roster(rem.not_yet_reported(st, CAMPAIGN, roster, district))


def test_account_password_is_never_shown(
    office: tuple[IntakeServer, list[Sent]], roster: list[ExpectedUnit], smtp: tuple[Inbox, int]
) -> None:
    srv, _ = office
    secret = "Pa55-授权码-xyz"
    done = srv.cli("smtp", "set", "--host", "127.0.0.1", "--port", "2525", "--security",
                   "starttls", "--username", "office@example.cn", "--password-stdin",
                   check=False, input=secret + "\n")  # fmt: skip
    assert done.returncode == 0, done.stderr
    shown = srv.cli("smtp", "show").stdout
    assert "password_set: True" in shown and secret not in shown
    for f in srv.data_dir.glob("qmintake.sqlite3*"):
        assert secret.encode() not in f.read_bytes(), f.name
    with OfficeApp(srv.data_dir, [JINAN], roster, srv.db_url) as app:
        with app.state.db.session() as s:  # in the database only encrypted
            stored = s.get(OfficeSettingRow, "smtp")
            assert stored is not None and secret not in stored.value
        got = requests.get(app.url("/console/settings/smtp"), headers=USER, timeout=10)
        assert got.status_code == 200 and secret not in got.text
        assert got.json()["account"]["password_set"] is True
        # the form sent back without a password keeps the stored one
        form: dict[str, Any] = {
            "host": "127.0.0.1",
            "port": 2526,
            "security": "starttls",
            "username": "o@x.cn",
        }
        put = requests.post(app.url("/console/settings/smtp"), json=form, headers=USER)
        assert put.status_code == 200 and put.json()["account"]["password_set"] is True
        assert secret not in put.text
        loaded = load_account(app.state)
        assert loaded is not None and loaded[1] == secret and loaded[0].settings.port == 2526


def test_preview_then_send_each_unit_once(
    office: tuple[IntakeServer, list[Sent]],
    roster: list[ExpectedUnit],
    roster_file: Path,
    smtp: tuple[Inbox, int],
) -> None:
    srv, _ = office
    inbox, port = smtp
    preview = srv.cli("remind", CAMPAIGN, "--roster", str(roster_file), "--district", "lixia")
    assert "历下未报一公司" in preview.stdout and "市中未报公司" not in preview.stdout
    assert "3 unit(s) not reported" in preview.stdout and not inbox.messages
    with OfficeApp(srv.data_dir, [JINAN], roster, srv.db_url) as app:
        _account(app.state, port)
        base = app.url(f"/console/campaigns/{CAMPAIGN}/reminders")
        pv = requests.post(f"{base}/preview", json={"district": "lixia"}, headers=USER).json()
        assert [r["name"] for r in pv["reminders"]] == [
            "历下未报一公司",
            "历下未报二公司",
            "历下无邮箱公司",
        ]
        assert "尚未报送" in pv["reminders"][0]["body"] and not inbox.messages
        body = {"district": "lixia", "batch_id": pv["batch_id"]}
        sent = requests.post(f"{base}/send", json=body, headers=USER, timeout=60).json()
        assert [t["name"] for t in sent["sent"]] == ["历下未报一公司", "历下未报二公司"]
        assert [t["name"] for t in sent["not_sent"]] == ["历下无邮箱公司"]
        assert "邮箱" in sent["not_sent"][0]["reason_zh"]
        again = requests.post(f"{base}/send", json=body, headers=USER, timeout=60).json()
        assert again["sent"] == [] and len(again["already_sent"]) == 2
        assert inbox.to("one@example.cn") == 1 and inbox.to("two@example.cn") == 1
        msg = email.message_from_bytes(inbox.messages[0][1], policy=email.policy.default)
        assert "质量月" in msg["Subject"] and "历下未报一公司" in msg.get_content()
        log = requests.get(f"{base}/log", headers=USER).json()["units"]
        assert log["历下未报一公司"][0]["state"] == "sent"
        assert "市中未报公司" not in log
        assert requests.post(f"{base}/send", json=body).status_code == 401


def test_refusing_server_lists_what_was_not_sent_and_resends_only_that(
    state: IntakeState, roster: list[ExpectedUnit], smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    _account(state, port)
    targets = _targets(state, roster, "")
    batch = rem.new_batch_id()
    inbox.refuse = {"two@example.cn"}
    first = rem.send_batch(state, CAMPAIGN, targets, batch)
    assert [t.name for t in first.sent] == ["历下未报一公司", "市中未报公司"]
    refused = [n for n in first.not_sent if n.target.email == "two@example.cn"]
    assert len(refused) == 1 and "拒收" in refused[0].zh
    inbox.refuse = set()
    second = rem.send_batch(state, CAMPAIGN, targets, batch)
    assert [t.name for t in second.sent] == ["历下未报二公司"]
    assert len(second.already_sent) == 2
    for addr in ("one@example.cn", "two@example.cn", "shi@example.cn"):
        assert inbox.to(addr) == 1, addr


def test_silent_server_times_out_and_no_reminder_goes_twice(
    state: IntakeState, roster: list[ExpectedUnit], smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    _account(state, port, timeout=1.0)
    targets = _targets(state, roster, "")
    batch = rem.new_batch_id()
    inbox.stall = {"two@example.cn": 3.0}  # takes the mail, answers after the client gave up
    first = rem.send_batch(state, CAMPAIGN, targets, batch)
    assert [t.name for t in first.sent] == ["历下未报一公司"]
    assert [n.target.name for n in first.uncertain] == ["历下未报二公司"]
    assert "不会自动重发" in first.uncertain[0].zh
    assert [n.target.name for n in first.not_sent] == ["历下无邮箱公司", "市中未报公司"]
    assert "未发送" in first.not_sent[1].zh
    second = rem.send_batch(state, CAMPAIGN, targets, batch)
    assert [t.name for t in second.sent] == ["市中未报公司"]
    assert [n.target.name for n in second.uncertain] == ["历下未报二公司"]
    # the stalled mail may or may not have arrived; whatever happened, never twice
    assert inbox.to("two@example.cn") <= 1
    for addr in ("one@example.cn", "shi@example.cn"):
        assert inbox.to(addr) == 1, addr
    log = rem.reminder_log(state, CAMPAIGN)
    assert log["历下未报二公司"][0].state == "sending"  # shown as "unknown" on its row


def test_no_server_lists_every_reminder_as_not_sent(
    state: IntakeState, roster: list[ExpectedUnit]
) -> None:
    _account(state, free_port(), timeout=2.0)
    result = rem.send_batch(
        state, CAMPAIGN, _targets(state, roster, "shizhong"), rem.new_batch_id()
    )
    assert result.sent == [] and [n.target.name for n in result.not_sent] == ["市中未报公司"]
    assert "无法连接邮件服务器" in result.not_sent[0].zh


def test_rate_limit(
    state: IntakeState, roster: list[ExpectedUnit], smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    _account(state, port, per_minute=120)  # one every 0.5 s
    result = rem.send_batch(state, CAMPAIGN, _targets(state, roster, ""), rem.new_batch_id())
    assert len(result.sent) == 3
    times = [t for _r, _m, t in inbox.messages]
    assert all(b - a >= 0.45 for a, b in itertools.pairwise(times))
