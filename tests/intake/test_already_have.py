""" "Already have it" is answered per unit: knowing a file's SHA-256 and size is no proof.

A unit is excused from sending a file only if it (or its district on its behalf) sent the
bytes before; anybody else is asked for them, gets no receipt without them, and learns
nothing about who else holds the file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from intake_server import VALID_CREDIT_CODE, IntakeServer
from mediafactory import make_jpeg, make_png

from intake.protocol import finalise, make_report, put, sha256_file, submit, upload
from qmclient.core.identifiers import credit_code_check_char

OTHER_CODE = "91370100MA3C000001"[:17] + credit_code_check_char("91370100MA3C000001"[:17])
THIRD_CODE = "91370102MA3D000002"[:17] + credit_code_check_char("91370102MA3D000002"[:17])


@pytest.fixture(scope="module")
def own_photos(media_dir: Path) -> list[Path]:
    return [
        make_jpeg(media_dir / "have-1.jpg", seed=901),
        make_png(media_dir / "have-2.png", seed=902),
    ]


def test_another_districts_unit_must_send_the_bytes(
    server: IntakeServer, own_photos: list[Path]
) -> None:
    photo = own_photos[0]
    owner = server.unit_token()  # 历下区, VALID_CREDIT_CODE
    receipt = submit(server, owner, make_report([photo]), [photo])
    assert sha256_file(photo) in {f["sha256"] for f in receipt["files"]}

    # an enterprise in another district lists the same SHA-256 and size
    stranger = server.unit_token("槐荫某某公司", district="shizhong", credit_code=OTHER_CODE)
    report = make_report([photo], district="shizhong", credit_code=OTHER_CODE, name="槐荫某某公司")
    r = put(server, stranger, report)
    assert r.status_code == 201, r.text
    assert r.json()["missing_media"] == [sha256_file(photo)]  # told nothing about the owner
    r = finalise(server, stranger, report)
    assert r.status_code == 409 and r.json()["code"] == "media-missing", r.text
    assert r.json()["missing_media"] == [sha256_file(photo)]
    # once it has sent the bytes itself, it gets its receipt
    upload(server, stranger, photo)
    assert put(server, stranger, report).json()["missing_media"] == []
    assert finalise(server, stranger, report).status_code == 200
    # the same unit is not asked again in a later report of its own
    again = make_report([photo], district="shizhong", credit_code=OTHER_CODE, name="槐荫某某公司")
    assert put(server, stranger, again).json()["missing_media"] == []


def test_district_on_behalf_counts_for_that_enterprise_only(
    server: IntakeServer, own_photos: list[Path]
) -> None:
    photo = own_photos[1]
    district = server.district_token("lixia", "历下区市场监督管理局（代报）")
    # the coordinator hands in an enterprise's report and sends its photo
    for_enterprise = make_report([photo], credit_code=THIRD_CODE, name="济南代报公司")
    submit(server, district, for_enterprise, [photo])

    # the enterprise itself: excused, its district sent the bytes on its behalf
    enterprise = server.unit_token("济南代报公司", district="lixia", credit_code=THIRD_CODE)
    own = make_report([photo], credit_code=THIRD_CODE, name="济南代报公司")
    assert put(server, enterprise, own).json()["missing_media"] == []
    assert finalise(server, enterprise, own).status_code == 200

    # another enterprise of the same district: not excused
    neighbour = server.unit_token("济南邻居公司", district="lixia", credit_code=VALID_CREDIT_CODE)
    theirs = make_report([photo], credit_code=VALID_CREDIT_CODE, name="济南邻居公司")
    assert put(server, neighbour, theirs).json()["missing_media"] == [sha256_file(photo)]
    assert finalise(server, neighbour, theirs).json()["code"] == "media-missing"

    # the coordinator itself, for another of its enterprises: it sent the bytes before
    other = make_report([photo], credit_code=VALID_CREDIT_CODE, name="济南邻居公司")
    assert put(server, district, other).json()["missing_media"] == []
