"""What every service that edits a submission shares: finding it, its audit log, and
making a frozen revision editable again; and the errors those raise."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qmclient.core import lifecycle
from qmclient.core.report import MediaRef
from qmclient.core.work import QmError
from qmclient.store.models import AuditEvent, MediaItem, Submission, SubmissionRevision, utcnow

EDIT_AUDIT_QUIET = dt.timedelta(minutes=10)


class NotFoundError(QmError, LookupError):
    """No such submission (activity, media item, outbox entry): the message names it."""

    code = "not-found"


class FieldError(QmError, ValueError):
    """A value that does not fit the field; the message says which and why."""

    code = "field"


def submission_missing(submission_id: int) -> NotFoundError:
    return NotFoundError(
        zh=f"没有编号为 {submission_id} 的报告（可能已被删除）。",
        en=f"no submission {submission_id} (it may have been deleted)",
    )


def get_submission(s: Session, submission_id: int) -> Submission:
    sub = s.get(Submission, submission_id)
    if sub is None:
        raise submission_missing(submission_id)
    return sub


def audit(s: Session, sub: Submission, action: str, detail: Any = "") -> None:
    text = detail if isinstance(detail, str) else json.dumps(detail, ensure_ascii=False)
    s.add(AuditEvent(submission_uuid=sub.uuid, revision=sub.revision, action=action, detail=text))


def revision_row(s: Session, submission_id: int, revision: int) -> SubmissionRevision | None:
    """The frozen revision ``revision`` of a report, if there is one."""
    return s.scalars(
        select(SubmissionRevision).where(
            SubmissionRevision.submission_id == submission_id,
            SubmissionRevision.revision == revision,
        )
    ).first()


def revision_frozen(s: Session, sub: Submission) -> bool:
    """Whether the current revision is frozen: sent, or exported, or queued once (its
    report is kept as it left, so a change must open the next revision)."""
    if lifecycle.is_frozen(sub.status):
        return True
    return (
        s.scalar(
            select(SubmissionRevision.id).where(
                SubmissionRevision.submission_id == sub.id,
                SubmissionRevision.revision == sub.revision,
            )
        )
        is not None
    )


def touch_for_edit(s: Session, sub: Submission) -> None:
    """Make ``sub`` editable: a frozen revision (sent or exported) opens the next one."""
    if revision_frozen(s, sub):
        sub.revision += 1
        sub.status = lifecycle.DRAFT
        audit(s, sub, "new-revision", {"revision": sub.revision})
    elif sub.status == lifecycle.READY:
        sub.status = lifecycle.DRAFT
    sub.updated_at = utcnow()


def audit_edit(s: Session, sub: Submission, fields: Iterable[str]) -> None:
    """Record edits, but not every autosave: one entry per quiet period."""
    last = s.scalars(
        select(AuditEvent)
        .where(AuditEvent.submission_uuid == sub.uuid)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()
    if (
        last is not None
        and last.action == "edit"
        and last.revision == sub.revision
        and utcnow() - last.at < EDIT_AUDIT_QUIET
    ):
        return
    audit(s, sub, "edit", {"fields": sorted(set(fields))})


def media_ref(item: MediaItem) -> MediaRef:
    """A stored media item as the report names it (its file's size, type and measures)."""
    return MediaRef(
        sha256=item.sha256,
        size=item.blob.size,
        media_type=item.blob.media_type,
        original_name=item.original_name,
        caption=item.caption,
        activity_id=item.activity_id,
        position=item.position,
        width=item.blob.width,
        height=item.blob.height,
        duration_s=item.blob.duration_s,
    )
