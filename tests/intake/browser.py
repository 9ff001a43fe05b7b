"""A real browser for the console's tests: Debian's chromium driven by Playwright.

    from intake.browser import ConsoleServer, chromium, console   # fixtures, see conftest

    def test_x(console: ConsoleServer, chromium: Browser) -> None:
        page = console.signed_in_page(chromium)              # the admin, signed in
        page.goto(console.url("/console/campaigns"))

``chromium`` (one browser per test session) is skipped, saying why, when
``/usr/bin/chromium`` or the ``playwright`` package is missing (``./qm`` installs both).
``console`` is a running qmintake (SQLite, port 0) with an administrator account
(``ADMIN`` / ``ADMIN_PASSWORD``) and the bundled 2022 Jinan campaign stored.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import requests
from intake_server import IntakeServer

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ADMIN = "管理员王"
ADMIN_PASSWORD = "correct-horse-battery-9"
CAMPAIGN = "jinan-2022-quality-month"


class ConsoleServer(IntakeServer):
    """An intake server with the console's first administrator."""

    def add_user(self, name: str, role: str, password: str) -> None:
        cmd = [sys.executable, "-m", "qmintake", *self._global_args()]
        cmd += ["user", "add", name, "--role", role, "--password-stdin"]
        done = subprocess.run(
            cmd, input=password + "\n", capture_output=True, text=True, env=self._env(), timeout=60
        )
        assert done.returncode == 0, done.stderr

    def session(self, name: str = ADMIN, password: str = ADMIN_PASSWORD) -> requests.Session:
        """A requests session signed in to the console (forms as a browser sends them)."""
        s = requests.Session()
        r = s.get(self.url("/console/login"), timeout=10)
        r = s.post(
            self.url("/console/login"),
            data={"name": name, "password": password, "csrf": form_csrf(r.text)},
            timeout=30,
        )
        assert r.status_code == 200 and "/console/campaigns" in r.url, r.text[:500]
        return s

    def signed_in_page(
        self, browser: Browser, name: str = ADMIN, password: str = ADMIN_PASSWORD, **ctx: Any
    ) -> Page:
        context = browser.new_context(
            locale="zh-CN", viewport={"width": 1366, "height": 900}, **ctx
        )
        page = context.new_page()
        page.goto(self.url("/console/"))
        page.fill("input[name=name]", name)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r".*/console/campaigns$"))
        return page


def form_csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field in the page"
    return found.group(1)


def launch_chromium() -> Any:
    """(playwright, browser) — Debian's chromium, headless, no network of its own."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (./qm installs Debian's chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright package is not installed (pip install .[test])")
    pw = sync_playwright().start()
    browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    return pw, browser


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    pw, browser = launch_chromium()
    try:
        yield browser
    finally:
        browser.close()
        pw.stop()


def start_console(data_dir: Path, **kw: Any) -> ConsoleServer:
    from qmclient.resources import campaigns_dir

    srv = ConsoleServer(
        data_dir, campaign_files=[campaigns_dir() / f"{CAMPAIGN}.toml"], **kw
    ).start()
    srv.campaign_files = []  # stored now: later commands need no flag
    srv.add_user(ADMIN, "admin", ADMIN_PASSWORD)
    return srv


@pytest.fixture
def console(tmp_path: Path) -> Iterator[ConsoleServer]:
    srv = start_console(tmp_path / "intake")
    try:
        yield srv
    finally:
        srv.stop()
