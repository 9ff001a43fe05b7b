"""Who sent which file: the rule behind "already have it" (see ``docs/protocol.md``).

The server stores each file once, by SHA-256.  It still answers "missing" per unit: a
submission is excused from sending a file only if the bytes were sent before

- by the unit that owns the submission (the token's unit), for any of its reports, or
- for an enterprise's report: by its district's coordinator on the enterprise's behalf
  (a report about the same enterprise), and, for a district coordinator's report about
  one of its enterprises, by that enterprise itself.

Knowing a file's SHA-256 and size therefore proves nothing: a unit that never sent the
bytes is asked for them (and gets no receipt without them), and the answer tells no unit
whether anybody else holds a file.  Each finished upload notes its sender here
(:func:`note_sender`), once per report of the sender that lists the file.
"""

from __future__ import annotations

from sqlalchemy import Connection, Select, and_, bindparam, insert, or_, select
from sqlalchemy.orm import Session

from qmintake.models import (
    MediaSenderRow,
    RevisionMediaRow,
    RevisionRow,
    SubmissionRow,
    UnitRow,
    utcnow,
)


def subject_key(kind: str, district: str, name: str, credit_code: str) -> str:
    """The reporting unit a report is about, as one string: an enterprise by its credit
    code when it has one, anything else by its name."""
    return f"{kind}|{district}|{credit_code or name}"


def submission_subject(sub: SubmissionRow) -> str:
    return subject_key(sub.unit_kind, sub.unit_district, sub.unit_name, sub.unit_credit_code)


_SUBJECTS_LISTING = (  # the columns that name the reporting unit, not whole rows
    select(
        SubmissionRow.unit_kind,
        SubmissionRow.unit_district,
        SubmissionRow.unit_name,
        SubmissionRow.unit_credit_code,
    )
    .join(RevisionRow, RevisionRow.submission_id == SubmissionRow.id)
    .join(RevisionMediaRow, RevisionMediaRow.revision_id == RevisionRow.id)
    .where(
        RevisionMediaRow.sha256 == bindparam("sha"),
        SubmissionRow.owner_unit_id == bindparam("unit"),
    )
    .distinct()
)
_SENDER_KNOWN = select(MediaSenderRow.sha256).where(
    MediaSenderRow.sha256 == bindparam("sha"),
    MediaSenderRow.unit_id == bindparam("unit"),
    MediaSenderRow.subject == bindparam("subject"),
)
_INSERT_SENDER = insert(MediaSenderRow)


def note_sender(conn: Connection | Session, sha: str, unit_id: int) -> None:
    """Record that ``unit_id`` sent the bytes of ``sha`` (in the caller's transaction)."""
    units = conn.execute(_SUBJECTS_LISTING, {"sha": sha, "unit": unit_id}).all()
    subjects = {subject_key(*unit) for unit in units} or {""}
    for subject in sorted(subjects):
        known = {"sha": sha, "unit": unit_id, "subject": subject}
        if conn.execute(_SENDER_KNOWN, known).first() is None:
            conn.execute(
                _INSERT_SENDER,
                {"sha256": sha, "unit_id": unit_id, "subject": subject, "sent_at": utcnow()},
            )


def _senders(*family_kinds: str) -> Select[str]:
    """Which of ``:shas`` were sent by the owner ``:owner``, or for the reporting unit
    ``:subject`` of district ``:district`` by units of ``family_kinds``."""
    allowed = [MediaSenderRow.unit_id == bindparam("owner")]
    family = and_(
        MediaSenderRow.subject == bindparam("subject"), UnitRow.district == bindparam("district")
    )
    allowed += [and_(family, UnitRow.kind == kind) for kind in family_kinds]
    return (
        select(MediaSenderRow.sha256)
        .join(UnitRow, UnitRow.id == MediaSenderRow.unit_id)
        .where(MediaSenderRow.sha256.in_(bindparam("shas", expanding=True)), or_(*allowed))
    )


# built once: every PUT and every finalise asks
_SENT_BY_OWNER = _senders()
_SENT_FOR_ENTERPRISE = _senders("district")  # or by its district's coordinator
_SENT_FOR_DISTRICTS_ENTERPRISE = _senders("district", "enterprise")  # or by the enterprise


def sent_for(s: Session, sub: SubmissionRow, shas: list[str]) -> set[str]:
    """Which of ``shas`` count as sent for submission ``sub`` (see the module's rule)."""
    if not shas:
        return set()
    owner = s.get(UnitRow, sub.owner_unit_id)
    statement = _SENT_BY_OWNER
    if sub.unit_kind == "enterprise" and owner is not None:
        statement = _SENT_FOR_ENTERPRISE
        if owner.kind == "district" and owner.district == sub.unit_district:
            # the coordinator's report about its enterprise: what the enterprise sent
            statement = _SENT_FOR_DISTRICTS_ENTERPRISE
    params = {
        "shas": shas,
        "owner": sub.owner_unit_id,
        "subject": submission_subject(sub),
        "district": sub.unit_district,
    }
    return set(s.connection().scalars(statement, params).all())
