"""The office's commands: tokens, listing, return for revision, accept, Excel roll-up."""

from __future__ import annotations

import json
from pathlib import Path

import requests
from intake_server import IntakeServer
from mediafactory import make_jpeg
from openpyxl import load_workbook

from intake.protocol import auth, finalise, make_report, put, submit
from intake.test_api import problem


def _status(srv: IntakeServer, token: str, uuid: str) -> dict:
    r = requests.get(srv.url(f"/api/v1/submissions/{uuid}"), headers=auth(token), timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def test_return_revise_accept(server: IntakeServer, media_dir: Path) -> None:
    photo = make_jpeg(media_dir / "admin.jpg", seed=31)
    token = server.unit_token(name="退回企业")
    r1 = make_report([photo], name="退回企业")
    first = submit(server, token, r1, [photo])
    # only a received submission can be decided on
    draft = make_report([photo], name="退回企业")
    assert put(server, token, draft).status_code == 201
    refused = server.cli("accept", draft.uuid, check=False)
    assert refused.returncode == 1 and "open" in refused.stderr
    server.cli("return", r1.uuid, "--comment", "请补充活动照片说明")
    st = _status(server, token, r1.uuid)
    assert st["status"] == "returned" and st["comment"] == "请补充活动照片说明"
    r2 = make_report([photo], name="退回企业", uuid=r1.uuid, revision=2, title="修改后的总结")
    assert put(server, token, r2).status_code == 201
    assert _status(server, token, r1.uuid)["status"] == "open"
    second = submit(server, token, r2, [photo])
    assert second["receipt_number"] != first["receipt_number"]
    st = _status(server, token, r1.uuid)
    assert st["status"] == "received" and st["comment"] == ""
    assert [r["revision"] for r in st["revisions"]] == [1, 2]
    server.cli("accept", r1.uuid)
    st = _status(server, token, r1.uuid)
    assert st["status"] == "accepted"
    assert [(h["revision"], h["action"]) for h in st["history"]] == [
        (1, "received"),
        (1, "returned"),
        (2, "received"),
        (2, "accepted"),
    ]
    assert st["history"][1]["comment"] == "请补充活动照片说明"
    r3 = make_report([photo], name="退回企业", uuid=r1.uuid, revision=3, title="再改")
    problem(put(server, token, r3), 409, "submission-closed")
    assert (
        server.cli(
            "return", "00000000-0000-4000-8000-000000000000", "--comment", "x", check=False
        ).returncode
        == 1
    )
    listed = json.loads(server.cli("submissions", "--json").stdout)
    assert r1.uuid in {s["uuid"] for s in listed}
    text = server.cli("submissions").stdout
    assert second["receipt_number"] in text and "accepted" in text
    assert finalise(server, token, r2).json()["receipt_number"] == second["receipt_number"]


def test_excel_rollup(server: IntakeServer, media_dir: Path, tmp_path: Path) -> None:
    photo = make_jpeg(media_dir / "rollup.jpg", seed=32)
    token = server.district_token("pingyin", "平阴县市场监管局")
    receipts = [
        submit(
            server, token, make_report([photo], district="pingyin", name=f"平阴企业{i}"), [photo]
        )
        for i in range(3)
    ]
    out = tmp_path / "汇总.xlsx"
    done = server.cli("export", str(out), "--campaign", "jinan-2022-quality-month")
    assert "submission(s) written" in done.stdout
    ws = load_workbook(out).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "回执编号" and rows[0][1] == "报送单位"
    by_receipt = {r[0]: r for r in rows[1:]}
    for rc in receipts:
        row = by_receipt[rc["receipt_number"]]
        assert row[2] == "企业" and row[3] == "平阴县"
        assert row[9] == 1 and row[15] == "否"  # one photo; 2022 was long ago: late
        assert row[19] == rc["report_sha256"]


def test_token_commands(server: IntakeServer) -> None:
    bad = server.cli(
        "token", "issue", "--name", "x", "--kind", "district", "--district", "atlantis", check=False
    )
    assert bad.returncode == 2 and "atlantis" in bad.stderr
    missing = server.cli("token", "issue", "--name", "x", "--kind", "enterprise", check=False)
    assert missing.returncode == 2 and "district" in missing.stderr
    out = server.cli("token", "issue", "--name", "列表部门", "--kind", "department", "--json")
    token = json.loads(out.stdout)["token"]
    whoami = requests.get(server.url("/api/v1/whoami"), headers=auth(token), timeout=10)
    assert whoami.json()["name"] == "列表部门"
    assert token.startswith("qmt_") and len(token) > 40
    listing = server.cli("token", "list").stdout
    assert "列表部门" in listing
    assert token not in listing  # only hashes are kept
    db = server.data_dir / "qmintake.sqlite3"
    if db.exists():
        assert token.encode() not in db.read_bytes()


def test_migrate_is_repeatable(server: IntakeServer) -> None:
    assert "up to date" in server.cli("migrate").stdout  # the server migrated it already


def test_broken_campaign_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('id = "x"\n', encoding="utf-8")
    srv = IntakeServer(tmp_path / "srv", campaign_files=[bad])
    done = srv.cli("migrate", check=False)
    assert done.returncode == 2 and "bad.toml" in done.stderr


def test_show_and_files_with_hostile_names(
    server: IntakeServer, media_dir: Path, tmp_path: Path
) -> None:
    a = make_jpeg(media_dir / "hostile-a.jpg", seed=41)
    b = make_jpeg(media_dir / "hostile-b.jpg", seed=42)
    token = server.unit_token(name="文件企业")
    report = make_report([a, b], name="文件企业")
    report.media[0].original_name = "../../../etc/cron.d/evil.jpg"
    report.media[1].original_name = "..\\..\\启动仪式.jpg"
    submit(server, token, report, [a, b])
    shown = json.loads(server.cli("show", report.uuid).stdout)
    assert shown["status"] == "received"
    assert shown["report"]["media"][0]["original_name"] == "../../../etc/cron.d/evil.jpg"
    out = tmp_path / "out"
    listed = server.cli("files", report.uuid, str(out)).stdout.split()
    names = sorted(p.name for p in out.iterdir())
    assert names == ["001-evil.jpg", "002-启动仪式.jpg"]
    assert len(listed) == 2
    assert (out / "001-evil.jpg").read_bytes() == a.read_bytes()
    assert not (tmp_path / "etc").exists()
    assert server.cli("show", "00000000-0000-4000-8000-000000000000", check=False).returncode == 1


def test_port_in_use_is_a_clear_error(server: IntakeServer, tmp_path: Path) -> None:
    other = IntakeServer(tmp_path / "other")
    done = other.cli("serve", "--port", str(server.port), check=False)
    assert done.returncode == 2
    assert f"cannot listen on 127.0.0.1:{server.port}" in done.stderr
