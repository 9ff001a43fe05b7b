"""The district roll-up: counts by focus area and unit, latest revisions, who is missing."""

from __future__ import annotations

import datetime as dt

from qmclient.core.campaign import bundled_campaign_paths, load_campaign
from qmclient.core.report import Activity, MediaRef, Report, Unit
from qmclient.core.rollup import ExpectedUnit, build_rollup, normalise_unit_name

CAMPAIGN = load_campaign(next(p for p in bundled_campaign_paths() if "jinan-2022" in p.name))


def report(
    uuid: str,
    name: str,
    district: str,
    areas: list[str],
    revision: int = 1,
    code: str = "",
    kind: str = "enterprise",
) -> Report:
    return Report(
        uuid=uuid,
        campaign_id=CAMPAIGN.id,
        revision=revision,
        unit=Unit(
            name=name,
            kind=kind,
            district=district,
            credit_code=code,
            contact_person="李四",
            phone="13800000000",
        ),
        activities=[
            Activity(
                id=f"{uuid}-{i}",
                focus_area=a,
                name=f"{name}活动{i}",
                start_date=dt.date(2022, 9, 1 + i),
                participants=10,
            )
            for i, a in enumerate(areas)
        ],
        media=[
            MediaRef(sha256=c * 64, size=1, media_type=t)
            for c, t in (("a", "image/jpeg"), ("b", "video/mp4"))
        ],
    )


def test_counts_latest_revision_and_district_filter() -> None:
    reports = [
        report("u1", "甲公司", "lixia", ["publicity", "brand"]),
        report("u1", "甲公司", "lixia", ["publicity", "brand", "education"], revision=2),
        report("u2", "乙公司", "lixia", ["publicity"]),
        report("u3", "丙公司", "tianqiao", ["enforcement"]),
        report("u4", "历下区市场监管局", "lixia", ["services"], kind="district"),
    ]
    r = build_rollup(CAMPAIGN, reports, district="lixia")
    assert [x.unit.name for x in r.reports] == ["历下区市场监管局", "乙公司", "甲公司"]
    assert r.by_unit == {"历下区市场监管局": 1, "乙公司": 1, "甲公司": 3}
    assert r.by_focus_area["publicity"] == 2 and r.by_focus_area["education"] == 1
    assert r.by_focus_area["enforcement"] == 0
    assert list(r.by_focus_area) == [f.id for f in CAMPAIGN.focus_areas]
    assert len(r.rows) == 5 and r.participants_total == 50
    assert (r.photos_total, r.videos_total) == (3, 3)
    # rows of one unit follow the campaign's order of focus areas
    assert [row.activity.focus_area for row in r.rows if row.unit_name == "甲公司"] == [
        "publicity",
        "education",
        "brand",
    ]


def test_who_has_not_reported() -> None:
    reports = [
        report("u1", "济南甲有限责任公司", "lixia", ["publicity"]),
        report("u2", "另一个名字", "lixia", ["publicity"], code="91350100M000100Y43"),
        report("u3", "名单外公司", "lixia", ["publicity"]),
    ]
    expected = [
        ExpectedUnit("济南 甲 有限公司"),  # same name, typed differently
        ExpectedUnit("乙公司", credit_code="91350100m000100y43"),  # matched by credit code
        ExpectedUnit("丙公司"),
        ExpectedUnit("丁公司", district="tianqiao"),  # another district's
    ]
    r = build_rollup(CAMPAIGN, reports, expected, district="lixia")
    assert [e.name for e in r.not_reported] == ["丙公司"]
    assert r.unexpected == ["名单外公司"]


def test_name_normalisation() -> None:
    assert normalise_unit_name("济南（历下）某某 有限责任公司") == normalise_unit_name(
        "济南(历下)某某有限公司"
    )
