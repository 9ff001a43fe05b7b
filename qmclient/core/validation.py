"""One validation engine for the desktop app, the command line and the intake server.

:func:`validate` looks at a :class:`~qmclient.core.report.Report` against its
:class:`~qmclient.core.campaign.Campaign` and returns :class:`Finding` objects, each with
a stable code, a field path, a severity and a message in Chinese and English.  The codes
are listed in ``docs/validation.md``; they never change meaning once released.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from qmclient.core.campaign import Campaign, SubmitterKind
from qmclient.core.deadline import deadline_status
from qmclient.core.findings import Finding as Finding
from qmclient.core.findings import Severity as Severity
from qmclient.core.findings import has_errors as has_errors
from qmclient.core.identifiers import (
    credit_code_problem,
    is_valid_email,
    is_valid_phone,
)
from qmclient.core.media_checks import MediaFigures, check_media, check_media_figures
from qmclient.core.report import Report, Unit

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


def _field_value(report: Report, name: str) -> Any:
    if name.startswith("unit."):
        return getattr(report.unit, name[5:])
    return getattr(report, name)


def validate(report: Report, campaign: Campaign, now: dt.datetime | None = None) -> list[Finding]:
    """All findings for ``report``; ``now`` (aware) adds the deadline findings."""
    return Checks(campaign, now)(report)


class Checks:
    """One campaign's rules made ready once, then applied to any number of reports.

    :func:`validate` builds one per report; checking many reports of one campaign at
    once (``drafts.validate_all``) builds one per campaign: the campaign's lists become
    sets and dictionaries, and the deadline is judged once for the moment ``now``.
    Applying it gives exactly what :func:`validate` gives.
    """

    def __init__(self, campaign: Campaign, now: dt.datetime | None = None) -> None:
        self.campaign = campaign
        self.kinds: dict[str, SubmitterKind] = {}
        for k in campaign.submitter_kinds:  # the first of a repeated id, as a search finds
            self.kinds.setdefault(k.id, k)
        self.focus_areas = frozenset(f.id for f in campaign.focus_areas)
        self.districts = frozenset(d.id for d in campaign.districts)
        self.accepted = frozenset(campaign.media.accepted_types)
        self.kind_of: dict[str, str] = {}  # media type -> photo | video | other
        self.deadline = _deadline_findings(campaign, now) if now is not None else ()

    def __call__(self, report: Report) -> list[Finding]:
        found = self._check(report, None)
        assert found is not None  # with its files, a report is always checked whole
        return found

    def from_figures(self, report: Report, figures: MediaFigures) -> list[Finding] | None:
        """The findings of ``report`` whose files are given as ``figures``; ``None`` when
        they do not suffice (a file may fail the quick test): then check the report with
        its files."""
        return self._check(report, figures)

    def _check(self, report: Report, figures: MediaFigures | None) -> list[Finding] | None:
        out: list[Finding] = []
        add = out.append
        unit = report.unit
        campaign = self.campaign

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

        kind = self.kinds.get(unit.kind)
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
                    add(
                        Finding("field.required", name, "error", f"请填写{zh}", f"{en} is required")
                    )

        _check_unit(unit, self.districts, add)

        summary = report.summary.strip()
        if summary and len(summary) < SUMMARY_MIN_CHARS:
            add(
                Finding(
                    "summary.short",
                    "summary",
                    "warning",
                    f"总结正文不足{SUMMARY_MIN_CHARS}字，建议写明活动开展情况、主要做法和成效",
                    f"the summary is shorter than {SUMMARY_MIN_CHARS} characters",
                )
            )

        _check_activities(report, campaign, self.focus_areas, add)
        if figures is None:
            check_media(report, campaign.media, self.accepted, self.kind_of, add)
        elif not check_media_figures(
            report, figures, campaign.media, self.accepted, self.kind_of, add
        ):
            return None
        out.extend(self.deadline)
        return out


def _deadline_findings(campaign: Campaign, now: dt.datetime) -> tuple[Finding, ...]:
    status = deadline_status(campaign, now)
    if status.state == "overdue":
        severity: Severity = "error" if campaign.late_policy == "refuse" else "warning"
        tail_zh = "，牵头单位不再接收" if severity == "error" else "，报送时将标记为逾期"
        return (
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
            ),
        )
    if status.state == "due_today" or status.days <= 3:
        return (
            Finding("deadline.soon", "deadline", "warning", status.text_zh(), status.text_en()),
        )
    return ()


def _check_unit(unit: Unit, districts: frozenset[str], add: Any) -> None:
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
    if unit.district and districts and unit.district not in districts:
        add(
            Finding(
                "unit.district.unknown",
                "unit.district",
                "error",
                f"所属区县“{unit.district}”不在本次活动的区县名单中",
                f"district {unit.district!r} is not one of this campaign's districts",
            )
        )


def _check_activities(
    report: Report, campaign: Campaign, focus_areas: frozenset[str], add: Any
) -> None:
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
        elif a.focus_area not in focus_areas:
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
