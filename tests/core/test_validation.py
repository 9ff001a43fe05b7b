"""Every validation rule, each broken on its own from a report that passes."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from qmclient.core.campaign import bundled_campaign_paths, load_campaign
from qmclient.core.report import Activity, MediaRef, Report, ReportFormatError, Unit
from qmclient.core.validation import has_errors, validate

CAMPAIGN = load_campaign(next(p for p in bundled_campaign_paths() if "jinan-2022" in p.name))
IN_TIME = dt.datetime(2022, 9, 20, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
SHA_A = "a" * 64
SHA_B = "b" * 64


def good() -> Report:
    return Report(
        uuid="5c7d2f0e-0000-4000-8000-000000000001",
        campaign_id=CAMPAIGN.id,
        title="济南某某有限公司2022年“质量月”活动情况总结",
        summary="按照市质量强市办的统一部署，我公司围绕“争创标杆开新局 质量强市促发展”主题，" * 3,
        unit=Unit(
            name="济南某某有限公司",
            kind="enterprise",
            district="lixia",
            credit_code="91350100M000100Y43",
            contact_person="张三",
            phone="0531-82568852",
            email="zhangsan@example.cn",
        ),
        activities=[
            Activity(
                id="act-1",
                focus_area="publicity",
                name="质量月启动仪式",
                start_date=dt.date(2022, 9, 1),
                end_date=dt.date(2022, 9, 1),
                place="公司礼堂",
                organiser="质量部",
                participants=120,
                description="举行启动仪式",
                results="营造氛围",
            )
        ],
        media=[
            MediaRef(
                sha256=SHA_A,
                size=1000,
                media_type="image/jpeg",
                original_name="a.jpg",
                caption="启动仪式现场",
                activity_id="act-1",
            ),
            MediaRef(
                sha256=SHA_B,
                size=5000,
                media_type="video/mp4",
                original_name="b.mp4",
                caption="活动视频",
            ),
        ],
    )


def codes(report: Report, now: dt.datetime | None = IN_TIME) -> set[str]:
    return {f.code for f in validate(report, CAMPAIGN, now)}


def test_a_complete_report_has_no_findings() -> None:
    assert validate(good(), CAMPAIGN, IN_TIME) == []


@pytest.mark.parametrize(
    "field",
    [
        "unit.name",
        "unit.district",
        "unit.credit_code",
        "unit.contact_person",
        "unit.phone",
        "title",
        "summary",
    ],
)
def test_required_fields_for_enterprises(field: str) -> None:
    r = good()
    if field.startswith("unit."):
        setattr(r.unit, field[5:], "  ")
    else:
        setattr(r, field, "")
    findings = [f for f in validate(r, CAMPAIGN, IN_TIME) if f.code == "field.required"]
    assert [f.path for f in findings] == [field]
    assert findings[0].severity == "error"
    assert findings[0].message_zh.startswith("请填写")


def test_departments_need_no_credit_code_or_district() -> None:
    r = good()
    r.unit.kind, r.unit.credit_code, r.unit.district = "department", "", ""
    assert codes(r) == set()


def test_unknown_unit_kind() -> None:
    r = good()
    r.unit.kind = "club"
    assert "unit.kind.unknown" in codes(r)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("91350100M000100Y44", "unit.credit_code.check"),
        ("91350100M00010", "unit.credit_code.length"),
        ("91350100M0001O0Y43", "unit.credit_code.chars"),
    ],
)
def test_credit_code_rules(code: str, expected: str) -> None:
    r = good()
    r.unit.credit_code = code
    assert codes(r) == {expected}


@pytest.mark.parametrize(
    ("attr", "value", "code"),
    [
        ("phone", "12345", "unit.phone.invalid"),
        ("email", "zhangsan@", "unit.email.invalid"),
        ("district", "beijing", "unit.district.unknown"),
    ],
)
def test_contact_and_district_formats(attr: str, value: str, code: str) -> None:
    r = good()
    setattr(r.unit, attr, value)
    assert codes(r) == {code}


def test_short_summary_is_a_warning() -> None:
    r = good()
    r.summary = "开展了活动。"
    found = validate(r, CAMPAIGN, IN_TIME)
    assert [(f.code, f.severity) for f in found] == [("summary.short", "warning")]
    assert not has_errors(found)


def test_no_activities() -> None:
    r = good()
    r.activities = []
    r.media[0].activity_id = None
    assert codes(r) == {"activities.none"}


@pytest.mark.parametrize(
    ("change", "code", "severity"),
    [
        ({"name": ""}, "activity.name.missing", "error"),
        ({"focus_area": ""}, "activity.focus_area.missing", "error"),
        ({"focus_area": "sports"}, "activity.focus_area.unknown", "error"),
        ({"start_date": None}, "activity.date.missing", "error"),
        ({"end_date": dt.date(2022, 8, 30)}, "activity.date.order", "error"),
        (
            {"start_date": dt.date(2022, 11, 1), "end_date": None},
            "activity.date.outside",
            "warning",
        ),
        ({"participants": -5}, "activity.participants.invalid", "error"),
        ({"description": ""}, "activity.description.missing", "warning"),
    ],
)
def test_activity_rules(change: dict[str, object], code: str, severity: str) -> None:
    r = good()
    for k, v in change.items():
        setattr(r.activities[0], k, v)
    found = validate(r, CAMPAIGN, IN_TIME)
    assert [(f.code, f.severity, f.path.split(".")[0], f.ref) for f in found] == [
        (code, severity, "activities[0]", "act-1")
    ]


def test_media_rules() -> None:
    r = good()
    r.media[0].caption = ""
    assert codes(r) == {"media.caption.missing"}

    r = good()
    r.media[1].media_type = "application/pdf"
    assert codes(r) == {"media.type.unsupported"}

    r = good()
    r.media[1].size = CAMPAIGN.media.max_file_bytes + 1
    assert codes(r) == {"media.file.too_large"}

    r = good()
    r.media[0].size = 0
    assert codes(r) == {"media.file.empty"}

    r = good()
    r.media[0].activity_id = "gone"
    assert codes(r) == {"media.activity.unknown"}

    r = good()
    r.media.append(copy.deepcopy(r.media[0]))
    assert codes(r) == {"media.duplicate"}

    r = good()
    r.media = [r.media[1]]
    assert codes(r) == {"media.photos.too_few"}

    r = good()
    big = CAMPAIGN.media.max_file_bytes
    r.media = [
        MediaRef(
            sha256=c * 64, size=big, media_type="video/mp4", caption="x", original_name=f"{c}.mp4"
        )
        for c in "cde"
    ] + [r.media[0]]
    assert codes(r) == {"media.total.too_large"}


def test_deadline_findings_follow_the_late_policy() -> None:
    import dataclasses

    late = dt.datetime(2022, 10, 8, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    found = [f for f in validate(good(), CAMPAIGN, late) if f.code == "deadline.overdue"]
    assert found[0].severity == "warning" and "8 天" in found[0].message_zh
    strict = dataclasses.replace(CAMPAIGN, late_policy="refuse")
    found = [f for f in validate(good(), strict, late) if f.code == "deadline.overdue"]
    assert found[0].severity == "error"
    soon = dt.datetime(2022, 9, 28, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert codes(good(), soon) == {"deadline.soon"}
    assert codes(good(), None) == set()


def test_campaign_mismatch() -> None:
    r = good()
    r.campaign_id = "other"
    assert "campaign.mismatch" in codes(r)


def test_every_finding_speaks_both_languages() -> None:
    r = Report(
        uuid="x",
        campaign_id="x",
        unit=Unit(kind="enterprise", credit_code="1", phone="1", email="x", district="x"),
        activities=[Activity(id="a", participants=-1, focus_area="q")],
        media=[MediaRef(sha256="c" * 64, size=0, media_type="")],
    )
    found = validate(r, CAMPAIGN, dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    assert len(found) > 10
    for f in found:
        assert f.message_zh and f.message_en and f.code and f.path
        assert any("\u4e00" <= ch <= "\u9fff" for ch in f.message_zh), f


def test_report_json_round_trip_and_hash() -> None:
    r = good()
    again = Report.from_dict(r.to_dict())
    assert again == r
    assert again.report_hash() == r.report_hash()
    r.title += "!"
    assert r.report_hash() != again.report_hash()


@pytest.mark.parametrize(
    "doc",
    [
        [],
        {"format": 99},
        {"revision": 0},
        {"revision": "2"},
        {"unit": "x"},
        {"activities": ["x"]},
        {"activities": [{"start_date": "2022-13-01"}]},
        {"activities": [{"participants": "many"}]},
        {"media": [{"sha256": "zz", "size": 1}]},
        {"media": [{"sha256": "a" * 64, "size": -1}]},
        {"title": 5},
        {"title": "x" * 10_000},
    ],
)
def test_malformed_report_documents_are_refused(doc: object) -> None:
    with pytest.raises(ReportFormatError):
        Report.from_dict(doc)
