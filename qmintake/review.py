"""The office's review of one submission: the report as written, its revisions, history,
receipts (signatures checked) and internal notes.  Accepting and returning go through
``submissions.office_decision`` — the same service as ``qmintake accept/return``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from qmintake.models import OfficeNoteRow, SubmissionRow, utcnow
from qmintake.problems import Problem
from qmintake.settings import IntakeState
from qmintake.signing import verify
from qmintake.submissions import _revision, office_decision, submission_dict

MAX_NOTE = 4000


@dataclass(frozen=True)
class ReviewView:
    submission: dict[str, Any]
    revision: int
    report: dict[str, Any]
    receipts_ok: dict[int, bool]  # revision -> signature checks with the office's key
    notes: list[tuple[str, str, str]]  # (who, at ISO, text)


def _find(s: Any, uuid: str, campaign_id: str | None) -> SubmissionRow:
    sub: SubmissionRow | None = s.scalars(
        select(SubmissionRow).where(SubmissionRow.uuid == uuid.lower())
    ).first()
    if sub is None or (campaign_id is not None and sub.campaign_id != campaign_id):
        raise Problem("submission-not-found", f"there is no submission {uuid} in this campaign")
    return sub


def review_view(
    state: IntakeState, uuid: str, campaign_id: str | None, revision: int | None = None
) -> ReviewView:
    with state.db.session() as s:
        sub = _find(s, uuid, campaign_id)
        data = submission_dict(s, state, sub)
        rev_no = revision or sub.latest_revision
        rev = _revision(s, sub, rev_no)
        if rev is None:
            raise Problem("revision-not-found", f"no revision {rev_no} of {uuid}")
        report: dict[str, Any] = json.loads(rev.report_json)
        notes = [
            (n.user_name, n.at.isoformat(), n.text)
            for n in s.scalars(
                select(OfficeNoteRow)
                .where(OfficeNoteRow.submission_id == sub.id)
                .order_by(OfficeNoteRow.at)
            ).all()
        ]
    key = state.signer.public_key_b64
    ok = {r["revision"]: verify(r["receipt"], key) for r in data["revisions"] if r["receipt"]}
    return ReviewView(data, rev_no, report, ok, notes)


def add_note(state: IntakeState, uuid: str, campaign_id: str, who: str, text: str) -> None:
    text = text.strip()[:MAX_NOTE]
    if not text:
        raise Problem("invalid-request", "the note is empty")
    with state.db.session() as s:
        sub = _find(s, uuid, campaign_id)
        s.add(OfficeNoteRow(submission_id=sub.id, user_name=who, text=text, at=utcnow()))


def decide(
    state: IntakeState, uuid: str, campaign_id: str, action: str, comment: str = ""
) -> dict[str, Any]:
    """Accept or return a submission of this campaign (a UUID of another campaign is
    'not found', like one that does not exist)."""
    with state.db.session() as s:
        _find(s, uuid, campaign_id)
    if action == "returned" and not comment.strip():
        raise Problem("invalid-request", "a return for revision needs a comment for the unit")
    return office_decision(state, uuid.lower(), action, comment.strip())
