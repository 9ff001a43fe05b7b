"""The JSON half of the protocol against a real server, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import requests
from intake_server import IntakeServer
from mediafactory import make_jpeg, make_png

from intake.conftest import ONTIME, REFUSE
from intake.protocol import (
    auth,
    finalise,
    make_report,
    put,
    put_body,
    sha256_file,
    stored_path,
    submit,
    upload,
)
from qmclient.core.campaign import campaign_from_dict
from qmclient.core.identifiers import credit_code_check_char
from qmintake.signing import verify


def problem(r: requests.Response, status: int, code: str) -> dict:
    assert r.status_code == status, r.text
    if r.request.method == "HEAD":  # no body; the status says it
        return {}
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["code"] == code
    assert body["type"] == f"urn:qmintake:problem:{code}"
    assert body["status"] == status and body["title"] and body["title_zh"] and body["detail"]
    return body


@pytest.fixture(scope="module")
def photos(media_dir: Path) -> list[Path]:
    return [make_jpeg(media_dir / "p1.jpg", seed=1), make_png(media_dir / "p2.png", seed=2)]


def test_discovery_without_token(server: IntakeServer) -> None:
    r = requests.get(server.url("/api/v1"), timeout=10)
    assert r.status_code == 200
    d = r.json()
    assert d["protocol_version"] == 1
    assert d["server_time"].endswith("Z")
    assert d["tus"]["endpoint"] == server.url("/api/v1/uploads/")
    assert d["tus"]["version"] == "1.0.0"
    assert "creation" in d["tus"]["extensions"] and "checksum" in d["tus"]["extensions"]
    ids = {c["id"] for c in d["campaigns"]}
    assert ids == {"jinan-2022-quality-month", ONTIME, REFUSE}
    assert d["limits"]["max_json_bytes"] == 4 * 1024 * 1024


def test_campaign_definition_round_trips(server: IntakeServer) -> None:
    r = requests.get(server.url("/api/v1/campaigns/jinan-2022-quality-month"), timeout=10)
    assert r.status_code == 200
    campaign = campaign_from_dict(r.json(), "served")
    assert campaign.id == "jinan-2022-quality-month"
    assert campaign.due.isoformat() == "2022-09-30T23:59:59+08:00"
    assert len(campaign.focus_areas) == 7
    etag = r.headers["etag"]
    again = requests.get(
        server.url("/api/v1/campaigns/jinan-2022-quality-month"),
        headers={"If-None-Match": etag},
        timeout=10,
    )
    assert again.status_code == 304
    problem(
        requests.get(server.url("/api/v1/campaigns/no-such"), timeout=10),
        404,
        "campaign-not-found",
    )


def test_whoami_and_token_errors(server: IntakeServer) -> None:
    token = server.unit_token()
    r = requests.get(server.url("/api/v1/whoami"), headers=auth(token), timeout=10)
    assert r.status_code == 200 and r.json()["kind"] == "enterprise"
    missing = requests.get(server.url("/api/v1/whoami"), timeout=10)
    problem(missing, 401, "token-missing")
    assert missing.headers["www-authenticate"].startswith("Bearer")
    problem(
        requests.get(server.url("/api/v1/whoami"), headers=auth("qmt_nope"), timeout=10),
        401,
        "token-invalid",
    )
    problem(
        requests.get(
            server.url("/api/v1/whoami"), headers={"Authorization": "Basic eDp5"}, timeout=10
        ),
        401,
        "token-missing",
    )


def test_full_exchange_is_idempotent(server: IntakeServer, photos: list[Path]) -> None:
    token = server.unit_token()
    report = make_report(photos)
    first = put(server, token, report)
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["report_sha256"] == report.report_hash()
    assert body["state"] == "open" and body["receipt"] is None
    assert sorted(body["missing_media"]) == sorted(sha256_file(p) for p in photos)
    # the same PUT again: same answer, nothing new
    again = put(server, token, report)
    assert again.status_code == 200
    assert again.json()["missing_media"] == body["missing_media"]
    for p in photos:
        upload(server, token, p)
    assert put(server, token, report).json()["missing_media"] == []
    r1 = finalise(server, token, report)
    assert r1.status_code == 200, r1.text
    receipt = r1.json()
    r2 = finalise(server, token, report)
    assert r2.json() == receipt  # same number, same time
    assert receipt["receipt_number"].startswith("JN2022-")
    assert receipt["report_sha256"] == report.report_hash()
    assert receipt["on_time"] is False and receipt["late_by_s"] > 0  # 2022 is long past
    assert receipt["received_at_local"].endswith("+08:00")
    assert {f["sha256"] for f in receipt["files"]} == {sha256_file(p) for p in photos}
    assert receipt["total_bytes"] == sum(p.stat().st_size for p in photos)
    # signed by the office's key that discovery publishes; any change breaks it
    key = requests.get(server.url("/api/v1"), timeout=10).json()["receipt_key"]
    assert receipt["signature"]["key_id"] == key["key_id"]
    assert verify(receipt, key["public_key"])
    assert not verify({**receipt, "on_time": True}, key["public_key"])
    assert not verify({**receipt, "receipt_number": "JN2022-999999"}, key["public_key"])
    for p in photos:
        stored = stored_path(server, sha256_file(p))
        assert hashlib.sha256(stored.read_bytes()).hexdigest() == sha256_file(p)
    # PUT after finalise answers with the receipt
    after = put(server, token, report).json()
    assert after["state"] == "finalised" and after["receipt"] == receipt
    status = requests.get(
        server.url(f"/api/v1/submissions/{report.uuid}"), headers=auth(token), timeout=10
    ).json()
    assert status["status"] == "received"
    assert status["revisions"][0]["receipt"]["receipt_number"] == receipt["receipt_number"]
    listing = requests.get(server.url("/api/v1/submissions"), headers=auth(token), timeout=10)
    assert [s["uuid"] for s in listing.json()["submissions"]] == [report.uuid]


def test_on_time_receipt_and_running_numbers(server: IntakeServer, photos: list[Path]) -> None:
    token = server.unit_token(name="准时企业")
    a = submit(server, token, make_report(photos[:1], campaign_id=ONTIME), photos[:1])
    b = submit(server, token, make_report(photos[:1], campaign_id=ONTIME), photos[:1])
    assert a["on_time"] is True and a["late_by_s"] == 0
    assert a["receipt_number"].startswith("JN2099-")
    assert int(b["receipt_number"][-6:]) == int(a["receipt_number"][-6:]) + 1


def test_late_refused(server: IntakeServer, photos: list[Path]) -> None:
    token = server.unit_token(name="逾期企业")
    body = problem(
        put(server, token, make_report(photos[:1], campaign_id=REFUSE)), 403, "late-refused"
    )
    assert body["due"].startswith("2021-09-30T23:59:59")


def test_bad_json_and_wrong_types(server: IntakeServer, photos: list[Path]) -> None:
    token = server.unit_token()
    report = make_report(photos)
    url = server.url(f"/api/v1/submissions/{report.uuid}")
    headers = {**auth(token), "Content-Type": "application/json"}
    problem(
        requests.put(url, data=b'{"revision": 1,', headers=headers, timeout=10), 400, "bad-json"
    )
    problem(requests.put(url, data=b"\xff\xfe", headers=headers, timeout=10), 400, "bad-json")
    body = put_body(report)
    body["revision"] = "1"
    wrong = problem(
        requests.put(url, json=body, headers=auth(token), timeout=10), 422, "invalid-request"
    )
    assert wrong["errors"][0]["loc"][-1] == "revision"
    body = put_body(report)
    body["media"][0]["size"] = -5
    problem(requests.put(url, json=body, headers=auth(token), timeout=10), 422, "invalid-request")
    body = put_body(report)
    body["surprise"] = True
    problem(requests.put(url, json=body, headers=auth(token), timeout=10), 422, "invalid-request")
    problem(
        requests.put(
            server.url("/api/v1/submissions/not-a-uuid"),
            json=put_body(report),
            headers=auth(token),
            timeout=10,
        ),
        422,
        "invalid-request",
    )


def test_huge_bodies_are_refused_unread(server: IntakeServer) -> None:
    token = server.unit_token()
    url = server.url("/api/v1/submissions/7d0b9d8e-3c1c-4a50-9a55-0c2b8f3a1f00")
    big = b'{"x": "' + b"a" * (5 * 1024 * 1024) + b'"}'
    problem(
        requests.put(
            url, data=big, headers={**auth(token), "Content-Type": "application/json"}, timeout=30
        ),
        413,
        "body-too-large",
    )

    def chunked():  # no Content-Length: counted as it arrives
        yield b'{"x": "'
        for _ in range(5):
            yield b"a" * (1024 * 1024)
        yield b'"}'

    problem(
        requests.put(
            url,
            data=chunked(),
            headers={**auth(token), "Content-Type": "application/json"},
            timeout=30,
        ),
        413,
        "body-too-large",
    )


def test_report_problems(server: IntakeServer, photos: list[Path]) -> None:
    token = server.unit_token()
    report = make_report(photos)
    problem(put(server, token, report, campaign_id="nope-2030"), 422, "campaign-unknown")
    doc = report.to_dict()
    doc["activities"] = "many"
    problem(put(server, token, report, report=doc), 422, "report-malformed")
    bad = make_report(photos, title="")
    bad.summary = ""
    invalid = problem(put(server, token, bad), 422, "report-invalid")
    assert {"title", "summary"} <= {f["path"] for f in invalid["findings"]}
    assert all(f["severity"] == "error" and f["message_zh"] for f in invalid["findings"])
    no_photo = make_report([])
    assert any(
        f["code"] == "media.photos.too_few"
        for f in problem(put(server, token, no_photo), 422, "report-invalid")["findings"]
    )
    other = make_report(photos)
    problem(
        put(server, token, other, report=report.to_dict(), report_sha256=None), 422, "uuid-mismatch"
    )
    problem(put(server, token, report, revision=2), 422, "uuid-mismatch")
    problem(put(server, token, report, report_sha256="0" * 64), 409, "report-hash-mismatch")
    problem(
        put(server, token, report, media=put_body(report)["media"][:1]), 422, "manifest-mismatch"
    )
    extra = put_body(report)["media"] + [
        {"sha256": "a" * 64, "size": 1, "media_type": "image/jpeg"}
    ]
    problem(put(server, token, report, media=extra), 422, "manifest-mismatch")
    wrong_size = put_body(report)["media"]
    wrong_size[0]["size"] += 1
    problem(put(server, token, report, media=wrong_size), 422, "manifest-mismatch")


def test_revisions(server: IntakeServer, photos: list[Path]) -> None:
    token = server.unit_token()
    r1 = make_report(photos[:1])
    assert put(server, token, r1).status_code == 201
    changed = make_report(photos[:1], uuid=r1.uuid, title="另一个标题")
    body = problem(put(server, token, changed), 409, "revision-conflict")
    assert body["report_sha256"] == r1.report_hash()
    r3 = make_report(photos[:1], uuid=r1.uuid, revision=3, title="第三版")
    assert put(server, token, r3).status_code == 201
    r2 = make_report(photos[:1], uuid=r1.uuid, revision=2, title="第二版")
    assert problem(put(server, token, r2), 409, "revision-backwards")["latest_revision"] == 3
    # the first revision is still there, unchanged, and can be repeated
    assert put(server, token, r1).status_code == 200
    problem(finalise(server, token, r2), 404, "revision-not-found")


def test_finalise_problems(server: IntakeServer, media_dir: Path) -> None:
    token = server.unit_token()
    fresh = make_jpeg(media_dir / "finalise-missing.jpg", seed=77)
    report = make_report([fresh])
    assert put(server, token, report).status_code == 201
    body = problem(finalise(server, token, report), 409, "media-missing")
    assert body["missing_media"] == [sha256_file(fresh)]
    wrong = requests.post(
        server.url(f"/api/v1/submissions/{report.uuid}/finalise"),
        json={"revision": 1, "report_sha256": "f" * 64},
        headers=auth(token),
        timeout=10,
    )
    problem(wrong, 409, "report-hash-mismatch")
    unknown = make_report([fresh])
    problem(finalise(server, token, unknown), 404, "submission-not-found")


def test_units_see_only_their_own(server: IntakeServer, photos: list[Path]) -> None:
    mine = server.unit_token(name="甲企业")
    other = server.unit_token(name="乙企业")
    report = make_report(photos[:1], name="甲企业")
    assert put(server, mine, report).status_code == 201
    url = server.url(f"/api/v1/submissions/{report.uuid}")
    problem(requests.get(url, headers=auth(other), timeout=10), 404, "submission-not-found")
    problem(finalise(server, other, report), 404, "submission-not-found")
    problem(put(server, other, report), 409, "submission-id-taken")
    listing = requests.get(server.url("/api/v1/submissions"), headers=auth(other), timeout=10)
    assert report.uuid not in {s["uuid"] for s in listing.json()["submissions"]}


def test_district_submits_for_its_enterprises_only(
    server: IntakeServer, photos: list[Path]
) -> None:
    district = server.district_token("shizhong", "市中区市场监管局")
    own = make_report(photos[:1], kind="district", district="shizhong", name="市中区")
    ent = make_report(photos[:1], district="shizhong", name="市中某企业")
    assert put(server, district, own).status_code == 201
    assert put(server, district, ent).status_code == 201
    elsewhere = make_report(photos[:1], district="huaiyin", name="槐荫某企业")
    problem(put(server, district, elsewhere), 403, "unit-not-allowed")
    dept = make_report(photos[:1], kind="department", name="市教育局")
    problem(put(server, district, dept), 403, "unit-not-allowed")
    enterprise = server.unit_token(district="shizhong")
    problem(
        put(server, enterprise, make_report(photos[:1], kind="district", district="shizhong")),
        403,
        "unit-not-allowed",
    )
    other_code = "91370100MA3C5YQ4A"
    other_code += credit_code_check_char(other_code)
    problem(
        put(
            server, enterprise, make_report(photos[:1], district="shizhong", credit_code=other_code)
        ),
        403,
        "unit-not-allowed",
    )
    department = server.department_token()
    assert put(server, department, dept).status_code == 201


def test_revoked_token(server: IntakeServer) -> None:
    token = server.issue_token("将被撤销", "department")
    info = requests.get(server.url("/api/v1/whoami"), headers=auth(token), timeout=10).json()
    server.cli("token", "revoke", str(info["unit_id"]))
    problem(
        requests.get(server.url("/api/v1/whoami"), headers=auth(token), timeout=10),
        401,
        "token-invalid",
    )


def test_unknown_route_and_method(server: IntakeServer) -> None:
    problem(requests.get(server.url("/api/v2"), timeout=10), 404, "not-found")
    problem(
        requests.delete(server.url("/api/v1/campaigns/x"), timeout=10), 405, "method-not-allowed"
    )


def test_stored_report_is_the_servers_canonical_json(
    server: IntakeServer, photos: list[Path]
) -> None:
    token = server.unit_token()
    report = make_report(photos[:1])
    assert put(server, token, report).status_code == 201
    out = server.cli("submissions", "--json").stdout
    assert report.uuid in {s["uuid"] for s in json.loads(out)}
