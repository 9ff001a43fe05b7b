"""The office's verdict on sent reports: received, returned for revision (with the
comment) or accepted, asked of the endpoint and recorded on the revision."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from qmclient.core import lifecycle
from qmclient.core.boundedjson import loads_bounded
from qmclient.services import drafts, settings
from qmclient.services.context import AppContext
from qmclient.services.endpoint import endpoint_for, http_settings
from qmclient.services.queue import audit, writing
from qmclient.services.records import get_submission, revision_row
from qmclient.store.models import (
    InboxItem,
    OutboxEntry,
    Submission,
    SubmissionRevision,
    utcnow,
)
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
        sub = get_submission(s, submission_id)
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
    return record_verdict(ctx, submission_id, data)[0]


def record_verdict(
    ctx: AppContext, submission_id: int, data: dict[str, Any]
) -> tuple[RemoteStatus, bool]:
    """Record the office's answer about one submission; returns it and whether it changed.

    The verdict is kept on the revision it is about; the report's status follows only while
    that revision is the current one (a unit already editing a new revision keeps it, and
    sees the office's comment beside it)."""
    changed = False
    status = str(data.get("status", ""))
    comment = str(data.get("comment") or "")
    latest = int(data.get("latest_revision") or 0)
    handed_over = _freeze_if_sent_by_others(ctx, submission_id, latest, data)
    with writing(ctx) as s:
        sub = s.get(Submission, submission_id)
        assert sub is not None
        rev = revision_row(s, submission_id, latest)
        if rev is not None:
            changed = rev.remote_status != status or rev.remote_comment != comment
            rev.remote_status, rev.remote_comment = status, comment
            rev.remote_checked_at = utcnow()
            if changed:
                audit(s, sub, latest, f"office:{status}", {"comment": comment})
        new = {"returned": lifecycle.RETURNED, "accepted": lifecycle.ACCEPTED}.get(status)
        if handed_over and status == "received":
            new = lifecycle.RECEIVED
        if (
            new
            and sub.revision == latest
            and sub.status != new
            and (lifecycle.can_transition(sub.status, new) or handed_over)
        ):
            sub.status = new
            sub.updated_at = utcnow()
            audit(s, sub, latest, f"status:{new}", {"comment": comment})
    return RemoteStatus(status, comment, latest, data), changed


@dataclass(frozen=True)
class Verdict:
    """A change in the office's answer on one of this computer's reports."""

    submission_id: int
    title: str
    status: str  # received | returned | accepted
    comment: str
    revision: int


def poll_verdicts(ctx: AppContext) -> list[Verdict]:
    """Ask the endpoint once for the verdicts on every sent report (a conditional request:
    unchanged lists cost the server one aggregate query and a ``304``); record what
    changed and return it, for a banner or a notification.  Raises :class:`SyncError`."""
    endpoint = endpoint_for(ctx, ctx.campaigns.default())
    token = load_token(endpoint)
    if not token:
        raise not_logged_in(endpoint)
    etag_key = settings.VERDICTS_ETAG.key(endpoint)
    etag = settings.read(ctx, etag_key) or None
    http = HttpClient(http_settings(ctx))
    try:
        items, new_etag = IntakeClient(http, endpoint, token).submissions(etag)
    finally:
        http.close()
    if items is None:
        return []
    with ctx.store.read() as s:
        local = {sub.uuid: (sub.id, sub.title) for sub in s.scalars(select(Submission))}
    out = []
    for item in items:
        found = local.get(str(item.get("uuid", "")))
        if found is None:
            continue
        got, changed = record_verdict(ctx, found[0], item)
        if changed:
            out.append(Verdict(found[0], found[1], got.status, got.comment, got.latest_revision))
    settings.write(ctx, etag_key, new_etag)
    return out


def _freeze_if_sent_by_others(
    ctx: AppContext, submission_id: int, latest: int, data: dict[str, Any]
) -> bool:
    """A report handed over as a package and uploaded by the district: this computer has
    no frozen revision of it.  When its current revision is exactly what the server holds
    (same report hash), freeze it here so the office's verdict is kept with it; returns
    whether that happened."""
    with ctx.store.read() as s:
        sub = s.get(Submission, submission_id)
        if sub is None or sub.revision != latest or lifecycle.is_frozen(sub.status):
            return False
        if any(r.revision == latest for r in sub.revisions):
            return False
    theirs = next(
        (
            r.get("report_sha256")
            for r in data.get("revisions") or []
            if isinstance(r, dict) and r.get("revision") == latest
        ),
        None,
    )
    if not theirs or drafts.load_report(ctx, submission_id).report_hash() != theirs:
        return False
    drafts.freeze(ctx, submission_id)
    return True


@dataclass(frozen=True)
class Banner:
    """What to show above a report: the office's latest word on it."""

    status: str  # returned | accepted | received
    comment: str
    revision: int  # the revision the verdict is about
    current_revision: int  # the revision on this computer now
    receipt_number: str

    @property
    def revision_started(self) -> bool:
        return self.current_revision > self.revision


def banner_for(ctx: AppContext, submission_id: int) -> Banner | None:
    """The office's verdict on the newest revision it answered, if any."""
    with ctx.store.read() as s:
        sub = s.get(Submission, submission_id)
        if sub is None:
            return None
        rev = s.scalars(
            select(SubmissionRevision)
            .where(
                SubmissionRevision.submission_id == submission_id,
                SubmissionRevision.remote_status.in_(("returned", "accepted", "received")),
            )
            .order_by(SubmissionRevision.revision.desc())
        ).first()
        if rev is None:
            return None
        number = ""
        if rev.receipt_json:
            number = str(loads_bounded(rev.receipt_json, "receipt").get("receipt_number", ""))
        return Banner(
            str(rev.remote_status), rev.remote_comment, rev.revision, sub.revision, number
        )


def forward_return(ctx: AppContext, submission_id: int, *, who: str = "") -> Path | None:
    """A coordinator passes the office's return on to the enterprise whose report it
    uploaded: the inbox item is returned with the office's comment and a ``.qmnote`` is
    written for the unit (its path is returned; ``None`` if the report did not come
    through the inbox).  The enterprise also hears of it from the server directly."""
    from qmclient.services import inbox

    banner = banner_for(ctx, submission_id)
    if banner is None or banner.status != "returned":
        return None
    with ctx.store.read() as s:
        item_id = s.scalars(
            select(InboxItem.id)
            .where(InboxItem.submission_id == submission_id)
            .order_by(InboxItem.id.desc())
        ).first()
    if item_id is None:
        return None
    comment = f"报送办公室退回意见：{banner.comment}" if banner.comment else "报送办公室退回修改"
    _row, note = inbox.return_item(ctx, item_id, comment, who=who)
    return note
