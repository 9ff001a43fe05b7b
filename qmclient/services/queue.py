"""The outbox queue: check, freeze and queue a report; list and pick what is due.

:func:`queue_submission` checks the report (refusing it on errors, or on lateness when the
campaign refuses late reports), freezes the current revision (its JSON and hash are kept as
they will be sent) and puts it in the outbox; :func:`due_entries` says what to send now.
The sender (:mod:`qmclient.services.sender`) works through it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from qmclient.core import lifecycle
from qmclient.core.validation import Finding, has_errors
from qmclient.core.work import QmError
from qmclient.services import clock, drafts
from qmclient.services.context import AppContext
from qmclient.services.endpoint import endpoint_for
from qmclient.services.records import get_submission, revision_row, submission_missing
from qmclient.store import bulk
from qmclient.store.errors import StoreFullError
from qmclient.store.models import (
    AuditEvent,
    OutboxEntry,
    Submission,
    SubmissionRevision,
    utcnow,
)
from qmclient.sync.errors import SyncError

QUEUED, SENT, HELD = "queued", "sent", "held"


class SubmitRefused(QmError):
    """The report has errors (or is late under a refusing campaign): it was not queued."""

    code = "submit-refused"

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(
            zh="报告还有错误，没有加入发送队列。请先改正检查中列出的问题，再提交。",
            en="the report has errors and was not queued; fix what the checks list, then "
            "submit again",
        )
        self.findings = findings


@dataclass(frozen=True)
class QueueResult:
    submission_id: int
    revision: int
    report_hash: str
    endpoint: str
    warnings: list[Finding]
    already_queued: bool = False


def audit(s: Session, sub: Submission, revision: int, action: str, detail: Any = "") -> None:
    text = detail if isinstance(detail, str) else json.dumps(detail, ensure_ascii=False)
    s.add(AuditEvent(submission_uuid=sub.uuid, revision=revision, action=action, detail=text))


@contextlib.contextmanager
def writing(ctx: AppContext) -> Iterator[Session]:
    """A write transaction; a full disk becomes a clear :class:`SyncError`."""
    try:
        with ctx.store.write() as s:
            yield s
    except (OperationalError, StoreFullError) as exc:
        if isinstance(exc, StoreFullError) or "full" in str(exc).lower():
            raise SyncError(
                "disk-full",
                zh="磁盘空间已满，无法记录发送进度。请释放一些磁盘空间后重试；已记录的内容不会丢失。",
                en="The disk is full, so sending progress cannot be recorded. Free some disk "
                "space and try again; nothing recorded so far is lost.",
                kind="action",
            ) from None
        raise


def entry_rows(s: Session, entry_id: int) -> tuple[OutboxEntry, Submission, SubmissionRevision]:
    """An outbox entry with its report and the frozen revision it sends."""
    entry = s.get(OutboxEntry, entry_id)
    assert entry is not None
    sub = s.get(Submission, entry.submission_id)
    assert sub is not None
    rev = revision_row(s, sub.id, entry.revision)
    assert rev is not None  # frozen when it was queued
    return entry, sub, rev


def queue_submission(
    ctx: AppContext, submission_id: int, *, now: dt.datetime | None = None
) -> QueueResult:
    """Check, freeze and queue the current revision.  Raises :class:`SubmitRefused` (or
    the :class:`SyncError` of a report already sent, a missing endpoint…)."""
    result = queue_submissions(ctx, [submission_id], now=now)[submission_id]
    if isinstance(result, QmError):
        raise result
    return result


def queue_submissions(
    ctx: AppContext, submission_ids: Iterable[int], *, now: dt.datetime | None = None
) -> dict[int, QueueResult | QmError]:
    """:func:`queue_submission` of each report, in one transaction (one commit for a whole
    batch).  Each report is checked as read within it, so the revision frozen is the one
    checked; a report that cannot go is given as its error and the others are queued."""
    ids = list(dict.fromkeys(submission_ids))
    out: dict[int, QueueResult | QmError] = {}
    endpoints: dict[str, str | QmError] = {}  # by campaign
    clocks: dict[str, dt.datetime] = {}  # by endpoint

    def endpoint_of(campaign_id: str) -> str | QmError:
        if campaign_id not in endpoints:
            try:
                endpoints[campaign_id] = endpoint_for(ctx, ctx.campaigns.get(campaign_id))
            except SyncError as err:
                endpoints[campaign_id] = err
        return endpoints[campaign_id]

    with writing(ctx) as s:
        subs = {sub.id: sub for sub in s.scalars(select(Submission).where(Submission.id.in_(ids)))}
        drafted = [
            sid for sid, sub in subs.items() if sub.status in (lifecycle.DRAFT, lifecycle.READY)
        ]
        reports = bulk.load_reports(s, drafted)  # as plain rows, three queries for all
        entries = {
            (e.submission_id, e.revision): e
            for e in s.scalars(select(OutboxEntry).where(OutboxEntry.submission_id.in_(ids)))
        }
        for sid in ids:
            sub = subs.get(sid)
            if sub is None:
                out[sid] = submission_missing(sid)
                continue
            endpoint = endpoint_of(sub.campaign_id)
            if isinstance(endpoint, QmError):
                out[sid] = endpoint
                continue
            if sub.status in (lifecycle.QUEUED, lifecycle.SENDING):
                rev = drafts.freeze_in(s, sub)  # frozen when it was queued: read, not written
                out[sid] = QueueResult(sid, rev.revision, rev.report_hash, endpoint, [], True)
                continue
            if sid not in reports:
                out[sid] = _already_sent(sub.status)
                continue
            if endpoint not in clocks:
                clocks[endpoint] = now or clock.now(ctx, endpoint)
            findings = drafts.validate_report(ctx, reports[sid], clocks[endpoint])
            if has_errors(findings):  # nothing of it is written
                out[sid] = SubmitRefused([f for f in findings if f.severity == "error"])
                continue
            rev = drafts.freeze_in(s, sub, reports[sid])
            sub.status = lifecycle.QUEUED
            sub.updated_at = utcnow()
            entry = entries.get((sid, rev.revision))
            if entry is None:
                s.add(OutboxEntry(submission_id=sid, revision=rev.revision, endpoint_url=endpoint))
            else:
                entry.state, entry.next_attempt_at, entry.endpoint_url = QUEUED, None, endpoint
            detail = {"endpoint": endpoint, "report_hash": rev.report_hash}
            audit(s, sub, rev.revision, "queued", detail)
            warnings = [f for f in findings if f.severity == "warning"]
            out[sid] = QueueResult(sid, rev.revision, rev.report_hash, endpoint, warnings)
    return out


def _already_sent(status: str) -> SyncError:
    return SyncError(
        "already-sent",
        zh=f"这份报告的当前版本已经报送（状态：{lifecycle.LABELS[status][0]}）。"
        "如需修改，请先编辑报告（会生成新的版本），再报送。",
        en=f"The current revision of this report was already sent (status: "
        f"{lifecycle.LABELS[status][1]}). Edit it first (that opens a new revision), "
        "then submit again.",
        kind="action",
    )


def unqueue(ctx: AppContext, submission_id: int) -> None:
    """Take a queued (not yet sending) revision out of the outbox; it stays frozen."""
    with writing(ctx) as s:
        sub = get_submission(s, submission_id)
        lifecycle.check_transition(sub.status, lifecycle.DRAFT)
        for entry in s.scalars(
            select(OutboxEntry).where(
                OutboxEntry.submission_id == submission_id, OutboxEntry.state != SENT
            )
        ):
            s.delete(entry)
        sub.status = lifecycle.DRAFT
        audit(s, sub, sub.revision, "unqueued")


@dataclass(frozen=True)
class QueueRow:
    entry_id: int
    submission_id: int
    revision: int
    title: str
    state: str
    attempts: int
    next_attempt_at: dt.datetime | None
    error_code: str
    error_zh: str
    error_en: str


def outbox_rows(ctx: AppContext, *, include_sent: bool = False) -> list[QueueRow]:
    q = (
        select(OutboxEntry, Submission.title)
        .join(Submission, Submission.id == OutboxEntry.submission_id)
        .order_by(OutboxEntry.id)
    )
    if not include_sent:
        q = q.where(OutboxEntry.state != SENT)
    with ctx.store.read() as s:
        return [
            QueueRow(
                e.id,
                e.submission_id,
                e.revision,
                title,
                e.state,
                e.attempts,
                e.next_attempt_at,
                e.last_error_code,
                e.last_error_zh,
                e.last_error_en,
            )
            for e, title in s.execute(q)
        ]


def next_retry_in(ctx: AppContext) -> float | None:
    """Seconds until the earliest queued entry's next attempt (0 if one is due already)."""
    with ctx.store.read() as s:
        q = select(OutboxEntry.next_attempt_at).where(
            OutboxEntry.state == QUEUED, OutboxEntry.next_attempt_at.is_not(None)
        )
        soonest = min((t for t in s.scalars(q) if t is not None), default=None)
    if soonest is None:
        return None
    return max(0.0, (soonest - utcnow()).total_seconds())


def due_entries(ctx: AppContext, *, include_waiting: bool = True) -> list[int]:
    """Outbox entries to try now, in queue order.

    ``include_waiting`` (a user asking to sync now) also takes entries waiting for their
    next attempt and those held for the user; a background run leaves them.
    """
    now = utcnow()
    with ctx.store.read() as s:
        q = select(OutboxEntry).where(OutboxEntry.state != SENT).order_by(OutboxEntry.id)
        out = []
        for e in s.scalars(q):
            if not include_waiting and (
                e.state == HELD or (e.next_attempt_at is not None and e.next_attempt_at > now)
            ):
                continue
            out.append(e.id)
        return out
