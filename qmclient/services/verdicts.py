"""The office's verdict on sent reports: received, returned for revision (with the
comment) or accepted, asked of the endpoint and recorded on the revision."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from qmclient.core import lifecycle
from qmclient.services import drafts
from qmclient.services.context import AppContext
from qmclient.services.endpoint import endpoint_for, http_settings
from qmclient.services.queue import audit, writing
from qmclient.store.models import OutboxEntry, Submission, SubmissionRevision, utcnow
from qmclient.sync.api import IntakeClient, not_logged_in
from qmclient.sync.http import HttpClient
from qmclient.sync.tokens import load_token


@dataclass(frozen=True)
class RemoteStatus:
    status: str  # open | received | returned | accepted
    comment: str
    latest_revision: int
    raw: dict[str, Any]


def check_status(ctx: AppContext, submission_id: int) -> RemoteStatus:
    """Ask the endpoint for the office's verdict and record it."""
    with ctx.store.read() as s:
        sub = s.get(Submission, submission_id)
        if sub is None:
            raise drafts.NotFoundError(f"no submission {submission_id}")
        uuid, campaign_id = sub.uuid, sub.campaign_id
        entry = s.scalars(
            select(OutboxEntry)
            .where(OutboxEntry.submission_id == submission_id)
            .order_by(OutboxEntry.id.desc())
        ).first()
        endpoint = entry.endpoint_url if entry else None
    endpoint = endpoint or endpoint_for(ctx, ctx.campaigns.get(campaign_id))
    token = load_token(endpoint)
    if not token:
        raise not_logged_in(endpoint)
    http = HttpClient(http_settings(ctx))
    try:
        data = IntakeClient(http, endpoint, token).status(uuid)
    finally:
        http.close()
    status = str(data.get("status", ""))
    comment = str(data.get("comment") or "")
    latest = int(data.get("latest_revision") or 0)
    with writing(ctx) as s:
        sub = s.get(Submission, submission_id)
        assert sub is not None
        rev = s.scalars(
            select(SubmissionRevision).where(
                SubmissionRevision.submission_id == submission_id,
                SubmissionRevision.revision == latest,
            )
        ).first()
        if rev is not None:
            changed = rev.remote_status != status or rev.remote_comment != comment
            rev.remote_status, rev.remote_comment = status, comment
            rev.remote_checked_at = utcnow()
            if changed:
                audit(s, sub, latest, f"office:{status}", {"comment": comment})
        new = {"returned": lifecycle.RETURNED, "accepted": lifecycle.ACCEPTED}.get(status)
        if (
            new
            and sub.revision == latest
            and sub.status != new
            and lifecycle.can_transition(sub.status, new)
        ):
            sub.status = new
            sub.updated_at = utcnow()
            audit(s, sub, latest, f"status:{new}", {"comment": comment})
    return RemoteStatus(status, comment, latest, data)
