"""Checking every stored report at once (``drafts.validate_all``: plain rows, each
campaign's rules made ready once, files counted by SQLite and read one by one only where
one may fail a rule, one look at the disk per file) finds exactly what checking each
report on its own finds, on reports that break every rule there is."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid

import pytest
from sqlalchemy import insert

from qmclient.core.campaign import bundled_campaign_paths
from qmclient.core.report import Activity, MediaRef, Report, Unit
from qmclient.services import drafts
from qmclient.services.context import AppContext
from qmclient.store.bulk import ACTIVITY_FIELDS, UNIT_FIELDS
from qmclient.store.models import Activity as ActivityRow
from qmclient.store.models import MediaBlob, MediaItem, Submission, utcnow

GIB = 1024**3
CST = dt.timezone(dt.timedelta(hours=8))


def strict_campaign_text() -> str:
    """The bundled campaign, stricter: a video required, late reports refused, small files."""
    text = bundled_campaign_paths()[0].read_text(encoding="utf-8")
    for old, new in (
        ('id = "jinan-2022-quality-month"', 'id = "strict-2022"'),
        ('late_policy = "warn"', 'late_policy = "refuse"'),
        ("min_videos = 0", "min_videos = 1"),
        ("max_file_bytes = 4_294_967_296", "max_file_bytes = 10_000_000"),
        ("max_submission_bytes = 8_589_934_592", "max_submission_bytes = 30_000_000"),
        ("captions_required = true", "captions_required = false"),
    ):
        assert old in text
        text = text.replace(old, new, 1)
    return text


def blob(ctx: AppContext, name: str, media_type: str, size: int, *, on_disk: bool) -> dict:  # type: ignore[type-arg]
    body = name.encode()
    sha = hashlib.sha256(body).hexdigest()
    if on_disk:
        path = ctx.media.path_for(sha)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
    return {
        "sha256": sha,
        "size": size,
        "media_type": media_type,
        "width": 4000 if media_type.startswith("image/") else None,
        "height": 3000 if media_type.startswith("image/") else None,
        "duration_s": 12.5 if media_type.startswith("video/") else None,
        "stored_at": utcnow(),
    }


def varied_reports(ctx: AppContext) -> list[int]:
    """Reports of two campaigns, each breaking a few rules (or none), in one transaction."""
    strict = ctx.campaigns.import_text(strict_campaign_text(), "strict.toml")
    files = {
        "photo": blob(ctx, "photo", "image/jpeg", 3_000_000, on_disk=True),
        "png": blob(ctx, "png", "image/png", 800_000, on_disk=True),
        "video": blob(ctx, "video", "video/mp4", 9_000_000, on_disk=True),
        "big": blob(ctx, "big", "video/mp4", 5 * GIB, on_disk=True),
        "empty": blob(ctx, "empty", "image/jpeg", 0, on_disk=True),
        "doc": blob(ctx, "doc", "application/pdf", 40_000, on_disk=True),
        "unknown": blob(ctx, "unknown", "", 100, on_disk=True),
        "gone": blob(ctx, "gone", "image/jpeg", 2_000_000, on_disk=False),
    }
    good_unit = Unit(
        name="济南某某有限公司",
        kind="enterprise",
        district="lixia",
        credit_code="91350100M000100Y43",
        contact_person="张三",
        phone="0531-82568852",
        email="zhangsan@example.cn",
    )
    units = [
        good_unit,
        Unit(),  # nothing filled in
        Unit(name="某局", kind="department", phone="13812345678", credit_code="91350100M000100Y4X"),
        Unit(name="某区", kind="district", district="nowhere", email="not-an-address"),
        Unit(name="某厂", kind="factory", credit_code="123", phone="12345"),
        Unit(
            name=" ", kind="enterprise", credit_code="91350100I000100Y43", phone="+86 138-1234-5678"
        ),
    ]
    summaries = ["质量月活动开展情况。" * 20, "", "太短", "   "]
    activity_sets = [
        [],
        [
            Activity(
                "",
                focus_area="publicity",
                name="启动仪式",
                start_date=dt.date(2022, 9, 1),
                description="举行启动仪式",
            )
        ],
        [
            Activity("", focus_area="", name="", description=""),
            Activity(
                "",
                focus_area="nonsense",
                name="培训",
                start_date=dt.date(2022, 9, 5),
                end_date=dt.date(2022, 9, 2),
                participants=-3,
                description="讲座",
            ),
            Activity(
                "",
                focus_area="education",
                name="开放日",
                start_date=dt.date(2021, 1, 1),
                description="实验室开放",
            ),
        ],
    ]
    # (file, caption, linked to the report's first activity, linked to another report's)
    media_sets: list[list[tuple[str, str, bool, bool]]] = [
        [],
        [("photo", "现场", True, False), ("png", "合影", False, False)],
        [("photo", "", False, False), ("video", "视频", True, False)],
        [
            ("big", "大文件", False, False),
            ("empty", "空", False, False),
            ("doc", "文件", False, False),
        ],
        [
            ("photo", "一", False, False),
            ("photo", "二", False, False),
            ("unknown", "", False, True),
        ],
        [
            ("gone", "丢了", False, False),
            ("video", "", False, False),
            ("video", "又一个", False, False),
        ],
        [("video", "视频一", False, False), ("big", "", False, False), ("png", "图", False, False)],
        # white space: a caption of a full-width space is blank, one starting with it is not
        [("photo", "\u3000", True, False), ("png", "\u3000合影", True, False)],
        [("video", " 视频", False, False), ("png", "\t", False, False)],
        # each alone, with nothing else wrong: a file added twice; a link to another report
        [
            ("photo", "一", True, False),
            ("png", "合影", False, False),
            ("photo", "二", False, False),
        ],
        [("png", "合影", False, True), ("video", "视频", False, False)],
        [("doc", "通知", False, False), ("photo", "现场", False, False)],  # a type not taken
    ]
    now = utcnow()
    subs, acts, items = [], [], []
    others: list[str] = []  # activities of reports before
    for n in range(2 * len(units) * len(activity_sets)):
        sid = n + 1
        unit = units[n % len(units)]
        campaign_id = strict.id if n % 2 else "jinan-2022-quality-month"
        subs.append(
            {
                "id": sid,
                "uuid": str(uuid.uuid4()),
                "campaign_id": campaign_id,
                "revision": 1,
                "status": "draft",
                "origin": "imported",
                "title": "" if n % 5 == 3 else f"第{n}份总结",
                "summary": summaries[n % len(summaries)],
                **{f"unit_{f}": getattr(unit, f) for f in UNIT_FIELDS},
                "created_at": now,
                "updated_at": now,
            }
        )
        act_ids = []
        for k, a in enumerate(activity_sets[n % len(activity_sets)]):
            act_ids.append(str(uuid.uuid4()))
            row = {f: getattr(a, f) for f in ACTIVITY_FIELDS}
            acts.append({"id": act_ids[-1], "submission_id": sid, "position": 3 * k, **row})
        others.extend(act_ids)
        for k, (key, caption, linked, stray) in enumerate(media_sets[n % len(media_sets)]):
            activity_id = act_ids[0] if linked and act_ids else None
            items.append(
                {
                    "submission_id": sid,
                    "sha256": files[key]["sha256"],
                    "original_name": f"{key}-{k}.bin",
                    "caption": caption,
                    "activity_id": others[0] if stray and others else activity_id,
                    "position": 10 - 2 * k if n % 3 == 0 else k,  # stored out of order too
                }
            )
    with ctx.store.write() as s:
        s.execute(insert(MediaBlob), list(files.values()))
        s.execute(insert(Submission), subs)
        s.execute(insert(ActivityRow), acts)
        s.execute(insert(MediaItem), items)
    return [row["id"] for row in subs]


@pytest.mark.parametrize(
    "now",
    [
        dt.datetime(2022, 9, 10, 12, 0, tzinfo=CST),  # in time
        dt.datetime(2022, 9, 29, 12, 0, tzinfo=CST),  # due soon
        dt.datetime(2022, 9, 30, 9, 0, tzinfo=CST),  # due today
        dt.datetime(2023, 3, 1, 12, 0, tzinfo=dt.UTC),  # late (warned; refused by one campaign)
    ],
)
def test_validate_all_finds_what_each_report_finds(ctx: AppContext, now: dt.datetime) -> None:
    sids = varied_reports(ctx)
    every = drafts.validate_all(ctx, now)
    assert list(every) == sids
    for sid in sids:
        assert every[sid] == drafts.validate_submission(ctx, sid, now), sid
    codes = {f.code for found in every.values() for f in found}
    # the set really is varied: most of the rules are broken somewhere
    expected = {
        "field.required",
        "unit.kind.unknown",
        "unit.credit_code.length",
        "unit.credit_code.chars",
        "unit.credit_code.check",
        "unit.phone.invalid",
        "unit.email.invalid",
        "unit.district.unknown",
        "summary.short",
        "activities.none",
        "activity.name.missing",
        "activity.focus_area.missing",
        "activity.focus_area.unknown",
        "activity.date.missing",
        "activity.date.order",
        "activity.date.outside",
        "activity.participants.invalid",
        "activity.description.missing",
        "media.type.unsupported",
        "media.file.too_large",
        "media.file.empty",
        "media.caption.missing",
        "media.activity.unknown",
        "media.duplicate",
        "media.total.too_large",
        "media.photos.too_few",
        "media.videos.too_few",
        "media.file.missing",
    }
    assert expected <= codes, expected - codes
    deadline = {
        (f.code, f.severity) for found in every.values() for f in found if f.path == "deadline"
    }
    if now.year > 2022:  # late: the strict campaign refuses, the bundled one warns
        assert deadline == {("deadline.overdue", "error"), ("deadline.overdue", "warning")}
    elif now.day >= 29:
        assert deadline == {("deadline.soon", "warning")}
    else:
        assert deadline == set()


def test_report_rows_are_built_by_position() -> None:
    """``store.bulk`` builds reports from its columns by position: they name the fields of
    the report's classes in their order."""
    fields = Report.__dataclass_fields__
    assert ("id", *ACTIVITY_FIELDS) == tuple(Activity.__dataclass_fields__)
    assert tuple(Unit.__dataclass_fields__) == UNIT_FIELDS
    assert tuple(fields)[:5] == ("uuid", "campaign_id", "revision", "title", "summary")
    assert tuple(fields)[5:] == ("unit", "activities", "media")
    assert tuple(MediaRef.__dataclass_fields__) == (
        "sha256", "size", "media_type", "original_name", "caption",
        "activity_id", "position", "width", "height", "duration_s",
    )  # fmt: skip
