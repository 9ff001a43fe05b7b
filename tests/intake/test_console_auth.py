"""The console's door: accounts, sessions, CSRF, lock-out, roles — over real HTTP."""

from __future__ import annotations

import time
from pathlib import Path

import requests
from intake_server import VALID_CREDIT_CODE

from intake.browser import ADMIN, ADMIN_PASSWORD, CAMPAIGN, ConsoleServer, form_csrf, start_console
from intake.protocol import auth, make_report, submit

NO_REDIRECT = {"allow_redirects": False, "timeout": 30}


def _login(srv: ConsoleServer, s: requests.Session, name: str, password: str) -> requests.Response:
    page = s.get(srv.url("/console/login"), timeout=10)
    return s.post(
        srv.url("/console/login"),
        data={"name": name, "password": password, "csrf": form_csrf(page.text)},
        **NO_REDIRECT,
    )


def test_sign_in_sets_a_guarded_cookie_and_sign_out_ends_it(console: ConsoleServer) -> None:
    s = requests.Session()
    assert s.get(console.url("/console/campaigns"), **NO_REDIRECT).status_code == 303
    r = _login(console, s, ADMIN, ADMIN_PASSWORD)
    assert r.status_code == 303 and r.headers["location"] == "/console/campaigns"
    cookie = r.headers["set-cookie"]
    assert "qm_console=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Path=/console" in cookie and "Secure" not in cookie  # plain HTTP on loopback
    page = s.get(console.url("/console/campaigns"), timeout=10)
    assert page.status_code == 200 and "质量月" in page.text and ADMIN in page.text
    r = s.post(console.url("/console/logout"), data={"csrf": form_csrf(page.text)}, **NO_REDIRECT)
    assert r.status_code == 303
    assert s.get(console.url("/console/campaigns"), **NO_REDIRECT).status_code == 303
    audit = console.session().get(console.url("/console/audit"), timeout=10).text
    assert "sign-in" in audit and "sign-out" in audit


def test_wrong_passwords_lock_the_account_and_guessing_1000_times_gets_nowhere(
    console: ConsoleServer,
) -> None:
    s = requests.Session()
    page = s.get(console.url("/console/login"), timeout=10)
    started = time.monotonic()
    answers = []
    for i in range(1000):  # a guesser reading each answer's fresh form token
        page = s.post(
            console.url("/console/login"),
            data={"name": ADMIN, "password": f"guess-{i:04d}", "csrf": form_csrf(page.text)},
            **NO_REDIRECT,
        )
        answers.append(page.status_code)
    took = time.monotonic() - started
    assert answers[:5] == [401] * 5  # wrong password; the fifth locks the account
    assert set(answers[5:]) == {429}  # locked: not even checked any more
    # the right password does not open a locked account either, and it says why
    r = _login(console, s, ADMIN, ADMIN_PASSWORD)
    assert r.status_code == 429 and "锁定" in r.text
    assert took < 60, f"1000 refused sign-ins took {took:.1f} s"
    # an administrator's reset on the command line unlocks it
    done = console.cli("user", "password", ADMIN, "--password-stdin", check=False)
    assert done.returncode != 0  # no password on stdin: too short, refused
    import subprocess
    import sys

    cmd = [sys.executable, "-m", "qmintake", *console._global_args()]
    subprocess.run(
        [*cmd, "user", "password", ADMIN, "--password-stdin"],
        input="another-long-password\n",
        text=True,
        check=True,
        env=console._env(),
        capture_output=True,
    )
    assert _login(console, requests.Session(), ADMIN, "another-long-password").status_code == 303
    s = console.session(ADMIN, "another-long-password")
    failed = s.get(console.url("/console/audit?action=sign-in-failed"), timeout=10).text
    assert failed.count("<td><code>sign-in-failed</code></td>") == 5
    locked = s.get(console.url("/console/audit?action=account-locked"), timeout=10).text
    assert locked.count("<td><code>account-locked</code></td>") == 1


def test_forms_without_the_sessions_csrf_token_are_refused(console: ConsoleServer) -> None:
    s = console.session()
    page = s.get(console.url("/console/users"), timeout=10)
    token = form_csrf(page.text)
    form = {"name": "审核员李", "role": "reviewer", "password": "long-enough-pass"}
    # no token, a forged token, a token of another session, another site's Origin
    other = console.session()
    other_token = form_csrf(other.get(console.url("/console/users"), timeout=10).text)
    assert other_token != token
    for data, headers in (
        (form, {}),
        ({**form, "csrf": "forged"}, {}),
        ({**form, "csrf": other_token}, {}),
        ({**form, "csrf": token}, {"Origin": "http://evil.example"}),
    ):
        r = s.post(console.url("/console/users"), data=data, headers=headers, **NO_REDIRECT)
        assert r.status_code == 403 and "CSRF" in r.text, (data, headers)
    assert "审核员李" not in s.get(console.url("/console/users"), timeout=10).text
    # the right token works
    r = s.post(console.url("/console/users"), data={**form, "csrf": token}, **NO_REDIRECT)
    assert r.status_code == 200 and "审核员李" in r.text
    # a form replayed after signing out (old cookie, old token) is refused
    cookie = s.cookies.get("qm_console")
    s.post(console.url("/console/logout"), data={"csrf": token}, **NO_REDIRECT)
    replay = requests.post(
        console.url("/console/users"),
        data={**form, "name": "重放", "csrf": token},
        cookies={"qm_console": cookie or ""},
        **NO_REDIRECT,
    )
    assert replay.status_code == 403
    # the sign-in form has its own token (no login CSRF)
    r = requests.post(
        console.url("/console/login"),
        data={"name": ADMIN, "password": ADMIN_PASSWORD},
        **NO_REDIRECT,
    )
    assert r.status_code == 403


def test_a_cookie_from_another_server_opens_nothing(console: ConsoleServer, tmp_path: Path) -> None:
    other = start_console(tmp_path / "other")
    try:
        foreign = other.session().cookies.get("qm_console")
    finally:
        other.stop()
    r = requests.get(
        console.url("/console/campaigns"), cookies={"qm_console": foreign or ""}, **NO_REDIRECT
    )
    assert r.status_code == 303 and r.headers["location"].startswith("/console/login")


def test_tokens_and_sessions_do_not_cross(console: ConsoleServer) -> None:
    token = console.unit_token()
    r = requests.get(console.url("/console/campaigns"), headers=auth(token), **NO_REDIRECT)
    assert r.status_code == 303  # a unit's token never opens the console
    s = console.session()
    r = s.get(console.url("/api/v1/submissions"), timeout=10)
    assert r.status_code == 401  # a console session never opens the API


def test_roles_limit_what_a_user_may_do(console: ConsoleServer, tmp_path: Path) -> None:
    from mediafactory import make_jpeg

    token = console.unit_token()
    photo = make_jpeg(tmp_path / "p.jpg", seed=3)
    report = make_report([photo], credit_code=VALID_CREDIT_CODE)
    submit(console, token, report, [photo])
    console.add_user("查看员赵", "viewer", "viewer-password-1")
    viewer = console.session("查看员赵", "viewer-password-1")
    page = viewer.get(console.url(f"/console/campaigns/{CAMPAIGN}/submissions/{report.uuid}"))
    assert page.status_code == 200 and "济南某某有限公司" in page.text
    assert "/accept" not in page.text  # no review buttons for a viewer
    r = viewer.post(
        console.url(f"/console/campaigns/{CAMPAIGN}/submissions/{report.uuid}/accept"),
        data={"csrf": form_csrf(page.text)},
        **NO_REDIRECT,
    )
    assert r.status_code == 403 and "reviewer" in r.text
    assert viewer.get(console.url("/console/users"), **NO_REDIRECT).status_code == 403
    got = requests.get(console.url(f"/api/v1/submissions/{report.uuid}"), headers=auth(token))
    assert got.json()["status"] == "received"


def test_unknown_or_foreign_reports_are_not_found(console: ConsoleServer, tmp_path: Path) -> None:
    from intake_server import IntakeServer  # noqa: F401  (the same server, another campaign)
    from mediafactory import make_jpeg

    s = console.session()
    missing = s.get(
        console.url(
            f"/console/campaigns/{CAMPAIGN}/submissions/{'0' * 8}-0000-4000-8000-{'0' * 12}"
        )
    )
    assert missing.status_code == 404 and "没有这份报送" in missing.text
    bogus = s.get(console.url(f"/console/campaigns/{CAMPAIGN}/submissions/../../etc/passwd"))
    assert bogus.status_code == 404
    # a real report, asked for under another campaign's address
    from qmclient.resources import campaigns_dir

    text = (campaigns_dir() / f"{CAMPAIGN}.toml").read_text(encoding="utf-8")
    other = tmp_path / "other.toml"
    other.write_text(
        text.replace(f'id = "{CAMPAIGN}"', 'id = "jinan-2023-quality-month"', 1), encoding="utf-8"
    )
    assert console.cli("campaign", "import", str(other)).returncode == 0
    token = console.unit_token()
    photo = make_jpeg(tmp_path / "p.jpg", seed=4)
    report = make_report([photo])
    submit(console, token, report, [photo])
    assert s.get(console.url(f"/console/campaigns/{CAMPAIGN}/submissions/{report.uuid}")).ok
    foreign = s.get(
        console.url(f"/console/campaigns/jinan-2023-quality-month/submissions/{report.uuid}")
    )
    assert foreign.status_code == 404
    no_campaign = s.get(console.url(f"/console/campaigns/nope/submissions/{report.uuid}"))
    assert no_campaign.status_code == 404 and "没有活动" in no_campaign.text


def test_password_change_signs_out_other_browsers(console: ConsoleServer) -> None:
    first, second = console.session(), console.session()
    page = first.get(console.url("/console/account"), timeout=10)
    token = form_csrf(page.text)
    bad = first.post(
        console.url("/console/account"),
        data={
            "old": "wrong-password",
            "new": "new-password-42",
            "again": "new-password-42",
            "csrf": token,
        },
        **NO_REDIRECT,
    )
    assert bad.status_code == 422 and "当前密码不对" in bad.text
    ok = first.post(
        console.url("/console/account"),
        data={
            "old": ADMIN_PASSWORD,
            "new": "new-password-42",
            "again": "new-password-42",
            "csrf": token,
        },
        **NO_REDIRECT,
    )
    assert ok.status_code == 303
    assert first.get(console.url("/console/campaigns"), **NO_REDIRECT).status_code == 200
    assert second.get(console.url("/console/campaigns"), **NO_REDIRECT).status_code == 303
    assert _login(console, requests.Session(), ADMIN, ADMIN_PASSWORD).status_code == 401


def test_cookies_are_secure_behind_tls(tmp_path: Path) -> None:
    srv = start_console(tmp_path / "tls", serve_args=["--behind-tls"])
    try:
        page = requests.get(srv.url("/console/login"), timeout=10)
        assert "Secure" in page.headers["set-cookie"]  # even the sign-in form's nonce
        r = requests.post(  # (a client on plain HTTP keeps Secure cookies: sent by hand)
            srv.url("/console/login"),
            data={"name": ADMIN, "password": ADMIN_PASSWORD, "csrf": form_csrf(page.text)},
            cookies={"qm_login": page.cookies["qm_login"]},
            **NO_REDIRECT,
        )
        assert r.status_code == 303 and "Secure" in r.headers["set-cookie"]
    finally:
        srv.stop()


def test_every_console_page_needs_a_session() -> None:
    """Each route under /console/ (but the sign-in, language and style sheet) takes a user."""
    import inspect
    import tempfile

    from qmintake.app import create_app
    from qmintake.console import routes_account, routes_campaigns, routes_review, routes_roster
    from qmintake.settings import Settings

    open_routes = {"/console", "/console/", "/console/login", "/console/lang"}
    with tempfile.TemporaryDirectory() as tmp:
        create_app(Settings(data_dir=Path(tmp)))  # the console mounts without complaint
        checked = 0
        routes = [
            r
            for m in (routes_account, routes_campaigns, routes_review, routes_roster)
            for r in m.router.routes
        ]
        for route in routes:
            path = getattr(route, "path", "")
            if path in open_routes:
                continue
            params = inspect.signature(route.endpoint).parameters  # type: ignore[attr-defined]
            user = params.get("user")
            assert user is not None, f"{path} has no signed-in user"
            assert user.annotation in ("Viewer", "Reviewer", "Admin"), path
            checked += 1
        assert checked >= 20
