"""One validation engine for the desktop app, the command line and the intake server.

:func:`validate` looks at a :class:`~qmclient.core.report.Report` against its
:class:`~qmclient.core.campaign.Campaign` and returns :class:`Finding` objects, each with
a stable code, a field path, a severity and a message in Chinese and English.  The codes
are listed in ``docs/validation.md``; they never change meaning once released.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any, Literal

from qmclient.core.campaign import Campaign
from qmclient.core.deadline import deadline_status
from qmclient.core.filetype import media_kind
from qmclient.core.identifiers import (
    credit_code_problem,
    is_valid_email,
    is_valid_phone,
)
from qmclient.core.report import Report
from qmclient.core.sizes import size_text

Severity = Literal["error", "warning"]
SUMMARY_MIN_CHARS = 100

FIELD_LABELS: dict[str, tuple[str, str]] = {
    "unit.name": ("单位名称", "unit name"),
    "unit.kind": ("单位类型", "unit type"),
    "unit.district": ("所属区县", "district"),
    "unit.credit_code": ("统一社会信用代码", "unified social credit code"),
    "unit.contact_person": ("联系人", "contact person"),
    "unit.phone": ("联系电话", "phone"),
    "unit.email": ("电子邮箱", "e-mail"),
    "title": ("总结标题", "title"),
    "summary": ("活动情况总结正文", "summary text"),
    "activities": ("活动", "activities"),
}


@dataclass(frozen=True)
class Finding:
    code: str
    path: str
    severity: Severity
    message_zh: str
    message_en: str
    ref: str = ""  # the activity id or media SHA-256 the finding is about, if any

    def message(self, language: str = "zh") -> str:
        return self.message_zh if language.startswith("zh") else self.message_en

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


def _field_value(report: Report, name: str) -> Any:
    if name.startswith("unit."):
        return getattr(report.unit, name[5:])
    return getattr(report, name)


def validate(report: Report, campaign: Campaign, now: dt.datetime | None = None) -> list[Finding]:
    """All findings for ``report``; ``now`` (aware) adds the deadline findings."""
    out: list[Finding] = []
    add = out.append
    unit = report.unit

    if report.campaign_id != campaign.id:
        add(
            Finding(
                "campaign.mismatch",
                "campaign_id",
                "error",
                f"报告所属活动“{report.campaign_id}”与当前活动“{campaign.id}”不一致",
                f"the report belongs to campaign {report.campaign_id!r}, not {campaign.id!r}",
            )
        )

    kind = campaign.submitter_kind(unit.kind)
    if kind is None:
        add(
            Finding(
                "unit.kind.unknown",
                "unit.kind",
                "error",
                "请选择单位类型（市直部门、区县或企业）",
                "choose the unit type (department, district or enterprise)",
            )
        )
        required: tuple[str, ...] = ("unit.name", "title", "summary")
    else:
        required = kind.required_fields

    for name in required:
        value = _field_value(report, name)
        empty = not value if isinstance(value, list) else not str(value).strip()
        if empty:
            zh, en = FIELD_LABELS.get(name, (name, name))
            if name == "activities":
                add(
                    Finding(
                        "activities.none",
                        "activities",
                        "error",
                        "尚未填写任何活动，请至少添加一项活动",
                        "no activities yet: add at least one",
                    )
                )
            else:
                add(Finding("field.required", name, "error", f"请填写{zh}", f"{en} is required"))

    if unit.credit_code.strip():
        problem = credit_code_problem(unit.credit_code)
        if problem is not None:
            zh = {
                "length": "应为18位",
                "chars": "含有不允许的字符（不使用 I、O、Z、S、V）",
                "check": "校验位不正确，请核对",
            }[problem]
            add(
                Finding(
                    f"unit.credit_code.{problem}",
                    "unit.credit_code",
                    "error",
                    f"统一社会信用代码{zh}",
                    {
                        "length": "the unified social credit code must have 18 characters",
                        "chars": "the unified social credit code has characters it cannot contain",
                        "check": "the check character of the unified social credit code is wrong",
                    }[problem],
                )
            )
    if unit.phone.strip() and not is_valid_phone(unit.phone):
        add(
            Finding(
                "unit.phone.invalid",
                "unit.phone",
                "error",
                "联系电话格式不正确（手机号11位，固定电话如 0531-82568852）",
                "the phone number is not valid (11-digit mobile or e.g. 0531-82568852)",
            )
        )
    if unit.email.strip() and not is_valid_email(unit.email):
        add(
            Finding(
                "unit.email.invalid",
                "unit.email",
                "error",
                "电子邮箱格式不正确",
                "the e-mail address is not valid",
            )
        )
    if unit.district and campaign.districts and campaign.district(unit.district) is None:
        add(
            Finding(
                "unit.district.unknown",
                "unit.district",
                "error",
                f"所属区县“{unit.district}”不在本次活动的区县名单中",
                f"district {unit.district!r} is not one of this campaign's districts",
            )
        )

    if report.summary.strip() and len(report.summary.strip()) < SUMMARY_MIN_CHARS:
        add(
            Finding(
                "summary.short",
                "summary",
                "warning",
                f"总结正文不足{SUMMARY_MIN_CHARS}字，建议写明活动开展情况、主要做法和成效",
                f"the summary is shorter than {SUMMARY_MIN_CHARS} characters",
            )
        )

    _check_activities(report, campaign, add)
    _check_media(report, campaign, add)

    if now is not None:
        status = deadline_status(campaign, now)
        if status.state == "overdue":
            severity: Severity = "error" if campaign.late_policy == "refuse" else "warning"
            tail_zh = "，牵头单位不再接收" if severity == "error" else "，报送时将标记为逾期"
            add(
                Finding(
                    "deadline.overdue",
                    "deadline",
                    severity,
                    f"已超过报送截止时间 {status.days} 天{tail_zh}",
                    f"the deadline passed {status.days} day(s) ago"
                    + (
                        " and late reports are refused"
                        if severity == "error"
                        else "; the report will be marked late"
                    ),
                )
            )
        elif status.state == "due_today" or status.days <= 3:
            add(Finding("deadline.soon", "deadline", "warning", status.text_zh(), status.text_en()))
    return out


def _check_activities(report: Report, campaign: Campaign, add: Any) -> None:
    for i, a in enumerate(report.activities):
        p = f"activities[{i}]"
        n = i + 1
        if not a.name.strip():
            add(
                Finding(
                    "activity.name.missing",
                    f"{p}.name",
                    "error",
                    f"第{n}项活动未填写活动名称",
                    f"activity {n} has no name",
                    a.id,
                )
            )
        if not a.focus_area:
            add(
                Finding(
                    "activity.focus_area.missing",
                    f"{p}.focus_area",
                    "error",
                    f"第{n}项活动未选择活动重点",
                    f"activity {n} has no focus area",
                    a.id,
                )
            )
        elif campaign.focus_area(a.focus_area) is None:
            add(
                Finding(
                    "activity.focus_area.unknown",
                    f"{p}.focus_area",
                    "error",
                    f"第{n}项活动的活动重点“{a.focus_area}”不属于本次活动",
                    f"activity {n}: focus area {a.focus_area!r} is not in this campaign",
                    a.id,
                )
            )
        if a.start_date is None:
            add(
                Finding(
                    "activity.date.missing",
                    f"{p}.start_date",
                    "error",
                    f"第{n}项活动未填写开始日期",
                    f"activity {n} has no start date",
                    a.id,
                )
            )
        else:
            end = a.end_date or a.start_date
            if end < a.start_date:
                add(
                    Finding(
                        "activity.date.order",
                        f"{p}.end_date",
                        "error",
                        f"第{n}项活动的结束日期早于开始日期",
                        f"activity {n} ends before it starts",
                        a.id,
                    )
                )
            elif a.start_date > campaign.period_end or end < campaign.period_start:
                add(
                    Finding(
                        "activity.date.outside",
                        f"{p}.start_date",
                        "warning",
                        f"第{n}项活动日期不在活动期间内（{campaign.period_start:%Y-%m-%d} 至 "
                        f"{campaign.period_end:%Y-%m-%d}）",
                        f"activity {n} is outside the campaign period "
                        f"({campaign.period_start} to {campaign.period_end})",
                        a.id,
                    )
                )
        if a.participants is not None and a.participants < 0:
            add(
                Finding(
                    "activity.participants.invalid",
                    f"{p}.participants",
                    "error",
                    f"第{n}项活动的参与人数不能为负数",
                    f"activity {n}: participants cannot be negative",
                    a.id,
                )
            )
        if not a.description.strip():
            add(
                Finding(
                    "activity.description.missing",
                    f"{p}.description",
                    "warning",
                    f"第{n}项活动未填写活动内容",
                    f"activity {n} has no description",
                    a.id,
                )
            )


def _check_media(report: Report, campaign: Campaign, add: Any) -> None:
    rules = campaign.media
    activity_ids = {a.id for a in report.activities}
    counts = Counter(m.sha256 for m in report.media)
    flagged: set[str] = set()
    total = 0
    accepted = rules.accepted_types
    max_file = rules.max_file_bytes
    captions = rules.captions_required
    photos = videos = 0
    for i, m in enumerate(report.media):
        total += m.size
        kind = media_kind(m.media_type)
        photos += kind == "photo"
        videos += kind == "video"
        # the usual file has no finding: test first, name it only when something is wrong
        if (
            m.media_type in accepted
            and 0 < m.size <= max_file
            and (not captions or m.caption.strip())
            and (not m.activity_id or m.activity_id in activity_ids)
            and counts[m.sha256] == 1
        ):
            continue
        p = f"media[{i}]"
        name = m.original_name or m.sha256[:12]
        if m.media_type not in rules.accepted_types:
            what = m.media_type or "未知类型"
            add(
                Finding(
                    "media.type.unsupported",
                    f"{p}",
                    "error",
                    f"文件“{name}”的格式（{what}）不被接受，请使用照片或视频",
                    f"{name}: type {m.media_type or 'unknown'} is not accepted",
                    m.sha256,
                )
            )
        if m.size > rules.max_file_bytes:
            add(
                Finding(
                    "media.file.too_large",
                    f"{p}",
                    "error",
                    f"文件“{name}”为 {size_text(m.size)}，超过单个文件上限 "
                    f"{size_text(rules.max_file_bytes)}",
                    f"{name} is {size_text(m.size)}, over the per-file limit of "
                    f"{size_text(rules.max_file_bytes)}",
                    m.sha256,
                )
            )
        if m.size == 0:
            add(
                Finding(
                    "media.file.empty",
                    f"{p}",
                    "error",
                    f"文件“{name}”是空文件",
                    f"{name} is empty",
                    m.sha256,
                )
            )
        if rules.captions_required and not m.caption.strip():
            add(
                Finding(
                    "media.caption.missing",
                    f"{p}.caption",
                    "warning",
                    f"“{name}”缺少图片/视频说明",
                    f"{name} has no caption",
                    m.sha256,
                )
            )
        if m.activity_id and m.activity_id not in activity_ids:
            add(
                Finding(
                    "media.activity.unknown",
                    f"{p}.activity_id",
                    "error",
                    f"“{name}”关联的活动已不存在",
                    f"{name} is linked to a missing activity",
                    m.sha256,
                )
            )
        if counts[m.sha256] > 1 and m.sha256 not in flagged:
            flagged.add(m.sha256)
            add(
                Finding(
                    "media.duplicate",
                    f"{p}",
                    "warning",
                    f"“{name}”重复添加了 {counts[m.sha256]} 次",
                    f"{name} was added {counts[m.sha256]} times",
                    m.sha256,
                )
            )
    if total > rules.max_submission_bytes:
        add(
            Finding(
                "media.total.too_large",
                "media",
                "error",
                f"图片和视频合计 {size_text(total)}，超过上限 {size_text(rules.max_submission_bytes)}",
                f"media total {size_text(total)} is over the limit of "
                f"{size_text(rules.max_submission_bytes)}",
            )
        )
    if photos < rules.min_photos:
        add(
            Finding(
                "media.photos.too_few",
                "media",
                "error",
                f"至少需要 {rules.min_photos} 张活动图片，目前有 {photos} 张",
                f"at least {rules.min_photos} photo(s) are required, there are {photos}",
            )
        )
    if videos < rules.min_videos:
        add(
            Finding(
                "media.videos.too_few",
                "media",
                "error",
                f"至少需要 {rules.min_videos} 段视频资料，目前有 {videos} 段",
                f"at least {rules.min_videos} video(s) are required, there are {videos}",
            )
        )
