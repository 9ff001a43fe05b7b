"""What a unit's token reads of the submissions list, and its ETag (SQLite and PostgreSQL):
an enterprise sees what its district uploaded for it, with the office's verdict; another
enterprise does not; an unchanged list is a 304."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import requests
from intake_server import IntakeServer
from mediafactory import make_jpeg

from intake.protocol import auth, make_report, submit
from qmclient.core.identifiers import credit_code_check_char


@pytest.fixture(scope="module")
def photo(media_dir: Path) -> Path:
    return make_jpeg(media_dir / "v1.jpg", seed=11)


def listing(server: IntakeServer, token: str, etag: str = "") -> requests.Response:
    headers = {**auth(token), **({"If-None-Match": etag} if etag else {})}
    return requests.get(server.url("/api/v1/submissions"), headers=headers, timeout=10)


def test_an_enterprise_reads_what_its_district_sent_for_it(
    server: IntakeServer, photo: Path
) -> None:
    code = "91370100MA3C5YQ5B"
    code += credit_code_check_char(code)
    district = server.district_token("tianqiao", "天桥区市场监管局")
    report = make_report([photo], district="tianqiao", name="天桥某企业", credit_code=code)
    submit(server, district, report, [photo])
    enterprise = server.unit_token(name="天桥某企业", district="tianqiao", credit_code=code)
    other = server.unit_token(name="天桥另一企业", district="tianqiao", credit_code="")

    first = listing(server, enterprise)
    assert first.status_code == 200
    [item] = first.json()["submissions"]
    assert item["uuid"] == report.uuid and item["submitted_by"]["kind"] == "district"
    one = requests.get(
        server.url(f"/api/v1/submissions/{report.uuid}"), headers=auth(enterprise), timeout=10
    )
    assert one.status_code == 200
    assert listing(server, other).json()["submissions"] == []
    assert (
        requests.get(
            server.url(f"/api/v1/submissions/{report.uuid}"), headers=auth(other), timeout=10
        ).status_code
        == 404
    )

    etag = first.headers["ETag"]
    again = listing(server, enterprise, etag)
    assert again.status_code == 304 and again.content == b""
    server.cli("return", report.uuid, "--comment", "请补充说明")
    changed = listing(server, enterprise, etag)
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    [item] = changed.json()["submissions"]
    assert (item["status"], item["comment"]) == ("returned", "请补充说明")


def test_the_etag_is_per_token(server: IntakeServer, photo: Path) -> None:
    a = server.unit_token(name="甲", district="lixia", credit_code="")
    b = server.unit_token(name="乙", district="lixia", credit_code="")
    tag_a: Any = listing(server, a).headers["ETag"]
    assert listing(server, b, tag_a).status_code == 200  # another token's tag never matches
