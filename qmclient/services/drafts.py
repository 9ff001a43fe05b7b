"""Drafting a submission: create, list, edit, activities, validate, freeze.  Its photos
and videos are :mod:`qmclient.services.media_items` (re-exported here).

Every function takes the :class:`~qmclient.services.context.AppContext` first and does its
writing in one transaction of the single writer, so a change is either all there or not.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid as uuidlib
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from qmclient.core import lifecycle
from qmclient.core.media_checks import MediaFigures
from qmclient.core.report import Activity as ActivityData
from qmclient.core.report import Report, Unit
from qmclient.core.validation import Checks, Finding, validate
from qmclient.services.context import AppContext
from qmclient.services.media_items import (  # re-exported: callers use drafts.attach_files
    AttachResult as AttachResult,
)
from qmclient.services.media_items import attach_files as attach_files
from qmclient.services.media_items import ensure_blob as ensure_blob
from qmclient.services.media_items import expand_paths as expand_paths
from qmclient.services.media_items import media_path as media_path
from qmclient.services.media_items import remove_media as remove_media
from qmclient.services.media_items import reorder_media as reorder_media
from qmclient.services.media_items import restore_media as restore_media
from qmclient.services.media_items import update_media as update_media
from qmclient.services.records import FieldError as FieldError
from qmclient.services.records import NotFoundError as NotFoundError
from qmclient.services.records import audit as _audit
from qmclient.services.records import audit_edit as _audit_edit
from qmclient.services.records import get_submission as _get
from qmclient.services.records import media_ref, revision_row, submission_missing
from qmclient.services.records import touch_for_edit as _touch_for_edit
from qmclient.store import bulk
from qmclient.store.bulk import ACTIVITY_FIELDS as ACTIVITY_FIELDS
from qmclient.store.bulk import UNIT_FIELDS as UNIT_FIELDS
from qmclient.store.listing import LIST_SQL, SubmissionRow, list_rows
from qmclient.store.models import (
    Activity,
    AuditEvent,
    Submission,
    SubmissionRevision,
    UnitProfile,
    utcnow,
)

TEXT_FIELDS = ("title", "summary")


# ----------------------------------------------------------------------------- lookups


def resolve(ctx: AppContext, ref: str | int) -> int:
    """A submission's id from its number or (a prefix of) its UUID."""
    text = str(ref).strip()
    with ctx.store.read() as s:
        if text.isdigit() and s.get(Submission, int(text)) is not None:
            return int(text)
        if len(text) >= 4:
            ids = s.scalars(
                select(Submission.id).where(Submission.uuid.startswith(text.lower())).limit(2)
            ).all()
            if len(ids) == 1:
                return ids[0]
            if len(ids) > 1:
                raise NotFoundError(
                    zh=f"“{text}”对应不止一份报告，请多给几位编号。",
                    en=f"{text!r} matches more than one submission; give more of it",
                )
    raise NotFoundError(zh=f"没有报告“{text}”，请检查编号。", en=f"no submission {text!r}")


# ----------------------------------------------------------------------------- profile


def get_profile(ctx: AppContext) -> Unit | None:
    with ctx.store.read() as s:
        row = s.scalars(select(UnitProfile).limit(1)).first()
        if row is None:
            return None
        return Unit(**{f: getattr(row, f) for f in UNIT_FIELDS})


def save_profile(ctx: AppContext, unit: Unit) -> None:
    with ctx.store.write() as s:
        row = s.scalars(select(UnitProfile).limit(1)).first() or UnitProfile()
        for f in UNIT_FIELDS:
            setattr(row, f, getattr(unit, f).strip())
        row.updated_at = utcnow()
        s.add(row)


# ----------------------------------------------------------------------------- submissions


def create_draft(
    ctx: AppContext,
    *,
    campaign_id: str | None = None,
    title: str = "",
    unit: Unit | None = None,
    submission_uuid: str | None = None,
) -> int:
    campaign = ctx.campaigns.get(campaign_id) if campaign_id else ctx.campaigns.default()
    unit = unit or get_profile(ctx) or Unit()
    if not title:
        title = f"{unit.name}{campaign.year}年“质量月”{campaign.report_title}".strip()
    sub = Submission(
        uuid=submission_uuid or str(uuidlib.uuid4()),
        campaign_id=campaign.id,
        title=title,
        **{f"unit_{f}": getattr(unit, f) for f in UNIT_FIELDS},
    )
    with ctx.store.write() as s:
        s.add(sub)
        s.flush()
        _audit(s, sub, "created", {"campaign": campaign.id})
    return sub.id


def list_submissions(ctx: AppContext, *, status: str | None = None) -> list[SubmissionRow]:
    with ctx.store.read() as s:
        return list_rows(s.execute(text(LIST_SQL), {"status": status}))


def _report_of(sub: Submission) -> Report:
    return Report(
        uuid=sub.uuid,
        campaign_id=sub.campaign_id,
        revision=sub.revision,
        title=sub.title,
        summary=sub.summary,
        unit=Unit(**{f: getattr(sub, f"unit_{f}") for f in UNIT_FIELDS}),
        activities=[
            ActivityData(id=a.id, **{f: getattr(a, f) for f in ACTIVITY_FIELDS})
            for a in sub.activities
        ],
        media=[media_ref(m) for m in sub.media],
    )


def load_report(ctx: AppContext, submission_id: int) -> Report:
    """One report, read as plain rows (``store.bulk``: equal to the ORM's, and what the
    editor and its live checks read after every change)."""
    with ctx.store.read() as s:
        return report_in(s, submission_id)


def load_reports(ctx: AppContext, ids: Iterable[int] | None = None) -> dict[int, Report]:
    """Many reports at once (three queries in all, as plain rows: ``store.bulk``)."""
    with ctx.store.read() as s:
        return bulk.load_reports(s, ids)


def status_of(ctx: AppContext, submission_id: int) -> str:
    with ctx.store.read() as s:
        status = s.execute(
            text("SELECT status FROM submission WHERE id = :id"), {"id": submission_id}
        ).scalar()
    if status is None:
        raise submission_missing(submission_id)
    return str(status)


def update_fields(ctx: AppContext, submission_id: int, changes: dict[str, str]) -> None:
    """Set ``title``, ``summary`` and ``unit.*`` fields; a frozen revision opens a new one."""
    for key in changes:
        bare = key.removeprefix("unit.")
        if key not in TEXT_FIELDS and not (key.startswith("unit.") and bare in UNIT_FIELDS):
            raise FieldError(zh=f"没有“{key}”这一栏。", en=f"unknown field {key!r}")
    with ctx.store.write() as s:
        sub = _get(s, submission_id)
        changed = [k for k, v in changes.items() if getattr(sub, k.replace("unit.", "unit_")) != v]
        if not changed:
            return
        _touch_for_edit(s, sub)
        for key in changed:
            setattr(sub, key.replace("unit.", "unit_"), changes[key])
        _audit_edit(s, sub, changed)


def start_revision(ctx: AppContext, submission_id: int) -> int:
    """Open the next revision of a frozen report (returned by the office, say); returns the
    revision now being edited (unchanged when it is editable already)."""
    with ctx.store.write() as s:
        sub = _get(s, submission_id)
        if lifecycle.is_frozen(sub.status) and sub.status not in (
            lifecycle.QUEUED,
            lifecycle.SENDING,
        ):
            _touch_for_edit(s, sub)
        return sub.revision


def delete_submission(ctx: AppContext, submission_id: int) -> None:
    with ctx.store.write() as s:
        sub = _get(s, submission_id)
        if sub.status in (lifecycle.QUEUED, lifecycle.SENDING):
            raise FieldError(
                zh="正在发送的报告不能删除，请等发送结束或先暂停发送。",
                en="a submission that is being sent cannot be deleted; wait until it is sent "
                "or pause sending first",
            )
        _audit(s, sub, "deleted")
        s.delete(sub)


# ----------------------------------------------------------------------------- activities


def _coerce_activity(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key not in ACTIVITY_FIELDS:
            raise FieldError(zh=f"活动没有“{key}”这一栏。", en=f"unknown activity field {key!r}")
        if key in ("start_date", "end_date"):
            if value in (None, ""):
                value = None
            elif isinstance(value, str):
                try:
                    value = dt.date.fromisoformat(value.strip())
                except ValueError:
                    raise FieldError(
                        zh=f"{key}：“{value}”不是日期，请按 年-月-日 填写（如 2022-09-01）。",
                        en=f"{key}: {value!r} is not a date (YYYY-MM-DD)",
                    ) from None
        elif key == "participants":
            if value in (None, ""):
                value = None
            else:
                try:
                    value = int(value)
                except (TypeError, ValueError):
                    raise FieldError(
                        zh=f"参加人数“{value}”不是数字，请填写整数。",
                        en=f"participants: {value!r} is not a number",
                    ) from None
        elif value is None:
            value = ""
        out[key] = value
    return out


def add_activity(ctx: AppContext, submission_id: int, data: dict[str, Any]) -> str:
    values = _coerce_activity(data)
    with ctx.store.write() as s:
        sub = _get(s, submission_id)
        _touch_for_edit(s, sub)
        position = max((a.position for a in sub.activities), default=-1) + 1
        act = Activity(id=str(uuidlib.uuid4()), position=position, **values)
        sub.activities.append(act)
        _audit(s, sub, "activity-added", {"activity": act.id, "name": act.name})
        return act.id


def update_activity(ctx: AppContext, activity_id: str, data: dict[str, Any]) -> None:
    values = _coerce_activity(data)
    with ctx.store.write() as s:
        act = s.get(Activity, activity_id)
        if act is None:
            raise NotFoundError(
                zh="没有这项活动（可能已被删除）。", en=f"no activity {activity_id}"
            )
        _touch_for_edit(s, act.submission)
        for key, value in values.items():
            setattr(act, key, value)
        _audit_edit(s, act.submission, [f"activity.{k}" for k in values])


def remove_activity(ctx: AppContext, activity_id: str) -> None:
    with ctx.store.write() as s:
        act = s.get(Activity, activity_id)
        if act is None:
            raise NotFoundError(
                zh="没有这项活动（可能已被删除）。", en=f"no activity {activity_id}"
            )
        sub = act.submission
        _touch_for_edit(s, sub)
        for m in sub.media:
            if m.activity_id == activity_id:
                m.activity_id = None
        sub.activities.remove(act)
        _audit(s, sub, "activity-removed", {"activity": activity_id, "name": act.name})


def move_activity(ctx: AppContext, activity_id: str, new_index: int) -> None:
    with ctx.store.write() as s:
        act = s.get(Activity, activity_id)
        if act is None:
            raise NotFoundError(
                zh="没有这项活动（可能已被删除）。", en=f"no activity {activity_id}"
            )
        sub = act.submission
        _touch_for_edit(s, sub)
        order = [a for a in sub.activities if a.id != activity_id]
        order.insert(max(0, min(new_index, len(order))), act)
        for i, a in enumerate(order):
            a.position = i


# ----------------------------------------------------------------------------- checks


def validate_submission(
    ctx: AppContext, submission_id: int, now: dt.datetime | None = None
) -> list[Finding]:
    return validate_report(ctx, load_report(ctx, submission_id), now)


def validate_all(ctx: AppContext, now: dt.datetime | None = None) -> dict[int, list[Finding]]:
    """Findings of every stored report, keyed by submission id: the same as
    :func:`validate_report` of each.  Each campaign's rules are made ready once; the
    files are counted by SQLite (``bulk.media_figures``) and read one by one only for
    the few reports where one might fail a rule; the disk is looked at once per file."""
    now = now or dt.datetime.now(dt.UTC)
    checks: dict[str, Checks] = {}

    def checks_of(report: Report) -> Checks:
        check = checks.get(report.campaign_id)
        if check is None:
            campaign = ctx.campaigns.get(report.campaign_id)
            check = checks[report.campaign_id] = Checks(campaign, now)
        return check

    found: dict[int, list[Finding]] = {}
    with ctx.store.read() as s:
        reports = bulk.load_reports(s, media=False)
        figures = bulk.media_figures(s)
        missing = ctx.media.missing(bulk.stored_files(s))
        closer = bulk.reports_using(s, missing) if missing else set()
        no_files = MediaFigures()
        for sid, report in reports.items():
            if sid in closer:
                continue
            result = checks_of(report).from_figures(report, figures.get(sid, no_files))
            if result is None:
                closer.add(sid)
            else:
                found[sid] = result
        for sid, report in bulk.load_reports(s, closer).items():
            found[sid] = checks_of(report)(report)
            _missing_files(report, missing.__contains__, found[sid])
    return {sid: found[sid] for sid in reports}


def validate_report(
    ctx: AppContext,
    report: Report,
    now: dt.datetime | None = None,
    has: Callable[[str], bool] | None = None,
) -> list[Finding]:
    """The shared rules, plus what only this machine knows: stored files gone from disk."""
    campaign = ctx.campaigns.get(report.campaign_id)
    findings = validate(report, campaign, now or dt.datetime.now(dt.UTC))
    stored = has or ctx.media.has
    _missing_files(report, lambda sha256: not stored(sha256), findings)
    return findings


def _missing_files(report: Report, gone: Callable[[str], bool], findings: list[Finding]) -> None:
    for i, m in enumerate(report.media):
        if not gone(m.sha256):
            continue
        findings.append(
            Finding(
                "media.file.missing",
                f"media[{i}]",
                "error",
                f"“{m.original_name}”的文件在本机数据目录中找不到了，请删除后重新添加",
                f"the stored file of {m.original_name} is missing; remove it and add it again",
                m.sha256,
            )
        )


# ----------------------------------------------------------------------------- freezing


def set_status(ctx: AppContext, submission_id: int, new: str, detail: Any = "") -> None:
    with ctx.store.write() as s:
        sub = _get(s, submission_id)
        lifecycle.check_transition(sub.status, new)
        sub.status = new
        sub.updated_at = utcnow()
        _audit(s, sub, f"status:{new}", detail)


def freeze(ctx: AppContext, submission_id: int) -> SubmissionRevision:
    """Freeze the current revision (once): its report JSON and hash are kept as sent."""
    with ctx.store.write() as s:
        return freeze_in(s, _get(s, submission_id))


def freeze_in(s: Session, sub: Submission, report: Report | None = None) -> SubmissionRevision:
    """:func:`freeze` within the caller's write transaction ``s``; ``report``: the current
    revision's content as read in ``s`` already (plain rows, :func:`report_in`)."""
    existing = revision_row(s, sub.id, sub.revision)
    if existing is not None:
        return existing
    if report is None:
        report = _report_of(sub)
    data = report.canonical_json()
    rev = SubmissionRevision(
        submission_id=sub.id,
        revision=sub.revision,
        report_json=data.decode("utf-8"),
        report_hash=hashlib.sha256(data).hexdigest(),  # Report.report_hash, hashed once
    )
    s.add(rev)
    _audit(s, sub, "frozen", {"report_hash": rev.report_hash})
    return rev


def report_in(s: Session, submission_id: int) -> Report:
    """One report as it stands within the transaction ``s`` (plain rows)."""
    report = bulk.load_reports(s, [submission_id]).get(submission_id)
    if report is None:
        raise submission_missing(submission_id)
    return report


def audit_log(ctx: AppContext, submission_id: int) -> list[AuditEvent]:
    with ctx.store.read() as s:
        sub = _get(s, submission_id)
        return list(
            s.scalars(
                select(AuditEvent)
                .where(AuditEvent.submission_uuid == sub.uuid)
                .order_by(AuditEvent.id)
            )
        )
