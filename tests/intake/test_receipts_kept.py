"""A receipt is kept as the exact signed bytes given out: changing the campaign's deadline
afterwards never changes it (one receipt number, one signature)."""

from __future__ import annotations

import json
from pathlib import Path

import requests
from intake_server import IntakeServer
from mediafactory import make_jpeg

from intake.conftest import campaign_variant
from intake.protocol import auth, finalise, make_report, submit
from qmintake.signing import verify

CAMPAIGN = "jinan-2098-quality-month"


def test_changing_the_deadline_keeps_issued_receipts(tmp_path: Path) -> None:
    photo = make_jpeg(tmp_path / "p.jpg", seed=5)
    campaign_file = campaign_variant(tmp_path, CAMPAIGN, "2098-09-30T23:59:59")
    srv = IntakeServer(tmp_path / "intake", campaign_files=[campaign_file])
    srv.start()
    try:
        token = srv.unit_token(name="回执企业")
        report = make_report([photo], name="回执企业", campaign_id=CAMPAIGN)
        first = submit(srv, token, report, [photo])
        assert first["due"].startswith("2098-09-30T23:59:59")
        srv.stop()
        campaign_variant(tmp_path, CAMPAIGN, "2098-10-31T23:59:59")  # the office extends it
        srv.start()
        key = requests.get(srv.url("/api/v1"), timeout=10).json()["receipt_key"]["public_key"]
        again = finalise(srv, token, report)
        assert again.status_code == 200, again.text
        assert again.json() == first
        status = requests.get(
            srv.url(f"/api/v1/submissions/{report.uuid}"), headers=auth(token), timeout=10
        ).json()
        assert status["revisions"][0]["receipt"] == first
        shown = json.loads(srv.cli("show", report.uuid).stdout)
        assert shown["revisions"][0]["receipt"] == first
        assert verify(first, key)
    finally:
        srv.stop()
