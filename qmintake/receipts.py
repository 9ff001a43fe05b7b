"""Receipts: what the office gives back when a revision is received."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import bindparam, insert, update
from sqlalchemy.orm import Session

from qmclient.core.campaign import Campaign
from qmintake.models import ReceiptCounterRow, RevisionRow, SubmissionRow
from qmintake.signing import ReceiptSigner


def iso_utc(t: dt.datetime) -> str:
    return t.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


_BUMP = (
    update(ReceiptCounterRow)
    .where(ReceiptCounterRow.campaign_id == bindparam("campaign"))
    .values(last=ReceiptCounterRow.last + 1)
    .returning(ReceiptCounterRow.last)
)
_FIRST = insert(ReceiptCounterRow)


def next_receipt_number(session: Session, campaign_id: str, prefix: str) -> str:
    """The next number of the campaign's running count (its row locked until commit; the
    first number of a campaign inserts the row, and a concurrent first one fails with
    IntegrityError, for the caller to try again)."""
    conn = session.connection()
    last = conn.scalar(_BUMP, {"campaign": campaign_id})
    if last is None:
        last = 1
        conn.execute(_FIRST, {"campaign_id": campaign_id, "last": last})
    return f"{prefix}-{last:06d}"


def lateness(campaign: Campaign, received_at: dt.datetime) -> int:
    """Seconds after the deadline (0 when on time)."""
    late = (received_at - campaign.due).total_seconds()
    return max(0, int(late + 0.999999)) if late > 0 else 0


def receipt_dict(
    sub: SubmissionRow, rev: RevisionRow, campaign: Campaign, signer: ReceiptSigner
) -> dict[str, Any]:
    """The receipt of a received revision, signed by the office's key."""
    assert rev.finalised_at is not None
    files = [{"sha256": m.sha256, "size": m.size, "media_type": m.media_type} for m in rev.media]
    receipt = {
        "receipt_number": rev.receipt_number,
        "submission_uuid": sub.uuid,
        "revision": rev.revision,
        "campaign_id": sub.campaign_id,
        "unit": {
            "name": sub.unit_name,
            "kind": sub.unit_kind,
            "district": sub.unit_district,
            "credit_code": sub.unit_credit_code,
        },
        "submitted_by": {
            "unit_id": sub.owner.id,
            "name": sub.owner.name,
            "kind": sub.owner.kind,
        },
        "received_at": iso_utc(rev.finalised_at),
        "received_at_local": rev.finalised_at.astimezone(campaign.tz).isoformat(),
        "due": campaign.due.isoformat(),
        "on_time": bool(rev.on_time),
        "late_by_s": rev.late_by_s,
        "report_sha256": rev.report_sha256,
        "files": files,
        "total_bytes": sum(m.size for m in rev.media),
    }
    return signer.sign(receipt)


def receipt_bytes(receipt: dict[str, Any]) -> bytes:
    """A signed receipt as stored and given out: sorted keys, no spaces, UTF-8."""
    return json.dumps(receipt, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def issue_receipt(
    sub: SubmissionRow, rev: RevisionRow, campaign: Campaign, signer: ReceiptSigner
) -> dict[str, Any]:
    """Sign the receipt of a revision being received and keep its exact bytes."""
    receipt = receipt_dict(sub, rev, campaign, signer)
    rev.receipt_json = receipt_bytes(receipt).decode("utf-8")
    return receipt


def stored_receipt(
    sub: SubmissionRow, rev: RevisionRow, campaign: Campaign | None, signer: ReceiptSigner
) -> dict[str, Any] | None:
    """The receipt given out for a received revision, exactly as it was signed then.

    Never re-made from today's campaign: a later change of the deadline (or of the
    unit's name) does not change a receipt already issued.  A revision received before
    receipts were kept is signed once, now, and kept from then on.
    """
    if rev.finalised_at is None:
        return None
    if rev.receipt_json is not None:
        stored: dict[str, Any] = json.loads(rev.receipt_json)
        return stored
    if campaign is None:
        return None
    return issue_receipt(sub, rev, campaign, signer)
