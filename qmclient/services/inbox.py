"""The district coordinator's inbox: the rows filed for what arrived, and reviewing them
(check, return with a note, apply a note).  Filing is :mod:`qmclient.services.inbox_import`.

Reason codes (``reason``): the package refusals of :mod:`qmclient.services.packages`
(``corrupt``, ``unsafe-path``, ``zip-bomb``, ``hash-mismatch``, ``newer-format``,
``older-revision``, ``conflict``, …) and ``wrong-campaign``, ``wrong-district``,
``failed-validation``, ``missing-parts``, ``not-a-mail``, ``no-report``.
:func:`reason_group` sorts them into what a coordinator filters by.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from sqlalchemy import select

from qmclient.core.work import QmError
from qmclient.services import drafts
from qmclient.services.context import AppContext
from qmclient.services.records import revision_row
from qmclient.store.models import AuditEvent, InboxItem, Submission, utcnow

MAIL_SUFFIX = ".eml"
QUARANTINE_DIR = "quarantine"
MAX_KEEP_BYTES = 4 * 1024**3  # larger junk is named in the list but not copied
MAX_FOLDER_FILES = 20_000
NEW, UPDATED, DUPLICATE, QUARANTINED = "new", "updated", "duplicate", "quarantined"
OUTCOMES = (NEW, UPDATED, DUPLICATE, QUARANTINED)
CHECKED, RETURNED = "checked", "returned"

_GROUPS = {
    "wrong-district": "wrong-district",
    "wrong-campaign": "wrong-campaign",
    "unknown-campaign": "wrong-campaign",
    "older-revision": "older-revision",
    "failed-validation": "failed-validation",
    "missing-parts": "incomplete",
    "conflict": "conflict",
    "busy": "conflict",
    "newer-format": "newer-format",
}


def reason_group(reason: str) -> str:
    """``broken`` for every damaged or hostile file, else the reason's own group."""
    return _GROUPS.get(reason, "broken") if reason else ""


@dataclass(frozen=True)
class InboxRow:
    id: int
    source_name: str
    source_kind: str
    received_at: dt.datetime
    outcome: str
    reason: str
    message_zh: str
    message_en: str
    uuid: str
    revision: int
    unit_name: str
    submission_id: int | None
    kept_path: str
    review: str
    review_comment: str
    reviewed_by: str

    @property
    def code(self) -> str:
        return f"{QUARANTINED}:{self.reason}" if self.outcome == QUARANTINED else self.outcome

    @property
    def group(self) -> str:
        return reason_group(self.reason)

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "source": self.source_name,
            "kind": self.source_kind,
            "received_at": self.received_at.isoformat(),
            "outcome": self.outcome,
            "code": self.code,
            "reason": self.reason,
            "group": self.group,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
            "uuid": self.uuid,
            "revision": self.revision,
            "unit": self.unit_name,
            "submission_id": self.submission_id,
            "kept": self.kept_path,
            "review": self.review,
            "review_comment": self.review_comment,
        }


def row_of(item: InboxItem) -> InboxRow:
    return InboxRow(
        item.id,
        item.source_name,
        item.source_kind,
        item.received_at,
        item.outcome,
        item.reason,
        item.message_zh,
        item.message_en,
        item.uuid,
        item.revision,
        item.unit_name,
        item.submission_id,
        item.kept_path,
        item.review,
        item.review_comment,
        item.reviewed_by,
    )


class InboxError(QmError):
    """The inbox cannot be read or written; the message says what to do."""

    code = "inbox"


# ----------------------------------------------------------------------------- listing


_LIST_COLUMNS = (
    InboxItem.id,
    InboxItem.source_name,
    InboxItem.source_kind,
    InboxItem.received_at,
    InboxItem.outcome,
    InboxItem.reason,
    InboxItem.message_zh,
    InboxItem.message_en,
    InboxItem.uuid,
    InboxItem.revision,
    InboxItem.unit_name,
    InboxItem.submission_id,
    InboxItem.kept_path,
    InboxItem.review,
    InboxItem.review_comment,
    InboxItem.reviewed_by,
)


def list_items(ctx: AppContext, *, outcome: str | None = None) -> list[InboxRow]:
    """Every item in received order (plain rows, no ORM objects: the list stays fast at
    thousands of items)."""
    with ctx.store.read() as s:
        q = select(*_LIST_COLUMNS).order_by(InboxItem.id)
        if outcome:
            q = q.where(InboxItem.outcome == outcome)
        return [InboxRow(*cast(tuple[Any, ...], row)) for row in s.execute(q)]


def get_item(ctx: AppContext, item_id: int) -> InboxRow:
    with ctx.store.read() as s:
        item = s.get(InboxItem, item_id)
        if item is None:
            raise InboxError(
                zh=f"收件箱中没有编号为 {item_id} 的条目", en=f"no inbox item {item_id}"
            )
        return row_of(item)


def counts(ctx: AppContext) -> dict[str, int]:
    out = dict.fromkeys(OUTCOMES, 0)
    for r in list_items(ctx):
        out[r.outcome] = out.get(r.outcome, 0) + 1
    return out


# ----------------------------------------------------------------------------- review


def _reviewable(ctx: AppContext, item_id: int) -> InboxRow:
    row = get_item(ctx, item_id)
    if row.outcome == QUARANTINED or row.submission_id is None:
        raise InboxError(
            zh="隔离的条目没有导入报告，不能审核；可以退回给报送单位",
            en="a quarantined item holds no imported report to check",
        )
    return row


def _who(ctx: AppContext, who: str) -> str:
    if who:
        return who
    profile = drafts.get_profile(ctx)
    return (profile.contact_person or profile.name) if profile else ""


def check_item(ctx: AppContext, item_id: int, *, who: str = "") -> InboxRow:
    """Mark the report of an item as checked by the coordinator."""
    row = _reviewable(ctx, item_id)
    by = _who(ctx, who)
    with ctx.store.write() as s:
        item = s.get(InboxItem, item_id)
        assert item is not None
        item.review, item.reviewed_by, item.reviewed_at = CHECKED, by[:200], utcnow()
        item.review_comment = ""
        s.add(
            AuditEvent(
                submission_uuid=row.uuid, revision=row.revision, action="inbox-checked", detail=by
            )
        )
        s.flush()
        return row_of(item)


def return_item(
    ctx: AppContext, item_id: int, comment: str, *, who: str = "", note_dir: Path | None = None
) -> tuple[InboxRow, Path | None]:
    """Return an item to its unit with a comment; writes a .qmnote the unit can import
    (into ``note_dir``, default ``notes/`` in the data folder).  A quarantined item with
    no readable report gets no note (there is nothing to point it at)."""
    from qmclient.export.returnnote import ReturnNote, write_note

    comment = comment.strip()
    if not comment:
        raise InboxError(zh="请填写退回意见", en="a comment is needed to return a report")
    row = get_item(ctx, item_id)
    by = _who(ctx, who)
    now = utcnow()
    note_path: Path | None = None
    if row.uuid:
        folder = note_dir or ctx.data_dir / "notes"
        note = ReturnNote(row.uuid, row.revision, row.unit_name, comment, by, now)
        note_path = write_note(folder, note)
    with ctx.store.write() as s:
        item = s.get(InboxItem, item_id)
        assert item is not None
        item.review, item.review_comment = RETURNED, comment
        item.reviewed_by, item.reviewed_at = by[:200], now
        if row.uuid:
            s.add(
                AuditEvent(
                    submission_uuid=row.uuid,
                    revision=row.revision,
                    action="inbox-returned",
                    detail=comment,
                )
            )
        s.flush()
        return row_of(item), note_path


def checked_submissions(ctx: AppContext) -> list[int]:
    """Submissions whose current revision was last reviewed as checked (not returned)."""
    with ctx.store.read() as s:
        verdict: dict[int, str] = {}
        q = (
            select(InboxItem, Submission.revision)
            .join(Submission, Submission.id == InboxItem.submission_id)
            .where(InboxItem.review != "", InboxItem.reviewed_at.is_not(None))
            .order_by(InboxItem.reviewed_at, InboxItem.id)
        )
        for item, current in s.execute(q):
            if item.revision == current and item.submission_id is not None:
                verdict[item.submission_id] = item.review
        return sorted(sid for sid, v in verdict.items() if v == CHECKED)


def apply_note(ctx: AppContext, path: Path) -> tuple[int, str]:
    """The unit's side: import a coordinator's .qmnote.  Records the comment with the
    revision it is about; returns (submission id, comment)."""
    from qmclient.export.returnnote import read_note

    note = read_note(path)
    with ctx.store.write() as s:
        sub = s.scalars(select(Submission).where(Submission.uuid == note.uuid)).first()
        if sub is None:
            raise InboxError(
                zh="本机没有这份退回意见所指的报告", en="the report this note is about is not here"
            )
        rev = revision_row(s, sub.id, note.revision)
        if rev is not None:
            rev.remote_status = "returned"
            rev.remote_comment = f"{note.by}：{note.comment}" if note.by else note.comment
            rev.remote_checked_at = utcnow()
        s.add(
            AuditEvent(
                submission_uuid=sub.uuid,
                revision=note.revision,
                action="returned-by-coordinator",
                detail=note.comment,
            )
        )
        return sub.id, note.comment
