"""Campaigns live in the database: office commands need no --campaign-file after serve."""

from __future__ import annotations

import json
from pathlib import Path

from intake_server import IntakeServer
from mediafactory import make_jpeg

from intake.browser import ConsoleServer, form_csrf
from intake.conftest import campaign_variant
from intake.protocol import make_report, submit

OTHER = "jinan-2099-quality-month"


def test_office_commands_keep_receipts_without_repeating_flags(tmp_path: Path) -> None:
    """The defect: `serve --campaign-file X --receipt-prefix …` gave receipts, and a later
    `qmintake show` without those flags printed the submission with no receipt at all."""
    campaign = campaign_variant(tmp_path, OTHER, "2099-09-30T23:59:59")
    srv = IntakeServer(
        tmp_path / "intake",
        campaign_files=[campaign],
        extra_args=["--receipt-prefix", f"{OTHER}=JNQ99"],
    )
    with srv:
        token = srv.unit_token()
        photo = make_jpeg(tmp_path / "p.jpg", seed=1)
        report = make_report([photo], campaign_id=OTHER)
        receipt = submit(srv, token, report, [photo])
    assert receipt["receipt_number"] == "JNQ99-000001"
    srv.campaign_files, srv.extra_args = [], []  # the office's next command: no flags
    shown = json.loads(srv.cli("show", report.uuid).stdout)
    assert shown["revisions"][0]["receipt"]["receipt_number"] == "JNQ99-000001"
    listed = srv.cli("submissions").stdout
    assert "JNQ99-000001" in listed
    assert OTHER in srv.cli("campaign", "list").stdout
    # and serve without flags serves it and keeps numbering in the same scheme
    with srv:
        second = make_report([photo], campaign_id=OTHER)
        assert submit(srv, srv.unit_token(), second, [photo])["receipt_number"] == "JNQ99-000002"


def test_campaign_import_stores_and_refuses_broken_files(tmp_path: Path) -> None:
    srv = IntakeServer(tmp_path / "intake")
    campaign = campaign_variant(tmp_path, OTHER, "2099-09-30T23:59:59")
    done = srv.cli("campaign", "import", str(campaign), "--prefix", "jq99")
    assert "JQ99-000001" in done.stdout
    assert "unchanged" in srv.cli("campaign", "import", str(campaign)).stdout
    broken = tmp_path / "broken.toml"
    broken.write_text(campaign.read_text(encoding="utf-8").replace("due =", "due_x ="), "utf-8")
    bad = srv.cli("campaign", "import", str(broken), check=False)
    assert bad.returncode == 2 and "broken.toml" in bad.stderr
    missing = srv.cli("campaign", "import", str(tmp_path / "nope.toml"), check=False)
    assert missing.returncode == 2
    listed = srv.cli("campaign", "list").stdout.splitlines()
    assert [line.split("\t")[:2] for line in listed] == [[OTHER, "JQ99"]]


def test_campaign_upload_in_the_console(console: ConsoleServer, tmp_path: Path) -> None:
    s = console.session()
    page = s.get(console.url("/console/campaigns"), timeout=30)
    csrf = form_csrf(page.text)
    good = campaign_variant(tmp_path, OTHER, "2099-09-30T23:59:59")
    broken = good.read_bytes().replace(b"due =", b"due_x =")
    bad = s.post(
        console.url("/console/campaigns"),
        data={"csrf": csrf},
        files={"file": ("坏的.toml", broken)},
        timeout=60,
    )
    assert bad.status_code == 422 and "活动文件有问题" in bad.text and "坏的.toml" in bad.text
    ok = s.post(
        console.url("/console/campaigns"),
        data={"csrf": csrf, "prefix": "jq99"},
        files={"file": ("next.toml", good.read_bytes())},
        timeout=60,
    )
    assert ok.status_code == 200 and ok.url.endswith(f"/console/campaigns/{OTHER}")
    assert [
        line.split("\t")[:2]
        for line in console.cli("campaign", "list").stdout.splitlines()
        if line.startswith(OTHER)
    ] == [[OTHER, "JQ99"]]
