"""The office's downloads and reminders as the console mounts them: behind its sessions
(and CSRF for the JSON posts), over the roster kept in the database."""

from __future__ import annotations

from pathlib import Path

import requests
from mediafactory import make_jpeg

from intake.browser import CAMPAIGN, ConsoleServer, form_csrf
from intake.protocol import auth, make_report, submit

NO_REDIRECT = {"allow_redirects": False, "timeout": 60}


def test_downloads_and_reminders_need_a_session_and_use_the_roster(
    console: ConsoleServer, tmp_path: Path
) -> None:
    roster = tmp_path / "r.csv"
    roster.write_text(
        "单位名称,类型,区县,统一社会信用代码,联系人,联系电话,电子邮箱\r\n"
        "济南某某有限公司,企业,历下区,91350100M000100Y43,张三,13800000000,a@example.cn\r\n"
        "济南乙机械有限公司,企业,历下区,91370100MA3C5LXL25,李四,13800000001,b@example.cn\r\n",
        encoding="utf-8",
    )
    console.cli("roster", "import", CAMPAIGN, str(roster))
    token = console.unit_token()
    photo = make_jpeg(tmp_path / "p.jpg", seed=9)
    report = make_report([photo])
    submit(console, token, report, [photo])
    base = f"/console/campaigns/{CAMPAIGN}"
    for path in (
        f"{base}/rollup.xlsx",
        f"{base}/archive.zip",
        f"/console/submissions/{report.uuid}/report.zip",
        f"{base}/reminders/log",
    ):
        assert requests.get(console.url(path), **NO_REDIRECT).status_code == 303, path
        r = requests.get(console.url(path), headers=auth(token), **NO_REDIRECT)
        assert r.status_code == 303, path  # a unit's token opens none of them
    s = console.session()
    rollup = s.get(console.url(f"{base}/rollup.xlsx"), timeout=60)
    assert rollup.status_code == 200 and rollup.content[:2] == b"PK"
    assert s.get(console.url(f"/console/submissions/{report.uuid}/report.zip")).ok
    # a JSON post needs the session's token in X-CSRF-Token
    csrf = form_csrf(s.get(console.url("/console/account"), timeout=30).text)
    body = {"district": "lixia", "only_not_reported": True}
    refused = s.post(console.url(f"{base}/reminders/preview"), json=body, **NO_REDIRECT)
    assert refused.status_code == 403
    preview = s.post(
        console.url(f"{base}/reminders/preview"),
        json=body,
        headers={"X-CSRF-Token": csrf},
        **NO_REDIRECT,
    )
    assert preview.status_code == 200, preview.text
    assert "济南乙机械有限公司" in preview.text and "b@example.cn" in preview.text
    assert "济南某某有限公司" not in preview.text  # it has reported
