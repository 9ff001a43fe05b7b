"""Putting, finalising and reading submissions: the rules of the JSON half of the protocol.

Each function runs in one database transaction; the same request repeated gives the
same answer (idempotent), and the server trusts nothing the client computed: it parses
the report itself, hashes it itself and validates it with ``qmclient.core.validation``.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from qmclient.core.report import Report, ReportFormatError
from qmclient.core.validation import validate
from qmintake.auth import UnitInfo, may_submit_for
from qmintake.models import (
    BlobRow,
    EventRow,
    RevisionMediaRow,
    RevisionRow,
    SubmissionRow,
)
from qmintake.problems import Problem
from qmintake.provenance import sent_for
from qmintake.receipts import (
    iso_utc,
    lateness,
    next_receipt_number,
    receipt_bytes,
    receipt_dict,
    stored_receipt,
)
from qmintake.settings import IntakeState
from qmintake.visibility import visible_to


@dataclass(frozen=True)
class ManifestItem:
    sha256: str
    size: int
    media_type: str


def _check_report(
    state: IntakeState,
    unit: UnitInfo,
    uuid: str,
    revision: int,
    campaign_id: str,
    report_doc: dict[str, Any],
    report_sha256: str | None,
    manifest: list[ManifestItem],
) -> tuple[Report, str, list[dict[str, Any]]]:
    served = state.campaigns.get(campaign_id)
    if served is None:
        raise Problem("campaign-unknown", f"this server does not receive campaign {campaign_id!r}")
    campaign = served.campaign
    try:
        report = Report.from_dict(report_doc)
    except ReportFormatError as exc:
        raise Problem("report-malformed", str(exc)) from None
    if report.uuid.lower() != uuid:
        raise Problem("uuid-mismatch", f"report.uuid is {report.uuid!r}, the address has {uuid}")
    if report.revision != revision:
        raise Problem(
            "uuid-mismatch", f"report.revision is {report.revision}, the request has {revision}"
        )
    if report.campaign_id != campaign_id:
        raise Problem(
            "uuid-mismatch",
            f"report.campaign_id is {report.campaign_id!r}, the request has {campaign_id!r}",
        )
    digest = report.report_hash()
    if report_sha256 is not None and report_sha256 != digest:
        raise Problem(
            "report-hash-mismatch",
            f"report_sha256 is {report_sha256} but the report hashes to {digest}",
            report_sha256=digest,
        )
    expected: dict[str, tuple[int, str]] = {}
    for m in report.media:
        if expected.setdefault(m.sha256, (m.size, m.media_type)) != (m.size, m.media_type):
            raise Problem(
                "manifest-mismatch", f"report.media lists {m.sha256} with two sizes/types"
            )
    given: dict[str, tuple[int, str]] = {}
    for item in manifest:
        if item.sha256 in given:
            raise Problem("manifest-mismatch", f"media lists {item.sha256} twice")
        given[item.sha256] = (item.size, item.media_type)
    if given != expected:
        extra = sorted(set(given) - set(expected))
        lacking = sorted(set(expected) - set(given))
        raise Problem(
            "manifest-mismatch",
            "media must list each file of report.media once with its size and type"
            + (f"; not in the report: {extra}" if extra else "")
            + (f"; missing: {lacking}" if lacking else ""),
        )
    if len(given) > state.settings.max_media_per_submission:
        raise Problem(
            "invalid-request",
            f"at most {state.settings.max_media_per_submission} files per submission",
        )
    if not may_submit_for(unit, report.unit):
        raise Problem(
            "unit-not-allowed",
            f"a {unit.kind} token of {unit.name!r} ({unit.district or '-'}) may not submit for "
            f"a {report.unit.kind} in district {report.unit.district or '-'!r}",
        )
    findings = validate(report, campaign)
    errors = [f.to_dict() for f in findings if f.severity == "error"]
    if errors:
        first = errors[0]
        raise Problem(
            "report-invalid",
            f"{len(errors)} error(s), first: {first['path']}: {first['message_en']}",
            findings=errors,
        )
    now = state.now()
    if campaign.late_policy == "refuse" and now > campaign.due:
        raise Problem(
            "late-refused",
            f"the deadline was {campaign.due.isoformat()}; this campaign refuses late reports",
            due=campaign.due.isoformat(),
        )
    warnings = [f.to_dict() for f in findings if f.severity == "warning"]
    return report, digest, warnings


_INSERT_SUBMISSION = insert(SubmissionRow).returning(SubmissionRow.id)
_INSERT_REVISION = insert(RevisionRow).returning(RevisionRow.id)
_INSERT_MEDIA = insert(RevisionMediaRow)
_INSERT_EVENT = insert(EventRow)
_BLOBS_AMONG = select(BlobRow.sha256).where(BlobRow.sha256.in_(bindparam("shas", expanding=True)))


def _missing(
    session: Session, state: IntakeState, sub: SubmissionRow, shas: list[str]
) -> list[str]:
    """The files of ``shas`` this submission still has to send: stored files count only
    when this unit (or its district on its behalf) sent them (:mod:`qmintake.provenance`)."""
    if not shas:
        return []
    have = set(session.connection().scalars(_BLOBS_AMONG, {"shas": shas}).all())
    have &= sent_for(session, sub, shas)
    return sorted(s for s in shas if s not in have or not state.blobs.exists(s))


_SUBMISSION = select(SubmissionRow).where(SubmissionRow.uuid == bindparam("uuid"))
_SUBMISSION_LOCKED = _SUBMISSION.with_for_update(of=SubmissionRow)
_REVISION = select(RevisionRow).where(
    RevisionRow.submission_id == bindparam("sub"), RevisionRow.revision == bindparam("rev")
)


_UPDATE_REVISION = update(RevisionRow).where(RevisionRow.id == bindparam("row"))
_UPDATE_SUBMISSION = update(SubmissionRow).where(SubmissionRow.id == bindparam("row"))


def _set_plainly(row: Any, values: dict[str, Any]) -> None:
    """Give a loaded row the values a plain UPDATE of this transaction writes (without the
    session's flush, which costs more than the statement)."""
    for key, value in values.items():
        set_committed_value(row, key, value)


def _lock_submission(session: Session, uuid: str) -> SubmissionRow | None:
    return session.scalars(_SUBMISSION_LOCKED, {"uuid": uuid}).first()


def put_submission(
    state: IntakeState,
    unit: UnitInfo,
    uuid: str,
    revision: int,
    campaign_id: str,
    report_doc: dict[str, Any],
    report_sha256: str | None,
    manifest: list[ManifestItem],
) -> tuple[int, dict[str, Any]]:
    """Returns (HTTP status, answer)."""
    report, digest, warnings = _check_report(
        state, unit, uuid, revision, campaign_id, report_doc, report_sha256, manifest
    )
    for attempt in range(3):
        try:
            return _store_revision(state, unit, uuid, report, digest, warnings)
        except IntegrityError:  # a concurrent PUT of the same new UUID won the race
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _store_revision(
    state: IntakeState,
    unit: UnitInfo,
    uuid: str,
    report: Report,
    digest: str,
    warnings: list[dict[str, Any]],
) -> tuple[int, dict[str, Any]]:
    now = state.now()
    about = {  # the unit the report is about, as the newest revision says
        "campaign_id": report.campaign_id,
        "unit_name": report.unit.name,
        "unit_kind": report.unit.kind,
        "unit_district": report.unit.district,
        "unit_credit_code": report.unit.credit_code,
    }
    with state.db.session() as s:
        conn = s.connection()
        sub = _lock_submission(s, uuid)
        if sub is None:
            made = {
                "uuid": uuid,
                "owner_unit_id": unit.id,
                "latest_revision": report.revision,
                "status": "open",
                "comment": "",
                "created_at": now,
                "updated_at": now,
                **about,
            }
            # plain statements and a plain record of the row (not in the session):
            # the session's flush costs more than the statements
            sub = SubmissionRow(id=conn.scalar(_INSERT_SUBMISSION, made), **made)
        elif sub.owner_unit_id != unit.id:
            raise Problem("submission-id-taken", f"submission {uuid} belongs to another unit")
        else:
            existing = _revision(s, sub, report.revision)
            if existing is not None:
                if existing.report_sha256 != digest:
                    raise Problem(
                        "revision-conflict",
                        f"revision {report.revision} was sent before with another report; "
                        "a changed report needs a new revision",
                        report_sha256=existing.report_sha256,
                    )
                return 200, _put_answer(s, state, sub, existing, warnings)
            if report.revision < sub.latest_revision:
                raise Problem(
                    "revision-backwards",
                    f"the server has revision {sub.latest_revision}; "
                    f"revision {report.revision} is older",
                    latest_revision=sub.latest_revision,
                )
            if sub.status == "accepted":
                raise Problem("submission-closed", "the office has accepted this submission")
            changed = {"latest_revision": report.revision, "status": "open", "updated_at": now}
            changed.update(about)
            _set_plainly(sub, changed)
            conn.execute(_UPDATE_SUBMISSION, {"row": sub.id, **changed})
        made_rev = {
            "submission_id": sub.id,
            "revision": report.revision,
            "report_json": report.canonical_json().decode("utf-8"),
            "report_sha256": digest,
            "created_at": now,
            "late_by_s": 0,
        }
        rev = RevisionRow(id=conn.scalar(_INSERT_REVISION, made_rev), **made_rev)
        # the manifest and the event: the answer is made from the report's own list
        files = {m.sha256: m for m in report.media}
        if files:
            conn.execute(
                _INSERT_MEDIA,
                [
                    {
                        "revision_id": rev.id,
                        "sha256": sha,
                        "size": m.size,
                        "media_type": m.media_type,
                    }
                    for sha, m in files.items()
                ],
            )
        conn.execute(
            _INSERT_EVENT,
            {"submission_id": sub.id, "revision": rev.revision, "action": "put", "at": now},
        )
        return 201, _put_answer(s, state, sub, rev, warnings, list(files))


def _revision(s: Session, sub: SubmissionRow, revision: int) -> RevisionRow | None:
    return s.scalars(_REVISION, {"sub": sub.id, "rev": revision}).first()


def _put_answer(
    s: Session,
    state: IntakeState,
    sub: SubmissionRow,
    rev: RevisionRow,
    warnings: list[dict[str, Any]],
    shas: list[str] | None = None,
) -> dict[str, Any]:
    """``shas``: the revision's files, where known (a revision just made: its media
    relationship is not loaded)."""
    served = state.campaigns.get(sub.campaign_id)
    receipt = stored_receipt(sub, rev, served.campaign if served else None, state.signer)
    return {
        "uuid": sub.uuid,
        "revision": rev.revision,
        "campaign_id": sub.campaign_id,
        "report_sha256": rev.report_sha256,
        "state": "finalised" if rev.finalised_at else "open",
        "status": sub.status,
        "missing_media": _missing(
            s, state, sub, [m.sha256 for m in rev.media] if shas is None else shas
        ),
        "warnings": warnings,
        "receipt": receipt,
    }


def _owned(s: Session, unit: UnitInfo, uuid: str, lock: bool = False) -> SubmissionRow:
    sub = s.scalars(_SUBMISSION_LOCKED if lock else _SUBMISSION, {"uuid": uuid}).first()
    if sub is None or sub.owner_unit_id != unit.id:
        raise Problem("submission-not-found", f"there is no submission {uuid} for this token")
    return sub


def finalise(
    state: IntakeState, unit: UnitInfo, uuid: str, revision: int, report_sha256: str
) -> dict[str, Any]:
    for attempt in range(3):
        try:
            return _finalise(state, unit, uuid, revision, report_sha256)
        except IntegrityError:  # a concurrent first receipt number; take the next one
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _finalise(
    state: IntakeState, unit: UnitInfo, uuid: str, revision: int, report_sha256: str
) -> dict[str, Any]:
    with state.db.session() as s:
        sub = _owned(s, unit, uuid, lock=True)
        rev = _revision(s, sub, revision)
        if rev is None:
            raise Problem("revision-not-found", f"submission {uuid} has no revision {revision}")
        served = state.campaigns.get(sub.campaign_id)
        if served is None:
            raise Problem("campaign-unknown", f"campaign {sub.campaign_id!r} is no longer served")
        campaign = served.campaign
        if rev.report_sha256 != report_sha256:
            raise Problem(
                "report-hash-mismatch",
                f"revision {revision} has report_sha256 {rev.report_sha256}",
                report_sha256=rev.report_sha256,
            )
        if rev.finalised_at is not None:
            return stored_receipt(sub, rev, campaign, state.signer) or {}
        missing = _missing(s, state, sub, [m.sha256 for m in rev.media])
        if missing:
            raise Problem(
                "media-missing",
                f"{len(missing)} file(s) are not uploaded yet",
                missing_media=missing,
            )
        now = state.now()
        late_by = lateness(campaign, now)
        if late_by and campaign.late_policy == "refuse":
            raise Problem(
                "late-refused",
                f"the deadline was {campaign.due.isoformat()}; late reports are refused",
                due=campaign.due.isoformat(),
            )
        conn = s.connection()
        received = {
            "receipt_number": next_receipt_number(s, campaign.id, served.prefix),
            "finalised_at": now,
            "on_time": late_by == 0,
            "late_by_s": late_by,
        }
        _set_plainly(rev, received)  # what the receipt says
        receipt = receipt_dict(sub, rev, campaign, state.signer)
        received["receipt_json"] = receipt_bytes(receipt).decode("utf-8")
        set_committed_value(rev, "receipt_json", received["receipt_json"])
        conn.execute(_UPDATE_REVISION, {"row": rev.id, **received})
        if rev.revision == sub.latest_revision:
            status = {"status": "received", "comment": "", "updated_at": now}
            _set_plainly(sub, status)
            conn.execute(_UPDATE_SUBMISSION, {"row": sub.id, **status})
        conn.execute(
            _INSERT_EVENT,
            {"submission_id": sub.id, "revision": revision, "action": "received", "at": now},
        )
        return receipt


def submission_dict(s: Session, state: IntakeState, sub: SubmissionRow) -> dict[str, Any]:
    served = state.campaigns.get(sub.campaign_id)
    revisions = []
    for rev in sub.revisions:
        revisions.append(
            {
                "revision": rev.revision,
                "state": "finalised" if rev.finalised_at else "open",
                "report_sha256": rev.report_sha256,
                "created_at": iso_utc(rev.created_at),
                "missing_media": []
                if rev.finalised_at
                else _missing(s, state, sub, [m.sha256 for m in rev.media]),
                "receipt": stored_receipt(
                    sub, rev, served.campaign if served else None, state.signer
                ),
            }
        )
    events = s.scalars(
        select(EventRow)
        .where(EventRow.submission_id == sub.id, EventRow.action != "put")
        .order_by(EventRow.at, EventRow.id)
    ).all()
    return {
        "uuid": sub.uuid,
        "campaign_id": sub.campaign_id,
        "unit": {
            "name": sub.unit_name,
            "kind": sub.unit_kind,
            "district": sub.unit_district,
            "credit_code": sub.unit_credit_code,
        },
        "submitted_by": {"name": sub.owner.name, "kind": sub.owner.kind},
        "status": sub.status,
        "latest_revision": sub.latest_revision,
        "comment": sub.comment,
        "updated_at": iso_utc(sub.updated_at),
        "revisions": revisions,
        "history": [
            {"revision": e.revision, "action": e.action, "comment": e.comment, "at": iso_utc(e.at)}
            for e in events
        ],
    }


def get_submission(state: IntakeState, unit: UnitInfo, uuid: str) -> dict[str, Any]:
    with state.db.session() as s:
        sub = s.scalars(
            select(SubmissionRow).where(SubmissionRow.uuid == uuid, visible_to(unit))
        ).first()
        if sub is None:
            raise Problem("submission-not-found", f"there is no submission {uuid} for this token")
        return submission_dict(s, state, sub)


def list_submissions(
    state: IntakeState, unit: UnitInfo | None, campaign_id: str | None = None
) -> list[dict[str, Any]]:
    """The unit's submissions (all of them when ``unit`` is None: the office's view)."""
    with state.db.session() as s:
        q = select(SubmissionRow).order_by(SubmissionRow.updated_at.desc(), SubmissionRow.id.desc())
        if unit is not None:
            q = q.where(visible_to(unit))
        if campaign_id:
            q = q.where(SubmissionRow.campaign_id == campaign_id)
        return [submission_dict(s, state, sub) for sub in s.scalars(q).all()]


def report_of(state: IntakeState, uuid: str, revision: int) -> dict[str, Any]:
    with state.db.session() as s:
        sub = s.scalars(select(SubmissionRow).where(SubmissionRow.uuid == uuid)).first()
        rev = _revision(s, sub, revision) if sub else None
        if rev is None:
            raise Problem("revision-not-found", f"no revision {revision} of {uuid}")
        data: dict[str, Any] = json.loads(rev.report_json)
        return data


def office_decision(
    state: IntakeState, uuid: str, action: str, comment: str = ""
) -> dict[str, Any]:
    """The office returns a received submission for revision, or accepts it."""
    if action not in ("returned", "accepted"):
        raise ValueError(action)
    with state.db.session() as s:
        sub = s.scalars(
            select(SubmissionRow)
            .where(SubmissionRow.uuid == uuid)
            .with_for_update(of=SubmissionRow)
        ).first()
        if sub is None:
            raise Problem("submission-not-found", f"there is no submission {uuid}")
        if sub.status != "received":
            raise Problem(
                "state-conflict",
                f"submission {uuid} is {sub.status}; only a received one can be {action}",
            )
        now = dt.datetime.now(dt.UTC)
        sub.status = action
        sub.comment = comment
        sub.updated_at = now
        s.add(
            EventRow(
                submission_id=sub.id,
                revision=sub.latest_revision,
                action=action,
                comment=comment,
                at=now,
            )
        )
        s.flush()
        return submission_dict(s, state, sub)
